"""Semantic difference of two criteria sets, and its impact replayed on real dossiers."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from spcncl_score.criteria.categories import category_label, category_sets
from spcncl_score.criteria.gatetree import comparison_text
from spcncl_score.criteria.models import CriteriaSet, Gate, Ranking
from spcncl_score.evaluation.pipeline import read_inputs
from spcncl_score.i18n import format_number, label
from spcncl_score.intake.reader import DossierRead
from spcncl_score.scoring.engine import score
from spcncl_score.scoring.frames import at
from spcncl_score.scoring.ranking import rank
from spcncl_score.scoring.result import build_frame, enterprises


@dataclass
class Change:
    kind: str  # added, removed, renamed, changed
    what: str  # criterion, group, gate, field, indicator, outcome, ranking, tier
    id: str
    detail: str

    def to_dict(self) -> dict[str, str]:
        return self.__dict__.copy()


@dataclass
class OutcomeChange:
    file: str
    product: str
    old_total: float | None
    new_total: float | None
    old_rank: int | None
    new_rank: int | None
    old_status: str
    new_status: str
    old_tier: str | None
    new_tier: str | None

    @property
    def outcome_changed(self) -> bool:
        return self.old_status != self.new_status or self.old_tier != self.new_tier


@dataclass
class DiffResult:
    old: CriteriaSet
    new: CriteriaSet
    changes: list[Change]
    replay: list[OutcomeChange] = field(default_factory=list)
    replayed: int = 0

    @property
    def any_change(self) -> bool:
        return bool(self.changes) or any(r.outcome_changed or r.old_total != r.new_total for r in self.replay)

    def to_dict(self) -> dict[str, Any]:
        return {
            "old": {"id": self.old.id, "version": self.old.version, "fingerprint": self.old.fingerprint},
            "new": {"id": self.new.id, "version": self.new.version, "fingerprint": self.new.fingerprint},
            "changes": [c.to_dict() for c in self.changes],
            "replayed_dossiers": self.replayed,
            "outcome_changes": [r.__dict__ for r in self.replay if r.outcome_changed],
            "score_changes": [r.__dict__ for r in self.replay if not r.outcome_changed and r.old_total != r.new_total],
        }


def _crit_sig(c: Any) -> str:
    return f"{c.max:g}|{c.input}|{c.rule.describe('en')}|{c.minimum}|{c.knockout}"


def diff_criteria(old: CriteriaSet, new: CriteriaSet, lang: str = "en") -> list[Change]:
    """The changes of meaning from ``old`` to ``new``, their details written in ``lang``; with
    categories, also each category's own changes (what changed in the shared base is said once)."""
    base = _diff_sets(old, new, lang)
    return base + _diff_categories(old, new, base, lang)


def _diff_categories(old: CriteriaSet, new: CriteriaSet, base: list[Change], lang: str) -> list[Change]:
    oc, nc = category_sets(old), category_sets(new)
    out = [Change("removed", "category", k, category_label(old, k, lang)) for k in oc if k not in nc]
    out += [Change("added", "category", k, category_label(new, k, lang)) for k in nc if k not in oc]
    of, nf = (old.categories.field if old.categories else None), (new.categories.field if new.categories else None)
    if of != nf:
        out.append(Change("changed", "category", "field", f"{of or '—'} → {nf or '—'}"))
    oo = old.categories.overall if old.categories else None
    no = new.categories.overall if new.categories else None
    if (oo.model_dump() if oo else None) != (no.model_dump() if no else None):
        out.append(Change("changed", "ranking", "overall", f"{_ranking_text(oo)} → {_ranking_text(no)}"))
    said = {(c.kind, c.what, c.id, c.detail) for c in base}
    for k in oc.keys() & nc.keys():
        for c in _diff_sets(oc[k], nc[k], lang):
            if (c.kind, c.what, c.id, c.detail) not in said:
                out.append(Change(c.kind, c.what, f"{c.id} ({k})", c.detail))
    return out


def _ranking_text(r: Ranking | None) -> str:
    if r is None:
        return "—"
    return f"Top {r.top_n or '—'}; " + ", ".join(f"{t.ref} {t.order}" for t in r.tie_breaks)


