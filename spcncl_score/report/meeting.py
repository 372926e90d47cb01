"""The ranking the council reads at its meeting: at most ten columns, readable on one A4 width.

Everything else the working group computed about the ranking (tax codes, tracks, margins,
stability, file names) stays on the full analysis sheet; this table is drawn from its rows.
"""

from __future__ import annotations

from typing import Any

from spcncl_score.i18n import label
from spcncl_score.report.tables import FIRST_GROUP_COL, Column, Table
from spcncl_score.scoring.result import RunResult

MAX_COLUMNS = 10  # more, and 11 pt text no longer fits an A4 landscape width


def meeting_table(result: RunResult, lang: str, analysis: Table) -> Table:
    """The meeting's ranking from the full ``analysis`` table (same rows, same order)."""
    cs = result.criteria
    n_groups = len(cs.groups)
    tiers = bool(cs.outcome.tiers)
    # rank, enterprise, product, industry group, total, (tier), outcome, reason
    fixed = 7 + int(tiers)
    with_groups = fixed + n_groups <= MAX_COLUMNS
    cols = [
        Column(label("rank", lang), "int", 6),
        Column(label("enterprise", lang), "wrap", 30 if not with_groups else 24),
        Column(label("product", lang), "wrap", 28 if not with_groups else 22),
        Column(label("industry_group", lang), "wrap", 16 if not with_groups else 14),
    ]
    if with_groups:
        cols += [Column(f"{g.id.upper()} ({g.max:g})", "points", 7) for g in cs.groups]
    cols.append(Column(label("total_points", lang) + f" ({cs.total_max:g})", "total", 10))
    if tiers:
        cols.append(Column(label("tier", lang), "wrap", 11))
    cols += [
        Column(label("outcome", lang), "outcome", 14),
        Column(label("reasons", lang), "wrap", 40 if not with_groups else 30),
    ]
    table = Table("ranking", label("sheet_ranking", lang), cols)
    headers = [c.header for c in analysis.columns]
    total_at = FIRST_GROUP_COL + n_groups
    tier_at = total_at + 1 if tiers else None
    outcome_at = total_at + 1 + int(tiers)
    separated_at = headers.index(label("separated_by", lang))
    reasons_at = headers.index(label("reasons", lang))
    tie_word, sep_word = label("tie", lang), label("separated_by", lang)
    for r, (row, style) in enumerate(zip(analysis.rows, analysis.styles, strict=True)):
        why = [row[reasons_at]] if row[reasons_at] else []
        if row[1]:
            why.append(tie_word)
        if row[separated_at]:
            why.append(f"{sep_word}: {row[separated_at]}")
        out: list[Any] = [row[0], row[2], row[4], row[5]]
        if with_groups:
            for gi in range(n_groups):
                spec = analysis.formulas.get((r, FIRST_GROUP_COL + gi))
                if spec is not None:
                    table.formulas[(r, len(out))] = spec
                out.append(row[FIRST_GROUP_COL + gi])
            table.formulas[(r, len(out))] = ("sum_cols", 4, 4 + n_groups - 1)
        else:
            # the total adds up the subtotals shown on the analysis sheet, so it can be traced there
            table.formulas[(r, len(out))] = ("sum_cols_in", "analysis", FIRST_GROUP_COL, total_at - 1)
        out.append(row[total_at])
        if tier_at is not None:
            out.append(row[tier_at])
        out += [row[outcome_at], "; ".join(why)]
        table.rows.append(out)
        table.styles.append(style)
    return table
