"""What the report contains: its tables in sheet order, each built from the run's result."""

from __future__ import annotations

from collections.abc import Callable

from spcncl_score.i18n import label
from spcncl_score.report.council_tables import council_tables, recognition_table, reconciliation_table
from spcncl_score.report.meeting import meeting_table
from spcncl_score.report.tables import (
    Progress,
    Table,
    criteria_table,
    detail_table,
    gates_table,
    issues_table,
    not_ranked_table,
    ranking_table,
    run_table,
    sensitivity_table,
)
from spcncl_score.scoring.result import RunResult


def build_tables(
    result: RunResult, lang: str = "vi", progress: Progress | None = None, timestamp: str | None = None
) -> list[Table]:
    """Every table of the report, in sheet order; ``timestamp`` is the run time the run sheet shows."""
    analysis = ranking_table(result, lang)
    builders: list[Callable[[], list[Table]]] = [
        # the meeting's ranking first: it, the charts and the proposed recognition are what gets printed
        lambda: [meeting_table(result, lang, analysis)],
        lambda: [recognition_table(result, lang)],
        lambda: [analysis],
        lambda: [detail_table(result, lang, progress)],
        lambda: [reconciliation_table(result, lang)],
        lambda: [gates_table(result, lang)],
        lambda: [sensitivity_table(result, lang)],
        lambda: council_tables(result, lang),
        lambda: [not_ranked_table(result, lang)],
        lambda: [issues_table(result, lang)],
        lambda: [criteria_table(result.criteria, lang)],
        lambda: [run_table(result, lang, timestamp)],
    ]
    tables: list[Table] = []
    for i, build in enumerate(builders):
        tables.extend(build())
        if progress is not None:
            progress(i + 1, len(builders), label("building_tables", lang))
    return tables
