"""Terminal rendering of results and issues (rich). The only module that prints tables.

Text from dossiers and file names goes through ``printable`` before it reaches the terminal: an
escape code typed into an enterprise's name is shown as ``\x1b[31m``, never obeyed.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table as RichTable

from spcncl_score.i18n import format_against, format_number, label
from spcncl_score.issues import Issue, Severity
from spcncl_score.printable import printable

_SEV_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "dim"}


def print_issues(
    console: Console, issues: list[Issue], lang: str, *, limit: int = 200, min_severity: Severity = Severity.WARNING
) -> None:
    order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    shown = [i for i in issues if order[i.severity] <= order[min_severity]]
    for i in shown[:limit]:
        word = label(f"sev_{i.severity.value}", lang)
        text = escape(printable(i.render(lang)))
        console.print(f"[{_SEV_STYLE[i.severity]}]{word}[/] {text}", highlight=False, soft_wrap=True)
    if len(shown) > limit:
        more = len(shown) - limit
        console.print(
            f"… (+{more}; --format json lists them all)"
            if lang == "en"
            else f"… (còn {more} mục; --format json liệt kê đầy đủ)"
        )


SUMMARY_ROWS = 10  # the terminal shows the leaders; the report holds every dossier


def print_summary(console: Console, result: Any, lang: str) -> None:
    """The leaders (the Top N of the criteria, at least SUMMARY_ROWS) and the counts of the run;
    in a run in parts, each part's leaders under its name.

    Printing every dossier made a 10,000-dossier run 1.8x slower and scrolled the counts away.
    """
    if result.parts:
        for part in result.parts:
            _print_leaders(console, part, lang, f"{label('summary_title', lang)} — {part.part_label(lang)}")
        if result.overall is not None:
            _print_overall(console, result, lang)
    else:
        _print_leaders(console, result, lang, label("summary_title", lang))
    _print_counts(console, result, lang)


def _print_leaders(console: Console, result: Any, lang: str, title: str) -> None:
    from spcncl_score.report.tables import ranking_table

    t = ranking_table(result, lang)
    total = next(i for i, c in enumerate(t.columns) if c.header.startswith(label("total_points", lang)))
    keep = [0, 2, 4, total] + [i for i, c in enumerate(t.columns) if c.kind == "outcome"]
    limit = max(result.criteria.ranking.top_n or 0, SUMMARY_ROWS)
    _print_rows(console, t, keep, title, float(result.criteria.outcome.pass_mark), limit, lang)
    if len(t.rows) > limit:
        more = len(t.rows) - limit
        console.print(
            f"… (+{more}; the report lists every dossier)"
            if lang == "en"
            else f"… (còn {more} hồ sơ; báo cáo liệt kê đầy đủ)"
        )


def _print_overall(console: Console, result: Any, lang: str) -> None:
    """The leaders of every category ranked together, with each one's category and rank in it."""
    from spcncl_score.report.parts import overall_table

    cats = result.criteria.categories
    limit = max((cats.overall.top_n if cats and cats.overall else 0) or 0, SUMMARY_ROWS)
    t = overall_table(result, lang)
    title = label("sheet_overall", lang)
    _print_rows(console, t, [0, 2, 3, 4, 5, 6, 7], title, float(result.criteria.outcome.pass_mark), limit, lang)


def _print_rows(console: Console, t: Any, keep: list[int], title: str, pass_mark: float, limit: int, lang: str) -> None:
    """The first ``limit`` rows of report table ``t``, columns ``keep``, coloured by outcome."""
    rt = RichTable(title=escape(printable(title)), show_lines=False)
    for i in keep:
        numeric = t.columns[i].kind in ("int", "points", "total")
        rt.add_column(t.columns[i].header, justify="right" if numeric else "left", overflow="fold")
    style = {"top": "bold green", "recognised": "green", "not_recognised": "red", "tie": "yellow"}
    for row, st in zip(t.rows[:limit], t.styles[:limit], strict=True):
        cells = []
        for i in keep:
            v = row[i]
            if v is None:
                cells.append("")
            elif t.columns[i].kind == "total" and isinstance(v, float):
                cells.append(format_against(v, pass_mark, lang))  # never 65 for a 64.999 that failed
            elif isinstance(v, (int, float)) and not isinstance(v, bool):
                cells.append(format_number(float(v), lang))
            else:
                cells.append(escape(printable(str(v))))
        rt.add_row(*cells, style=style.get(st, ""))
    console.print(rt)


def _print_counts(console: Console, result: Any, lang: str) -> None:
    errors = sum(1 for i in result.issues if i.is_error)
    warnings = sum(1 for i in result.issues if i.severity is Severity.WARNING)
    runs = result.parts or [result]
    scored = sum(len(r.ranking) for r in runs if r.ranking is not None)
    recognised = sum(int(r.scores.outcome["recognised"].sum()) for r in runs if r.scores is not None)
    not_ranked = len(result.files) - scored
    if lang == "en":
        console.print(
            f"{len(result.files)} files · {scored} scored · {recognised} recognised · "
            f"{not_ranked} not ranked · {errors} errors · {warnings} warnings"
        )
    else:
        console.print(
            f"{len(result.files)} tệp · {scored} hồ sơ được chấm · {recognised} được công nhận · "
            f"{not_ranked} không xếp hạng · {errors} lỗi · {warnings} cảnh báo"
        )