def _diff_sets(old: CriteriaSet, new: CriteriaSet, lang: str) -> list[Change]:
    vi = lang == "vi"
    pts = "điểm" if vi else "pts"
    out: list[Change] = []
    oc = {c.id: (g.id, c) for g, c in old.criteria()}
    nc = {c.id: (g.id, c) for g, c in new.criteria()}
    removed = [k for k in oc if k not in nc]
    added = [k for k in nc if k not in oc]
    for r in list(removed):
        twin = next((a for a in added if _crit_sig(nc[a][1]) == _crit_sig(oc[r][1])), None)
        if twin:
            out.append(Change("renamed", "criterion", r, f"{r} → {twin}"))
            removed.remove(r)
            added.remove(twin)
    out += [
        Change("removed", "criterion", k, f"{oc[k][1].title.get(lang)} ({format_number(oc[k][1].max, lang)} {pts})")
        for k in removed
    ]
    out += [
        Change("added", "criterion", k, f"{nc[k][1].title.get(lang)} ({format_number(nc[k][1].max, lang)} {pts})")
        for k in added
    ]
    for k in oc:
        if k not in nc:
            continue
        (og, a), (ng, b) = oc[k], nc[k]
        if og != ng:
            moved = f"chuyển từ nhóm {og} sang {ng}" if vi else f"moved from group {og} to {ng}"
            out.append(Change("changed", "criterion", k, moved))
        if a.max != b.max:
            word = "điểm tối đa" if vi else "max points"
            out.append(Change("changed", "criterion", k, f"{word} {_num(a.max, lang)} → {_num(b.max, lang)}"))
        if a.input != b.input:
            out.append(Change("changed", "criterion", k, f"{'dữ liệu' if vi else 'input'} {a.input} → {b.input}"))
        if a.rule.describe("en") != b.rule.describe("en"):
            word = "cách tính điểm" if vi else "rule"
            out.append(
                Change("changed", "criterion", k, f"{word}: {a.rule.describe(lang)}  →  {b.rule.describe(lang)}")
            )
        if a.minimum != b.minimum or a.knockout != b.knockout:
            word = "tối thiểu/loại trừ" if vi else "minimum/knock-out"
            out.append(Change("changed", "criterion", k, f"{word} {a.minimum},{a.knockout} → {b.minimum},{b.knockout}"))
    og_ = {g.id: g for g in old.groups}
    ng_ = {g.id: g for g in new.groups}
    for k in og_.keys() - ng_.keys():
        out.append(Change("removed", "group", k, og_[k].title.get(lang)))
    for k in ng_.keys() - og_.keys():
        out.append(Change("added", "group", k, ng_[k].title.get(lang)))
    for k in og_.keys() & ng_.keys():
        if og_[k].max != ng_[k].max:
            word = "điểm tối đa" if vi else "max points"
            out.append(Change("changed", "group", k, f"{word} {_num(og_[k].max, lang)} → {_num(ng_[k].max, lang)}"))
        if og_[k].minimum != ng_[k].minimum:
            word = "tối thiểu" if vi else "minimum"
            out.append(Change("changed", "group", k, f"{word} {og_[k].minimum} → {ng_[k].minimum}"))
    for what, a_ids, b_ids in (
        ("field", {f.id for f in old.fields}, {f.id for f in new.fields}),
        ("indicator", {i.id for i in old.indicators}, {i.id for i in new.indicators}),
    ):
        out += [Change("removed", what, k, "") for k in sorted(a_ids - b_ids)]
        out += [Change("added", what, k, "") for k in sorted(b_ids - a_ids)]
    for i in old.indicators:
        j = new.indicator(i.id)
        if j is not None and i.formula() != j.formula():
            out.append(Change("changed", "indicator", i.id, f"{i.formula()} → {j.formula()}"))
    out += _diff_gates(old, new, lang)
    if old.outcome.pass_mark != new.outcome.pass_mark:
        marks = f"{_num(old.outcome.pass_mark, lang)} → {_num(new.outcome.pass_mark, lang)}"
        out.append(Change("changed", "outcome", "pass_mark", marks))
    if old.total_max != new.total_max:
        out.append(
            Change("changed", "outcome", "total_max", f"{_num(old.total_max, lang)} → {_num(new.total_max, lang)}")
        )
    ot = {t.id: t.range for t in old.outcome.tiers or []}
    nt = {t.id: t.range for t in new.outcome.tiers or []}
    for k in sorted(ot.keys() | nt.keys()):
        if ot.get(k) != nt.get(k):
            out.append(Change("changed", "tier", k, f"{ot.get(k, '—')} → {nt.get(k, '—')}"))
    o, n = old.ranking, new.ranking
    if o.top_n != n.top_n:
        out.append(Change("changed", "ranking", "top_n", f"{o.top_n} → {n.top_n}"))
    if o.per_enterprise_cap != n.per_enterprise_cap:
        out.append(
            Change("changed", "ranking", "per_enterprise_cap", f"{o.per_enterprise_cap} → {n.per_enterprise_cap}")
        )
    if [t.model_dump() for t in o.tie_breaks] != [t.model_dump() for t in n.tie_breaks]:
        fmt = lambda tbs: ", ".join(f"{t.ref} {t.order}" for t in tbs)  # noqa: E731
        out.append(Change("changed", "ranking", "tie_breaks", f"{fmt(o.tie_breaks)} → {fmt(n.tie_breaks)}"))
    return out


