"""Why a dossier scored what it did: input cells -> indicator -> band -> points, and what would change it."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from spcncl_score.criteria.gatetree import comparison_text, walk_with_keys
from spcncl_score.criteria.models import CriteriaSet, Criterion
from spcncl_score.criteria.rules import BandsRule, ChoiceRule, LinearRule, YesNoRule
from spcncl_score.i18n import DECISION_EPS, format_against, format_number, format_threshold, label, render_reason
from spcncl_score.intake.names import input_keys
from spcncl_score.scoring.frames import at
from spcncl_score.scoring.ranking import TOTAL_KEY
from spcncl_score.scoring.result import RunResult, outcome_of


@dataclass
class Step:
    criterion: str
    title: str
    cells: list[str]
    values: list[str]
    indicator: str | None
    value: Any
    matched: str
    points: float
    max: float
    self_score: float | None
    next_step: str | None


@dataclass
class Explanation:
    file: str
    enterprise: str
    product: str
    total: float
    pass_mark: float
    margin: float
    outcome: str
    reasons: list[str]
    steps: list[Step] = field(default_factory=list)
    gates: list[tuple[int, str, bool]] = field(default_factory=list)
    # None: the criteria have no tiers; "" when they have and this product gets none
    tier: str | None = None
    # known only with the whole batch (--cohort): rank among recognised products, out of how many
    cohort: bool = False
    rank: int | None = None
    ranked: int = 0
    tied: bool = False
    # the tie-break key (and its name) that separated an equal total; None when the total did
    tie_break: tuple[str, str] | None = None
    # in a run in parts: the part (category, or criteria set) the dossier was scored in, and, when
    # the set ranks its categories together, the rank among all of them, out of how many
    part: str | None = None
    overall_rank: int | None = None
    overall_ranked: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "enterprise": self.enterprise,
            "product": self.product,
            "total": self.total,
            "pass_mark": self.pass_mark,
            "margin_to_pass_mark": round(self.margin, 6),
            "outcome": self.outcome,
            "tier": self.tier or None,
            "rank": self.rank,
            "tied": self.tied if self.cohort else None,
            "tie_break": self.tie_break[0] if self.tie_break else None,
            "reasons": self.reasons,
            "gates": [{"depth": d, "gate": g, "passed": p} for d, g, p in self.gates],
            "criteria": [s.__dict__ for s in self.steps],
        } | ({"part": self.part, "overall_rank": self.overall_rank} if self.part is not None else {})


def next_step(crit: Criterion, value: Any, points: float, lang: str) -> str | None:
    """The smallest change of the input that would add points, in the input's own unit."""
    rule = crit.rule
    if isinstance(value, (int, float, np.floating)) and math.isnan(float(value)):
        return None
    if isinstance(rule, BandsRule):
        x = float(value)
        better = [(b.interval, b.points) for b in rule.bands if b.points > points + 1e-9]
        if not better:
            return None
        if rule.direction == "higher":
            cands = [(iv.lo, iv.lo_closed, p) for iv, p in better if iv.lo >= x or iv.contains(x)]
            if not cands:
                return None
            lo, closed, p = min(cands, key=lambda t: (t[0], -t[2]))
            word = "≥" if closed else ">"
            return _say(lang, f"{word} {format_number(lo, lang)}", lo - x, p - points)
        cands = [(iv.hi, iv.hi_closed, p) for iv, p in better if iv.hi <= x]
        if not cands:
            return None
        hi, closed, p = max(cands, key=lambda t: (t[0], t[2]))
        word = "≤" if closed else "<"
        return _say(lang, f"{word} {format_number(hi, lang)}", hi - x, p - points)
    if isinstance(rule, LinearRule):
        a, b = rule.start, rule.end
        slope = (b.points - a.points) / (b.value - a.value)
        if slope > 0 and points < b.points - 1e-9:
            per = 1 / slope
            return (
                f"mỗi +{format_number(per, lang)} thêm 1 điểm, tối đa ở {format_number(b.value, lang)}"
                if lang == "vi"
                else f"each +{format_number(per, lang)} adds 1 point, up to {format_number(b.value, lang)}"
            )
        if slope < 0 and points < a.points - 1e-9:
            per = -1 / slope
            return (
                f"mỗi −{format_number(per, lang)} thêm 1 điểm"
                if lang == "vi"
                else f"each −{format_number(per, lang)} adds 1 point"
            )
        return None
    if isinstance(rule, YesNoRule) and points < rule.max_points() - 1e-9:
        return (
            f"'Có' cho +{format_number(rule.if_yes - points, lang)} điểm"
            if lang == "vi"
            else f"'Yes' would add {format_number(rule.if_yes - points, lang)} points"
        )
    if isinstance(rule, ChoiceRule) and points < rule.max_points() - 1e-9:
        best = max(rule.points.items(), key=lambda kv: kv[1])
        return f"'{best[0]}' → +{format_number(best[1] - points, lang)}"
    return None


