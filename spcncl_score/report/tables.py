"""The report's content as plain tables (header, rows, column kinds), in one language.

Writers (xlsx, terminal, JSON) only format these; what the council reads is decided here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from spcncl_score.criteria.gatetree import comparison_text, walk_with_keys
from spcncl_score.criteria.models import CriteriaSet, Gate
from spcncl_score.i18n import format_number, label, render_reason
from spcncl_score.intake.names import input_keys
from spcncl_score.scoring.engine import BASES, BASIS_COUNCIL, BASIS_SELF, Reason
from spcncl_score.scoring.frames import Cells, at, num, opt_num
from spcncl_score.scoring.ranking import TOTAL_KEY
from spcncl_score.scoring.result import RunResult, outcomes

# warnings the council should see beside the ranking, not only in the issues sheet
COUNCIL_WARNINGS = ("implausible-value", "score-overclaim", "dossier-fingerprint-changed")


@dataclass
class Column:
    header: str
    kind: str = "text"  # text, int, points, total (points held against the pass mark), number, outcome, wrap, code
    width: float = 14


@dataclass
class Table:
    key: str
    name: str
    columns: list[Column]
    rows: list[list[Any]] = field(default_factory=list)
    # per-row style tag (e.g. outcome) used by writers for colours
    styles: list[str] = field(default_factory=list)
    # cells that a spreadsheet should compute, keyed by (row, column) of ``rows``:
    # ("sum_rows", table_key, column, first_row, last_row), ("sum_cols", first_column, last_column)
    # or ("sum_cols_in", table_key, first_column, last_column): the same row of another table
    formulas: dict[tuple[int, int], tuple[Any, ...]] = field(default_factory=dict)
    subtitle: str | None = None  # under the title, instead of the criteria's id, pass mark and Top N


def separated_text(cs: CriteriaSet, key: Any, lang: str) -> str:
    """The tie-break that separated a dossier from the next (blank when the totals did)."""
    sep = str(key or "")
    return "" if not sep or sep == TOTAL_KEY else f"{sep} — {cs.label_of(sep, lang)}"


def reasons_text(reasons: list[Reason], lang: str) -> str:
    return "; ".join(render_reason(r.code, r.params, lang) for r in reasons)


def choice_label(cs: CriteriaSet, field_id: str | None, value: Any, lang: str) -> str:
    if field_id is None or value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    f = cs.field(field_id)
    if f is not None and f.choices:
        match = next((c for c in f.choices if c.value == value), None)
        if match:
            return match.label.get(lang)
    return str(value)


Progress = Callable[[int, int, str], None]
PROGRESS_DOSSIERS = 1000  # dossiers between progress reports while the detail is built


def ident(result: RunResult, dossier: str) -> tuple[str, str, str, str]:
    """(enterprise, tax code, product, industry-group field) of a dossier; empty when it was not read."""
    cs = result.criteria
    read = result.read_of(dossier)
    d = read.dossier if read else None
    if d is None:
        return "", "", "", ""
    ig = cs.identity.industry_group
    return (d.text(cs.identity.enterprise), d.text(cs.identity.tax_code), d.text(cs.identity.product), ig or "")


FIRST_GROUP_COL = 7  # the first group subtotal's column of the ranking analysis


def ranking_table(result: RunResult, lang: str) -> Table:
    """The full ranking analysis: every column the working group computes about the ranking."""
    cs = result.criteria
    cols = [
        Column(label("rank", lang), "int", 5),
        Column(label("tie", lang), "text", 5),
        Column(label("enterprise", lang), "wrap", 26),
        Column(label("tax_code", lang), "code", 12),
        Column(label("product", lang), "wrap", 22),
        Column(label("industry_group", lang), "wrap", 14),
        Column(label("tracks", lang), "text", 8),
    ]
    cols += [Column(f"{g.id.upper()}. {g.title.get(lang)} ({g.max:g})", "points", 9) for g in cs.groups]
    cols += [Column(label("total_points", lang) + f" ({cs.total_max:g})", "total", 10)]
    previous = result.previous
    if previous is not None:  # only with a history, so that reports without one stay as they were
        cols += [
            Column(label("reapplicant", lang), "text", 12),
            Column(label("last_recognised", lang), "int", 10),
            Column(label("last_total", lang), "points", 9),
        ]
    if cs.outcome.tiers:
        cols.append(Column(label("tier", lang), "text", 12))
    cols += [
        Column(label("outcome", lang), "outcome", 14),
        Column(label("separated_by", lang), "wrap", 12),
        Column(label("reasons", lang), "wrap", 32),
        Column(label("council_warnings", lang), "wrap", 28),
    ]
    sens = result.sensitivity
    n_top = cs.ranking.top_n or 0
    if sens is not None:
        cols += [Column(label("to_pass_mark", lang), "points", 8)]
        if n_top:
            cols += [Column(label("to_top_line", lang, n=n_top), "points", 8)]
        cols += [Column(label("stability", lang), "percent", 9), Column(label("fragile", lang), "text", 8)]
    cols += [Column(label("file", lang), "wrap", 18)]
    table = Table("analysis", label("sheet_analysis", lang), cols)
    if result.ranking is None or result.scores is None:
        return table
    sc = result.scores
    tracks = _tracks(cs, sc.gates)
    tiers = {t.id: t.label.get(lang) for t in cs.outcome.tiers or []}
    groups, totals, outcome = Cells(sc.groups), Cells(sc.total), Cells(sc.outcome)
    sens_cells = Cells(sens) if sens is not None else None
    warned: dict[str, list[str]] = {}
    for i in result.issues:
        if i.code in COUNCIL_WARNINGS and i.location.file:
            warned.setdefault(i.location.file, []).append(i.message(lang))
    rk = result.ranking
    shown = outcomes(result, lang)
    for dossier, rank, tied, sep_by in zip(
        rk.index, rk["rank"].tolist(), rk["tied"].tolist(), rk["separated_by"].tolist(), strict=True
    ):
        ent, tax, prod, ig = ident(result, str(dossier))
        read = result.read_of(str(dossier))
        ig_text = choice_label(
            cs, ig or None, read.dossier.values.get(ig) if read and read.dossier and ig else None, lang
        )
        text, style = shown[str(dossier)]
        row: list[Any] = [
            None if pd.isna(rank) else int(rank),
            "=" if tied else "",
            ent,
            tax,
            prod,
            ig_text,
            tracks.get(str(dossier), ""),
        ]
        row += [float(groups[dossier, g.id]) for g in cs.groups]
        row.append(float(totals[dossier]))
        if previous is not None:
            past = previous.get(str(dossier))
            if past is None:
                row += ["", None, None]
            else:
                row += [label("reapplicant_mark", lang, year=past.last_year), past.last_recognised, past.last_total]
        if cs.outcome.tiers:
            row.append(tiers.get(outcome[dossier, "tier"], ""))
        row += [
            text,
            separated_text(cs, sep_by, lang),
            reasons_text(sc.reasons(dossier), lang),
            "\n".join(warned.get(str(dossier), [])),
        ]
        if sens_cells is not None:
            row.append(num(sens_cells[dossier, "to_pass_mark"]))
            if n_top:
                row.append(opt_num(sens_cells[dossier, "to_top_line"]))
            fragile = bool(sens_cells[dossier, "fragile"])
            row += [num(sens_cells[dossier, "stability"]), label("fragile", lang) if fragile else ""]
        row.append(str(dossier))
        # subtotals and totals are formulas over the detail sheet, so an auditor can see their sum
        r_i = len(table.rows)
        first_group = FIRST_GROUP_COL
        k = len(cs.criteria())
        offset = 0
        for gi, g in enumerate(cs.groups):
            table.formulas[(r_i, first_group + gi)] = (
                "sum_rows",
                "detail",
                DETAIL_POINTS_COL,
                r_i * k + offset,
                r_i * k + offset + len(g.criteria) - 1,
            )
            offset += len(g.criteria)
        last_group = first_group + len(cs.groups) - 1
        table.formulas[(r_i, last_group + 1)] = ("sum_cols", first_group, last_group)
        table.rows.append(row)
        table.styles.append(style)
    return table


DETAIL_POINTS_COL = 12  # the 'points' column of the detail table


def _tracks(cs: CriteriaSet, gates: pd.DataFrame) -> dict[str, str]:
    """Which named children of the last any-of gate a dossier passed (Hanoi: its tracks A-D)."""
    if cs.gates is None or gates.empty:
        return {}
    anys = [n for _, n, _ in walk_with_keys(cs.gates) if n.any is not None]
    if not anys:
        return {}
    names = [c.id for c in anys[-1].any or [] if c.id and c.id in gates.columns]
    passed = gates[names].to_numpy(dtype=bool)
    shown = [n.replace("track_", "").upper() for n in names]
    return {
        str(d): ", ".join(s for s, ok in zip(shown, row, strict=True) if ok)
        for d, row in zip(gates.index, passed, strict=True)
    }


@dataclass
class _DetailCriterion:
    """What the detail sheet shows of a criterion that is the same for every dossier."""

    group: str
    cid: str
    title: str
    input: str | None
    keys: list[str]
    # (value key, text before the value) of the keys that hold values
    shown: list[tuple[str, str]]
    input_label: str
    unit: str | None
    choice: bool
    council: bool
    max: float
    provenance: str


def detail_table(result: RunResult, lang: str, progress: Progress | None = None) -> Table:
    cs = result.criteria
    cols = [
        Column(label("file", lang), "wrap", 16),
        Column(label("enterprise", lang), "wrap", 18),
        Column(label("product", lang), "wrap", 16),
        Column(label("group", lang), "text", 5),
        Column(label("criterion_id", lang), "text", 12),
        Column(label("criterion", lang), "wrap", 20),
        Column(label("input", lang), "wrap", 18),
        Column(label("source_cells", lang), "wrap", 16),
        Column(label("input_values", lang), "wrap", 22),
        Column(label("indicator_value", lang), "number", 10),
        Column(label("unit", lang), "wrap", 8),
        Column(label("matched", lang), "wrap", 11),
        Column(label("points", lang), "points", 7),
        Column(label("max_points", lang), "points", 7),
        Column(label("self_score", lang), "points", 7),
        Column(label("difference", lang), "points", 8),
        Column(label("basis", lang), "wrap", 14),
        Column(label("provenance", lang), "wrap", 24),
    ]
    table = Table("detail", label("sheet_detail", lang), cols)
    sc = result.scores
    if sc is None or result.ranking is None:
        return table
    reads = {r.file: r for r in result.reads}
    fields = {f.id: f for f in cs.fields}

    fixed: list[_DetailCriterion] = []
    for g, c in cs.criteria():
        keys = [f"self:{c.id}"] if c.council else input_keys(cs, c.input)
        several = len({k.partition("@")[0] for k in keys}) > 1
        shown = [
            (k, f"{cs.label_of(k.partition('@')[0], lang)} " if several else "")
            for k in keys
            if not k.startswith("self:")
        ]
        f_in = fields.get(c.input) if c.input else None
        fixed.append(
            _DetailCriterion(
                g.id.upper(),
                c.id,
                c.title.get(lang),
                c.input,
                keys,
                shown,
                cs.label_of(c.input, lang) if c.input else label("council_scored", lang),
                cs.unit_of(c.input) if c.input else "",
                f_in is not None and f_in.type == "choice",
                c.council,
                c.max,
                c.source.describe(lang) if c.source else "",
            )
        )
    basis_text = {b: label(f"basis_{b}", lang) for b in BASES}
    tolerance = cs.outcome.overclaim_tolerance + 1e-9
    inputs, points, self_scores = Cells(sc.inputs), Cells(sc.points), Cells(sc.self_scores)
    bases, matches = Cells(sc.basis), Cells(sc.matched)
    n = len(result.ranking)
    for done, dossier in enumerate(result.ranking.index):
        if progress is not None and done and done % PROGRESS_DOSSIERS == 0:
            progress(done, n, table.name)
        d = reads[str(dossier)].dossier
        assert d is not None
        ent, _, prod, _ = ident(result, str(dossier))
        dcells, values, raw = d.cells, d.values, d.raw
        for fx in fixed:
            cells = "; ".join(dcells[k].render() for k in fx.keys if k in dcells)
            vals = "; ".join(
                prefix + _value_text(cs, values.get(k), k, d.reporting_year, lang, raw.get(k), fields)
                for k, prefix in fx.shown
            )
            inp = inputs[dossier, fx.cid]
            indicator = float(inp) if isinstance(inp, (int, float, np.floating)) and not pd.isna(inp) else None
            pts = float(points[dossier, fx.cid])
            selfv = self_scores[dossier, fx.cid]
            selfv = None if pd.isna(selfv) else float(selfv)
            diff = None if selfv is None or fx.council else selfv - pts
            basis = str(bases[dossier, fx.cid])
            matched = str(matches[dossier, fx.cid] or "")
            if matched in (BASIS_SELF, BASIS_COUNCIL):
                matched = ""
            if fx.choice:
                indicator = None
                matched = choice_label(cs, fx.input, matched, lang) if matched else ""
            table.rows.append(
                [
                    str(dossier),
                    ent,
                    prod,
                    fx.group,
                    fx.cid,
                    fx.title,
                    fx.input_label,
                    cells,
                    vals,
                    indicator,
                    fx.unit,
                    matched,
                    pts,
                    fx.max,
                    selfv,
                    diff,
                    basis_text[basis],
                    fx.provenance,
                ]
            )
            table.styles.append("overclaim" if diff is not None and diff > tolerance else "")
    return table


def _value_text(
    cs: CriteriaSet,
    value: Any,
    key: str,
    year: int | None,
    lang: str,
    raw: str | None,
    fields: dict[str, Any] | None = None,
) -> str:
    fid, _, off = key.partition("@")
    f = fields.get(fid) if fields is not None else cs.field(fid)
    if isinstance(value, bool):
        text = label("yes" if value else "no_word", lang)
    elif isinstance(value, float):
        text = format_number(value, lang)
    elif value is None:
        text = "—"
    else:
        text = choice_label(cs, fid, value, lang) if f and f.type == "choice" else str(value)
    if raw is not None and raw != text:
        text = f"{text} (‘{raw}’)"
    if off:
        when = str(year - int(off)) if year else f"N-{off}"
        return f"{when}: {text}"
    return text


def gates_table(result: RunResult, lang: str) -> Table:
    cs = result.criteria
    # named nodes are the ones the criteria file means a reader to see
    nodes = [(k, n, d) for k, n, d in walk_with_keys(cs.gates) if n.id or d == 0] if cs.gates else []
    cols = [Column(label("file", lang), "text", 24), Column(label("enterprise", lang), "wrap", 30)]
    cols += [Column(_gate_title(k, n, lang), "outcome", 18) for k, n, _ in nodes]
    table = Table("gates", label("sheet_gates", lang), cols)
    sc = result.scores
    if sc is None or result.ranking is None or not nodes:
        return table
    gates, root = Cells(sc.gates), sc.gates.columns[0]
    for dossier in result.ranking.index:
        ent, *_ = ident(result, str(dossier))
        row: list[Any] = [str(dossier), ent]
        row += [label("gate_pass" if gates[dossier, k] else "gate_fail", lang) for k, _, _ in nodes]
        table.rows.append(row)
        table.styles.append("recognised" if gates[dossier, root] else "not_recognised")
    return table


def _gate_title(key: str, node: Gate, lang: str) -> str:
    if node.title:
        return node.title.get(lang)
    if node.ref is not None:
        return comparison_text(node, lang)
    return key


def not_ranked_table(result: RunResult, lang: str) -> Table:
    cols = [
        Column(label("file", lang), "text", 34),
        Column(label("status", lang), "text", 26),
        Column(label("reasons", lang), "wrap", 90),
    ]
    table = Table("not_ranked", label("sheet_not_ranked", lang), cols)
    scored = result.ranked()
    reads = {r.file: r for r in result.reads}
    for f in result.files:
        if f.display in scored:
            continue
        read = reads.get(f.display)
        if read is not None:
            msgs = [
                i.message(lang) + (f" ({i.location.render()})" if i.location.cell else "")
                for i in read.not_ranked_reasons()
            ]
            status = "kind_workbook" if read.dossier is not None else "kind_unreadable"
            if read.withheld is not None and read.withheld.code == "dossier-duplicate-copy":
                status = "kind_duplicate_copy"
            table.rows.append([f.display, label(status, lang), "\n".join(msgs)])
        else:
            related = [i.message(lang) for i in result.issues if i.location.file == f.display]
            table.rows.append([f.display, label(f"kind_{f.kind}", lang), "\n".join(related)])
        table.styles.append("not_recognised" if read is not None else "")
    return table


_SEV_ORDER = {"error": 0, "warning": 1, "info": 2}


def issues_table(result: RunResult, lang: str) -> Table:
    cols = [
        Column(label("severity", lang), "outcome", 11),
        Column(label("file", lang), "text", 28),
        Column(label("sheet", lang), "text", 14),
        Column(label("cell", lang), "text", 8),
        Column(label("field", lang), "text", 22),
        Column(label("message", lang), "wrap", 80),
        Column(label("code", lang), "text", 26),
    ]
    table = Table("issues", label("sheet_issues", lang), cols)
    for i in sorted(
        result.issues,
        key=lambda i: (
            _SEV_ORDER[i.severity.value],
            i.location.file or "",
            i.location.sheet or "",
            i.location.cell or "",
            i.code,
        ),
    ):
        loc = i.location
        table.rows.append(
            [
                label(f"sev_{i.severity.value}", lang),
                loc.file or "",
                loc.sheet or "",
                loc.cell or "",
                loc.field or "",
                i.message(lang),
                i.code,
            ]
        )
        table.styles.append({"error": "not_recognised", "warning": "tie", "info": ""}[i.severity.value])
    return table


def criteria_table(cs: CriteriaSet, lang: str) -> Table:
    cols = [
        Column(label("group", lang), "text", 8),
        Column(label("criterion_id", lang), "text", 16),
        Column(label("criterion", lang), "wrap", 40),
        Column(label("max_points", lang), "points", 10),
        Column(label("input", lang), "wrap", 30),
        Column(label("rule", lang), "wrap", 50),
        Column(label("minimum", lang), "text", 10),
        Column(label("knockout", lang), "text", 9),
        Column(label("provenance", lang), "wrap", 50),
        Column("YAML", "text", 22),
    ]
    table = Table("criteria", label("sheet_criteria", lang), cols)
    src = cs.source_path or ""
    for gi, g in enumerate(cs.groups):
        table.rows.append(
            [
                g.id.upper(),
                "",
                g.title.get(lang),
                g.max,
                "",
                "",
                _min_text(g.minimum),
                "",
                g.source.describe(lang) if g.source else "",
                f"{_base(src)}:{cs.line_of(f'groups[{gi}]') or ''}",
            ]
        )
        table.styles.append("group")
        for ci, c in enumerate(g.criteria):
            inp = f"{c.input} — {cs.label_of(c.input, lang)}" if c.input else label("council_scored", lang)
            if c.input and cs.indicator(c.input) is not None:
                inp += f" = {cs.indicator(c.input).formula()}"
            table.rows.append(
                [
                    "",
                    c.id,
                    c.title.get(lang),
                    c.max,
                    inp,
                    c.rule.describe(lang),
                    _min_text(c.minimum),
                    label("yes", lang) if c.knockout else "",
                    c.source.describe(lang) if c.source else "",
                    f"{_base(src)}:{cs.line_of(f'groups[{gi}].criteria[{ci}]') or ''}",
                ]
            )
            table.styles.append("provisional" if c.source and c.source.status == "provisional" else "")
    table.rows.append(["", "", label("total", lang), cs.total_max, "", "", "", "", "", ""])
    table.styles.append("group")
    o = cs.outcome
    table.rows.append(
        [
            "",
            "",
            label("pass_mark", lang),
            o.pass_mark,
            "",
            "",
            "",
            "",
            o.source.describe(lang) if o.source else "",
            f"{_base(src)}:{cs.line_of('outcome') or ''}",
        ]
    )
    table.styles.append("provisional" if o.source and o.source.status == "provisional" else "")
    for t in o.tiers or []:
        table.rows.append(["", t.id, t.label.get(lang), None, "", t.range, "", "", "", ""])
        table.styles.append("")
    rk = cs.ranking
    if rk.top_n:
        table.rows.append(
            [
                "",
                "",
                label("top_n", lang),
                rk.top_n,
                "",
                "",
                "",
                "",
                rk.source.describe(lang) if rk.source else "",
                f"{_base(src)}:{cs.line_of('ranking') or ''}",
            ]
        )
        table.styles.append("")
    if rk.tie_breaks:
        order = " → ".join(f"{tb.ref} ({'↓' if tb.order == 'desc' else '↑'})" for tb in rk.tie_breaks)
        table.rows.append(["", "", label("tie_breaks", lang), None, "", order, "", "", "", ""])
        table.styles.append("")
    if cs.gates is not None:
        for key, node, depth in walk_with_keys(cs.gates):
            cond = comparison_text(node, lang) if node.ref else ("ALL" if node.all is not None else "ANY")
            table.rows.append(
                [
                    label("gate", lang),
                    key,
                    "  " * depth + _gate_title(key, node, lang),
                    None,
                    "",
                    cond,
                    "",
                    "",
                    node.source.describe(lang) if node.source else "",
                    "",
                ]
            )
            table.styles.append("")
    return table


def _base(path: str) -> str:
    return path.replace("\\", "/").rsplit("/", 1)[-1]


def _min_text(m: Any) -> str:
    if m is None:
        return ""
    return f"{m.points:g}" if m.points is not None else f"{m.percent:g} %"


def run_table(result: RunResult, lang: str, timestamp: str | None) -> Table:
    cols = [Column(label("key", lang), "text", 34), Column(label("item_value", lang), "wrap", 80)]
    table = Table("run", label("sheet_run", lang), cols)
    info = result.run_info()
    cs = result.criteria
    scored = len(result.ranked())
    recognised = result.recognised_count()
    rows: list[tuple[str, Any]] = [
        (label("run_tool", lang), f"spcncl-score {info['tool_version']}"),
        (label("run_criteria", lang), f"{cs.id} {cs.version} — {cs.title.get(lang)}"),
        (label("run_criteria_file", lang), info["criteria_file"]),
        (label("run_criteria_sha", lang), info["criteria_sha256"]),
        (label("run_fingerprint", lang), info["criteria_fingerprint"]),
    ]
    for part in result.parts:
        # each part's own criteria: a category's, or another set's, with the fingerprint its forms carry
        own = part.criteria
        rows.append((label("run_part", lang), f"{part.part_label(lang)}: {own.id} {own.version}, {own.fingerprint}"))
    if timestamp:
        rows.append((label("run_time", lang), timestamp))
    rows += [
        (label("run_files", lang), len(result.files)),
        (label("run_dossiers", lang), len(result.reads)),
        (label("run_ranked", lang), scored),
        (label("run_recognised", lang), recognised),
        (label("run_not_ranked", lang), len(result.files) - scored),
    ]
    for item in info["inputs"]:
        rows.append((label("run_input", lang), f"{item['file']}  sha256:{item['sha256']}"))
    council = info.get("council")
    if council is not None:
        rows.append((label("run_council_file", lang), f"{council['file']}  sha256:{council['sha256']}"))
        for form in council["forms"]:
            who = f"{form['member'] or '?'}, {label('form_state_' + form['state'], lang)}"
            rows.append((label("run_council_form", lang), f"{form['file']}  sha256:{form['sha256']}  ({who})"))
    for k, v in rows:
        table.rows.append([k, v])
        table.styles.append("")
    return table


def sensitivity_table(result: RunResult, lang: str, settings: Any = None) -> Table:
    """The fragile outcomes: those that flip in many simulated runs, with their exact margins."""
    from spcncl_score.scoring.sensitivity import SensitivitySettings

    st = settings or SensitivitySettings()
    cs = result.criteria
    n = cs.ranking.top_n or 0
    cols = [
        Column(label("rank", lang), "int", 7),
        Column(label("enterprise", lang), "wrap", 32),
        Column(label("product", lang), "wrap", 30),
        Column(label("total_points", lang), "total", 10),
        Column(label("outcome", lang), "outcome", 22),
        Column(label("to_pass_mark", lang), "points", 11),
        Column(label("to_top_line", lang, n=n), "points", 11),
        Column(label("p_same_recognition", lang), "percent", 12),
        Column(label("p_same_top", lang, n=n), "percent", 12),
        Column(label("stability", lang), "percent", 11),
        Column(label("file", lang), "text", 28),
    ]
    t = Table("sensitivity", label("sheet_sensitivity", lang), cols)
    sens = result.sensitivity
    if sens is None or result.ranking is None or result.scores is None:
        return t
    note = label(
        "sensitivity_note",
        lang,
        runs=st.runs,
        spread=f"{st.spread_percent:g}",
        seed=st.seed,
        below=f"{st.fragile_below * 100:g}",
    )
    t.rows.append([None, note] + [None] * (len(cols) - 2))
    t.styles.append("group")
    fragile = sens[sens["fragile"].to_numpy(dtype=bool)].sort_values("stability", kind="stable")
    shown = outcomes(result, lang)
    for d, s in fragile.iterrows():
        ent, _, prod, _ = ident(result, str(d))
        text, _style = shown[str(d)]
        rk = at(result.ranking, d, "rank")
        t.rows.append(
            [
                None if pd.isna(rk) else int(rk),
                ent,
                prod,
                float(at(result.scores.total, d)),
                text,
                float(s["to_pass_mark"]),
                None if pd.isna(s["to_top_line"]) else float(s["to_top_line"]),
                float(s["p_same_recognition"]),
                float(s["p_same_top"]),
                float(s["stability"]),
                str(d),
            ]
        )
        t.styles.append("tie")
    return t