def _diff_gates(old: CriteriaSet, new: CriteriaSet, lang: str = "en") -> list[Change]:
    def leaves(cs: CriteriaSet) -> dict[str, str]:
        """Gate nodes keyed by id, or by their path below the nearest named ancestor, so that
        inserting one gate does not rename every unnamed node after it."""
        out: dict[str, str] = {}

        def visit(node: Gate, key: str) -> None:
            vi = lang == "vi"
            if node.ref is not None:
                out[key] = comparison_text(node, lang)
            else:
                kind = ("tất cả" if vi else "all-of") if node.all is not None else ("một trong" if vi else "any-of")
                out[key] = f"{kind} [{len(node.children())} {'mục' if vi else 'parts'}]"
            kind = "all" if node.all is not None else "any"
            for i, child in enumerate(node.children()):
                # an unnamed leaf is identified by what it tests, not by its position
                sub = child.id or (f"{key}.{kind}:{child.ref}" if child.ref else f"{key}.{kind}[{i}]")
                visit(child, sub)

        if cs.gates is not None:
            visit(cs.gates, cs.gates.id or "gates")
        return out

    a, b = leaves(old), leaves(new)
    out = [Change("removed", "gate", k, a[k]) for k in a if k not in b]
    out += [Change("added", "gate", k, b[k]) for k in b if k not in a]
    out += [Change("changed", "gate", k, f"{a[k]} → {b[k]}") for k in a if k in b and a[k] != b[k]]
    return out


def _status(recognised: bool, top: bool, top_tie: bool) -> str:
    if top:
        return "top"
    if top_tie:
        return "top_tie"
    return "recognised" if recognised else "not_recognised"


def replay(
    old: CriteriaSet, new: CriteriaSet, dossiers: Path, mapping: Path | None = None
) -> tuple[list[OutcomeChange], int]:
    """Read the dossiers with the set their forms were made for, then score them under both."""
    _, reads, _ = read_inputs(old, [dossiers], mapping=mapping)
    by_file = {r.file: r for r in reads}
    results = {}
    for cs in (old, new):
        results[cs is new] = _score_in_parts(cs, reads)
    (otot, oout, ork), (ntot, nout, nrk) = results[False], results[True]
    changes: list[OutcomeChange] = []
    for d in ork.index:
        if d not in nrk.index:
            continue  # its category is gone from the new set: said among the criteria's changes
        o_r, n_r = ork.loc[d], nrk.loc[d]
        read = by_file[str(d)]
        product = read.dossier.text(old.identity.product) if read.dossier else ""
        changes.append(
            OutcomeChange(
                str(d),
                product,
                float(at(otot, d)),
                float(at(ntot, d)),
                None if pd.isna(o_r["rank"]) else int(o_r["rank"]),
                None if pd.isna(n_r["rank"]) else int(n_r["rank"]),
                _status(bool(at(oout, d, "recognised")), bool(o_r["top"]), bool(o_r["top_tie"])),
                _status(bool(at(nout, d, "recognised")), bool(n_r["top"]), bool(n_r["top_tie"])),
                at(oout, d, "tier"),
                at(nout, d, "tier"),
            )
        )
    changes = [c for c in changes if c.outcome_changed or c.old_total != c.new_total or c.old_rank != c.new_rank]
    return changes, len(ork)


def _score_in_parts(cs: CriteriaSet, reads: list[DossierRead]) -> tuple[pd.Series, pd.DataFrame, pd.DataFrame]:
    """Totals, outcomes and ranks of the dossiers under ``cs``: each category's with its own set,
    ranked within it (a dossier of a category ``cs`` does not have is left out)."""
    if cs.categories is None:
        frame, selfs = build_frame(cs, reads)
        sc = score(cs, frame, selfs)
        return sc.total, sc.outcome, rank(cs, sc, frame, enterprises(cs, frame))[0]
    parts = [
        _score_in_parts(own, mine)
        for k, own in category_sets(cs).items()
        if (mine := [r for r in reads if r.dossier is not None and getattr(r.dossier, "category", None) == k])
    ]
    if not parts:
        return _score_in_parts(next(iter(category_sets(cs).values())), [])
    return tuple(pd.concat([p[i] for p in parts]) for i in range(3))  # type: ignore[return-value]


def diff(
    old: CriteriaSet, new: CriteriaSet, dossiers: Path | None = None, mapping: Path | None = None, lang: str = "en"
) -> DiffResult:
    result = DiffResult(old, new, diff_criteria(old, new, lang))
    if dossiers is not None:
        result.replay, result.replayed = replay(old, new, dossiers, mapping)
    return result