def _say(lang: str, target: str, distance: float, gain: float) -> str:
    if lang == "vi":
        return f"đạt {target} (cách {format_number(distance, lang)}) để thêm {format_number(gain, lang)} điểm"
    return f"reach {target} ({format_number(distance, lang)} away) for +{format_number(gain, lang)} points"


def explain(result: RunResult, dossier: str, lang: str = "vi", *, cohort: bool = True) -> Explanation:
    """Explain one scored dossier of ``result``.

    ``cohort`` says whether ``result`` holds the whole batch; without it the Top-N status
    is not stated, since it depends on the other dossiers. In a run in parts, the dossier is
    explained in its part, with the part's name and its overall rank.
    """
    if result.parts:
        part = result.part_of(dossier)
        if part is None:
            raise KeyError(dossier)
        ex = explain(part, dossier, lang, cohort=cohort)
        ex.part = part.part_label(lang)
        if result.overall is not None and cohort and dossier in result.overall.index:
            rank: Any = result.overall.at[dossier, "rank"]
            ex.overall_rank = None if pd.isna(rank) else int(rank)
            ex.overall_ranked = int(result.overall["rank"].notna().sum())
        return ex
    cs: CriteriaSet = result.criteria
    sc = result.scores
    read = result.read_of(dossier)
    if sc is None or read is None or read.dossier is None or dossier not in sc.points.index:
        raise KeyError(dossier)
    d = read.dossier
    total = float(at(sc.total, dossier))
    out_text, _ = outcome_of(result, dossier, lang)
    if not cohort and cs.ranking.top_n:
        recognised = bool(at(sc.outcome, dossier, "recognised"))
        out_text = label("outcome_recognised" if recognised else "outcome_not_recognised", lang)
        if recognised:
            out_text += (
                f" (Top {cs.ranking.top_n} phụ thuộc cả đợt: dùng --cohort THƯ_MỤC)"
                if lang == "vi"
                else f" (the Top {cs.ranking.top_n} depends on the whole batch: use --cohort FOLDER)"
            )
    ex = Explanation(
        dossier,
        d.text(cs.identity.enterprise),
        d.text(cs.identity.product),
        total,
        cs.outcome.pass_mark,
        total - cs.outcome.pass_mark,
        out_text,
        [render_reason(r.code, r.params, lang) for r in sc.reasons(dossier)],
    )
    for _, c in cs.criteria():
        keys = [f"self:{c.id}"] if c.council else input_keys(cs, c.input)
        cells = [d.cells[k].render() for k in keys if k in d.cells]
        values = [f"{k}={_value_text(d.values.get(k), lang)}" for k in keys if not k.startswith("self:")]
        v = at(sc.inputs, dossier, c.id)
        pts = float(at(sc.points, dossier, c.id))
        ind = None
        if c.input and cs.indicator(c.input) is not None:
            ind = f"{c.input} = {cs.indicator(c.input).formula()}"
        selfv = at(sc.self_scores, dossier, c.id)
        ex.steps.append(
            Step(
                c.id,
                c.title.get(lang),
                cells,
                values,
                ind,
                None if pd.isna(v) else (float(v) if isinstance(v, (int, float, np.floating)) else str(v)),
                "" if c.council else str(at(sc.matched, dossier, c.id) or ""),
                pts,
                c.max,
                None if pd.isna(selfv) else float(selfv),
                None if c.council else next_step(c, v, pts, lang),
            )
        )
    if cs.outcome.tiers:
        tier_id = at(sc.outcome, dossier, "tier")
        tier = next((t for t in cs.outcome.tiers if t.id == tier_id), None)
        ex.tier = tier.label.get(lang) if tier is not None else ""
    if cohort and result.ranking is not None:
        row = result.ranking.loc[dossier]
        ex.cohort = True
        ex.rank = None if pd.isna(row["rank"]) else int(row["rank"])
        ex.ranked = int(result.ranking["rank"].notna().sum())
        ex.tied = bool(row["tied"])
        sep = str(row["separated_by"] or "")
        if sep and sep != TOTAL_KEY:
            ex.tie_break = (sep, cs.label_of(sep, lang))
    if cs.gates is not None:
        for key, node, depth in walk_with_keys(cs.gates):
            title = node.title.get(lang) if node.title else (comparison_text(node, lang, cs) if node.ref else key)
            ex.gates.append((depth, title, bool(at(sc.gates, dossier, key))))
    return ex


