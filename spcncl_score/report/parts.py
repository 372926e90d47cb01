"""The report of a run scored in parts (a set's categories, or the sets of a mixed folder).

The workbook opens with the parts side by side and, for a set that declares it, the overall
ranking of its categories; then each part's own sheets (its meeting ranking, analysis, detail…),
named with the part's short code; then, once for the whole run, what was not ranked, every
issue and the run's record.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from spcncl_score.i18n import label
from spcncl_score.report.contents import build_tables
from spcncl_score.report.tables import Column, Progress, Table, issues_table, not_ranked_table, run_table
from spcncl_score.scoring.result import RunResult, outcomes

SHEET_NAME_MAX = 31
RUN_WIDE = ("not_ranked", "issues", "run")  # written once for the run, not once per part


def part_code(part: RunResult) -> str:
    """A part's short code in sheet names: the category's ``short``, or the first word of the
    set's id ('hanoi', 'ocop'), short enough to leave the sheet's own name whole."""
    cat = part.criteria.category
    return cat.code if cat is not None else part.criteria.id.split("-")[0][:8]


def part_codes(result: RunResult) -> list[str]:
    """Each part's code, numbered where two parts' codes would be the same."""
    codes = [part_code(p) for p in result.parts]
    return [f"{c}{codes[:i].count(c) + 1}" if codes.count(c) > 1 else c for i, c in enumerate(codes)]


def part_sheet(name: str, code: str) -> str:
    """A sheet name with its part's code, within Excel's 31 characters."""
    suffix = f" · {code}"
    return name[: SHEET_NAME_MAX - len(suffix)].rstrip() + suffix


def parted_tables(
    result: RunResult, lang: str, progress: Progress | None = None, timestamp: str | None = None
) -> list[tuple[RunResult, list[Table]]]:
    """Each sheet group of the workbook with the result its figures come from, in sheet order."""
    groups: list[tuple[RunResult, list[Table]]] = [(result, [parts_table(result, lang)])]
    if result.overall is not None:
        groups[0][1].append(overall_table(result, lang))
    for part, code in zip(result.parts, part_codes(result), strict=True):
        tables = [t for t in build_tables(part, lang, progress, timestamp) if t.key not in RUN_WIDE]
        keys = {t.key: f"{code}:{t.key}" for t in tables}
        for t in tables:
            t.key, t.name = keys[t.key], part_sheet(t.name, code)
            # the spreadsheet's sums name another table of the same part
            t.formulas = {at: _in_part(spec, keys) for at, spec in t.formulas.items()}
        groups.append((part, tables))
    groups.append(
        (result, [not_ranked_table(result, lang), issues_table(result, lang), run_table(result, lang, timestamp)])
    )
    return groups


def _in_part(spec: tuple[Any, ...], keys: dict[str, str]) -> tuple[Any, ...]:
    if spec[0] in ("sum_rows", "sum_cols_in"):
        return (spec[0], keys.get(spec[1], spec[1]), *spec[2:])
    return spec


def parts_table(result: RunResult, lang: str) -> Table:
    """One row per part: what it is, the criteria applied, and its counts."""
    cols = [
        Column(label("part_code", lang), "text", 9),
        Column(label("part_name", lang), "wrap", 36),
        Column(label("run_criteria", lang), "wrap", 30),
        Column(label("run_fingerprint", lang), "code", 18),
        Column(label("pass_mark", lang), "points", 9),
        Column(label("top_n", lang), "int", 7),
        Column(label("run_ranked", lang), "int", 10),
        Column(label("run_recognised", lang), "int", 11),
    ]
    table = Table("parts", label("sheet_parts", lang), cols)
    for part, code in zip(result.parts, part_codes(result), strict=True):
        cs = part.criteria
        ranked = len(part.ranking) if part.ranking is not None else 0
        recognised = int(part.scores.outcome["recognised"].sum()) if part.scores is not None else 0
        table.rows.append(
            [
                code,
                part.part_label(lang),
                f"{cs.id} {cs.version}",
                cs.fingerprint,
                float(cs.outcome.pass_mark),
                cs.ranking.top_n,
                ranked,
                recognised,
            ]
        )
        table.styles.append("")
    return table


def overall_table(result: RunResult, lang: str) -> Table:
    """Every category's products ranked together, with their rank within their category."""
    assert result.overall is not None
    base = result.criteria
    overall = base.categories.overall if base.categories is not None else None
    cols = [
        Column(label("rank", lang), "int", 6),
        Column(label("tie", lang), "text", 5),
        Column(label("part_code", lang), "text", 9),
        Column(label("rank_in_part", lang), "int", 9),
        Column(label("enterprise", lang), "wrap", 30),
        Column(label("product", lang), "wrap", 28),
        Column(label("total_points", lang) + f" ({base.total_max:g})", "total", 10),
        Column(label("outcome", lang), "outcome", 18),
        Column(label("file", lang), "text", 36),
    ]
    table = Table("overall", label("sheet_overall", lang), cols)
    marks = [f"{base.id} {base.version}", f"{label('pass_mark', lang)}: {base.outcome.pass_mark:g}/{base.total_max:g}"]
    if overall is not None and overall.top_n:
        marks.append(f"{label('top_n', lang)}: {overall.top_n}")
    table.subtitle = " · ".join(marks)
    by_key = {p.part_key: p for p in result.parts}
    code_of = dict(zip((p.part_key for p in result.parts), part_codes(result), strict=True))
    texts = {p.part_key: outcomes(p, lang) for p in result.parts if p.ranking is not None}
    n = overall.top_n if overall is not None else None
    ident = base.identity
    for dossier, row in result.overall.iterrows():
        part = by_key[str(row["part"])]
        assert part.ranking is not None and part.scores is not None
        read = part.read_of(str(dossier))
        values = read.dossier.values if read is not None and read.dossier is not None else {}
        rank = row["rank"]
        in_part: Any = part.ranking.at[dossier, "rank"]
        total: Any = part.scores.total.at[dossier]
        if bool(row["top"]):
            text, style = label("outcome_top", lang, n=n), "top"
        elif bool(row["top_tie"]):
            text, style = label("outcome_top_tie", lang, n=n), "tie"
        else:
            text, style = texts[part.part_key][str(dossier)]
            style = "recognised" if style in ("top", "tie") else style
        table.rows.append(
            [
                None if pd.isna(rank) else int(rank),
                "=" if bool(row["tied"]) else "",
                code_of[part.part_key],
                None if pd.isna(in_part) else int(in_part),
                str(values.get(ident.enterprise) or ""),
                str(values.get(ident.product) or ""),
                float(total),
                text if style not in ("top", "tie") else f"{text} · {texts[part.part_key][str(dossier)][0]}",
                str(dossier),
            ]
        )
        table.styles.append(style)
    return table