def _num(v: float, lang: str) -> str:
    return format_number(v, lang, 6)


def _fmt(v: float | None, lang: str = "vi") -> str:
    return "—" if v is None else format_number(v, lang)


# words of the markdown report: key -> (vi, en)
_MD: dict[str, tuple[str, str]] = {
    "title": ("Thay đổi bộ tiêu chí", "Criteria change"),
    "none": ("Ý nghĩa của bộ tiêu chí không thay đổi.", "No change in the criteria's meaning."),
    "head": ("| thay đổi | mục | mã | chi tiết |", "| change | what | id | detail |"),
    "impact": ("Ảnh hưởng tới {n} hồ sơ", "Impact on {n} dossiers"),
    "flips": ("**Hồ sơ đổi kết quả**", "**Outcome changes**"),
    "flips_head": (
        "| hồ sơ | sản phẩm | kết quả | hạng sao / bậc | tổng điểm | hạng |",
        "| dossier | product | outcome | tier | total | rank |",
    ),
    "no_flip": ("Không hồ sơ nào đổi kết quả.", "No dossier changes outcome."),
    "shifts": ("**Thay đổi điểm và hạng (cùng kết quả)**", "**Score and rank changes (same outcome)**"),
    "shifts_head": ("| hồ sơ | tổng điểm | hạng |", "| dossier | total | rank |"),
    "added": ("thêm", "added"),
    "removed": ("bỏ", "removed"),
    "renamed": ("đổi mã", "renamed"),
    "changed": ("sửa", "changed"),
    "criterion": ("tiêu chí", "criterion"),
    "group": ("nhóm", "group"),
    "gate": ("điều kiện", "gate"),
    "field": ("trường nhập", "field"),
    "indicator": ("chỉ số", "indicator"),
    "outcome": ("kết quả", "outcome"),
    "tier": ("hạng sao / bậc", "tier"),
    "ranking": ("xếp hạng", "ranking"),
}
_STATUS_LABELS = {
    "top": "outcome_top",
    "top_tie": "outcome_top_tie",
    "recognised": "outcome_recognised",
    "not_recognised": "outcome_not_recognised",
}


def _md(key: str, lang: str, **params: Any) -> str:
    text = _MD[key][1 if lang == "en" else 0]
    return text.format(**params) if params else text


def _status_text(status: str, cs: CriteriaSet, lang: str) -> str:
    return label(_STATUS_LABELS[status], lang, n=cs.ranking.top_n or 0) if status in _STATUS_LABELS else status


def _tier_text(tier: str | None, cs: CriteriaSet, lang: str) -> str:
    found = next((t for t in cs.outcome.tiers or [] if t.id == tier), None)
    return "—" if tier is None else (found.label.get(lang) if found else tier)


def to_markdown(r: DiffResult, lang: str = "vi") -> str:
    """The change as a markdown report in ``lang``: outcomes and tiers by their labels, not codes."""
    o, n = r.old, r.new
    lines = [f"## {_md('title', lang)}: `{o.id} {o.version}` → `{n.id} {n.version}`", ""]
    if not r.changes:
        lines.append(_md("none", lang))
    else:
        lines += [_md("head", lang), "|---|---|---|---|"]
        lines += [
            f"| {_md(c.kind, lang)} | {_md(c.what, lang)} | `{c.id}` | {c.detail.replace('|', '/')} |"
            for c in r.changes
        ]
    if r.replayed:
        lines += ["", f"### {_md('impact', lang, n=r.replayed)}", ""]
        flips = [c for c in r.replay if c.outcome_changed]
        if flips:
            lines += [_md("flips", lang), "", _md("flips_head", lang), "|---|---|---|---|---|---|"]
            lines += [
                f"| {c.file} | {c.product} | {_status_text(c.old_status, o, lang)} → "
                f"**{_status_text(c.new_status, n, lang)}** | {_tier_text(c.old_tier, o, lang)} → "
                f"{_tier_text(c.new_tier, n, lang)} | {_fmt(c.old_total, lang)} → {_fmt(c.new_total, lang)} | "
                f"{c.old_rank or '—'} → {c.new_rank or '—'} |"
                for c in flips
            ]
        else:
            lines.append(_md("no_flip", lang))
        shifts = [c for c in r.replay if not c.outcome_changed]
        if shifts:
            lines += ["", _md("shifts", lang), "", _md("shifts_head", lang), "|---|---|---|"]
            lines += [
                f"| {c.file} | {_fmt(c.old_total, lang)} → {_fmt(c.new_total, lang)} | "
                f"{c.old_rank or '—'} → {c.new_rank or '—'} |"
                for c in shifts
            ]
    return "\n".join(lines) + "\n"