def _value_text(value: Any, lang: str) -> str:
    if isinstance(value, bool):
        return label("yes" if value else "no_word", lang)
    if isinstance(value, (int, float)):
        return format_number(float(value), lang)
    return "—" if value is None else str(value)


def render_text(ex: Explanation, lang: str = "vi") -> str:
    vi = lang == "vi"
    lines = [f"{ex.file}: {ex.enterprise} — {ex.product}"]
    if ex.part is not None:
        lines.append(f"  {'Nhóm / bộ tiêu chí' if vi else 'Category / criteria set'}: {ex.part}")
    for s in ex.steps:
        lines.append(f"  {s.criterion} {s.title}: {format_number(s.points, lang)}/{format_number(s.max, lang)}")
        if s.cells:
            lines.append(f"      {'ô' if vi else 'cells'}: {', '.join(s.cells)}")
        if s.values:
            lines.append(f"      {'giá trị' if vi else 'values'}: {', '.join(s.values)}")
        if s.indicator:
            val = format_number(s.value, lang) if isinstance(s.value, float) else s.value
            lines.append(f"      {s.indicator} = {val}")
        if s.matched:
            lines.append(f"      {'khớp' if vi else 'matched'}: {s.matched}")
        if s.self_score is not None:
            lines.append(f"      {'tự chấm' if vi else 'self-score'}: {format_number(s.self_score, lang)}")
        if s.next_step:
            lines.append(f"      → {s.next_step}")
    lines.append("  " + ("Điều kiện:" if vi else "Eligibility:"))
    for depth, title, ok in ex.gates:
        mark = "✓" if ok else "✗"
        lines.append(f"    {'  ' * depth}{mark} {title}")
    # shown on the side of the pass mark the engine decided: 64,999 (not 65) and −0,001 (not 0)
    below = ex.total + DECISION_EPS < ex.pass_mark
    margin = format_against(ex.margin, 0.0, lang, below=below)
    lines.append(
        f"  {'Tổng' if vi else 'Total'}: {format_against(ex.total, ex.pass_mark, lang, below=below)} · "
        f"{'điểm đạt' if vi else 'pass mark'} {format_threshold(ex.pass_mark, lang)} · "
        f"{'chênh' if vi else 'margin'} {'+' if ex.margin > 0 and not below else ''}{margin}"
    )
    lines.append(f"  {'Kết quả' if vi else 'Outcome'}: {ex.outcome}")
    for r in ex.reasons:
        lines.append(f"    - {r}")
    if ex.tier is not None:
        none = "không đạt bậc nào" if vi else "none"
        lines.append(f"  {label('tier', lang)}: {ex.tier or none}")
    lines += _rank_lines(ex, lang)
    return "\n".join(lines)


def _rank_lines(ex: Explanation, lang: str) -> list[str]:
    """Rank and tie-break, stated only when the whole batch was read (they depend on it)."""
    vi = lang == "vi"
    if not ex.cohort:
        return [
            "  Hạng: phụ thuộc cả đợt hồ sơ; dùng --cohort THƯ_MỤC để biết hạng và cách phân định đồng điểm"
            if vi
            else "  Rank: depends on the whole batch; use --cohort FOLDER for rank and tie-break"
        ]
    if ex.rank is None:
        return ["  Hạng: không xếp hạng (không được công nhận)" if vi else "  Rank: not ranked (not recognised)"]
    rank = f"{ex.rank}/{ex.ranked}"
    if ex.tie_break is not None:
        key, name = ex.tie_break
        how = (
            f"bằng tổng điểm với hồ sơ liền kề, phân định bằng '{name}' ({key})"
            if vi
            else f"equal total with a neighbour, separated by '{name}' ({key})"
        )
    elif ex.tied:
        how = (
            "đồng hạng: bằng nhau trên mọi khóa phân định đã khai báo; Hội đồng quyết định"
            if vi
            else "tied: equal on every declared tie-break key; the council decides"
        )
    else:
        how = "tổng điểm đã phân định, không cần khóa phụ" if vi else "separated by the total, no tie-break needed"
    lines = [f"  {'Hạng' if vi else 'Rank'}: {rank} · {how}"]
    if ex.overall_rank is not None:
        lines.append(
            f"  {'Hạng chung các nhóm' if vi else 'Rank across categories'}: {ex.overall_rank}/{ex.overall_ranked}"
        )
    return lines
