"""The council's workbook: the report tables formatted for screen and A4 paper, with charts,
score cards, and totals that are spreadsheet formulas carrying their computed values."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import os
import tempfile
import threading
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

from spcncl_score.i18n import format_number, label
from spcncl_score.output import OutputGuard
from spcncl_score.report.bulksheet import BulkSheet
from spcncl_score.report.bulksheet import supported as bulk_supported
from spcncl_score.report.charts import write_charts
from spcncl_score.report.contents import build_tables
from spcncl_score.report.limits import DETAIL_ROW_LIMIT, EXCEL_ROWS, TITLE_ROWS
from spcncl_score.report.tables import Table
from spcncl_score.scoring.result import RunResult
from spcncl_score.sheetlayout import FONT, LINE_POINTS, default_font, row_heights, text_lines

ROW_FILLS = {
    "top": "#FFE699",
    "recognised": "#E2EFDA",
    "not_recognised": "#FCE4D6",
    "tie": "#F8CBAD",
    "overclaim": "#FFF2CC",
    "group": "#EDEDED",
}
NUM_FORMATS = {"int": "0", "points": "0.00", "number": "#,##0.00", "percent": "0.0%"}


def total_format(pass_mark: float) -> str:
    """A total shown with two decimals, except just under the pass mark, where two decimals would
    round a failing total up to the mark (64.99944 as 65.00): there it shows six, as many as the
    engine keeps, so a figure on paper never contradicts the decision taken on it."""
    return f"[>={pass_mark:g}]0.00;[>={pass_mark - 0.005:g}]0.000000;0.00"


CARD_SHEETS_MAX = 200  # above this many dossiers, cards go to separate workbooks (--cards) only
PROGRESS_EVERY = 500  # rows between progress reports while the report is built
BULK_SLICE = 5_000  # rows added at a time, between progress reports
# Data rows go to the sheet as whole rows (BulkSheet); False writes them cell by cell through
# xlsxwriter's public calls, which give the same bytes, 5-10 times slower (the tests compare them).
BULK_ROWS = True
SAVE_TICK = 0.25  # seconds between progress reports while the workbook file is saved


def fixed_created(result: RunResult, timestamp: dt.datetime | None) -> dt.datetime:
    """Document date: the run time when asked for, else a date that depends only on the inputs."""
    if timestamp is not None:
        return timestamp.replace(tzinfo=None)
    return dt.datetime.combine(result.criteria.effective, dt.time())


def excel_row(table_row: int) -> int:
    """1-based sheet row of a table's data row."""
    return TITLE_ROWS + 2 + table_row


def detail_rows(result: RunResult) -> int:
    """Rows of the detail table: one per ranked dossier and criterion."""
    n = len(result.ranking) if result.ranking is not None and result.scores is not None else 0
    return n * len(result.criteria.criteria())


def detail_capacity(limit: int = DETAIL_ROW_LIMIT) -> int:
    """Detail rows the workbook takes: ``limit``, or what a sheet holds below its title and header."""
    return min(limit, EXCEL_ROWS - TITLE_ROWS - 1)


def detail_side_file(result: RunResult, report: Path, limit: int = DETAIL_ROW_LIMIT) -> Path | None:
    """The CSV file the detail goes to when it has more rows than the workbook takes, else None."""
    return report.with_suffix(".detail.csv") if detail_rows(result) > detail_capacity(limit) else None


def write_xlsx(
    result: RunResult,
    path: Path,
    *,
    lang: str = "vi",
    timestamp: dt.datetime | None = None,
    final_path: Path | None = None,
    card_sheets: bool | None = None,
    detail_limit: int = DETAIL_ROW_LIMIT,
    progress: Callable[[int, int, str], None] | None = None,
    guard: OutputGuard | None = None,
) -> list[Path]:
    """Write the report to ``path``; return any side files written (the detail CSV past ``detail_limit`` rows).

    ``final_path`` is where ``path`` will be renamed to (names the side files); side files go
    through ``guard`` (default: one that knows the run's dossiers and overwrites nothing).
    """
    stamp = timestamp.strftime("%Y-%m-%d %H:%M:%S %Z").strip() if timestamp else None
    if result.parts:
        from spcncl_score.report.parts import parted_tables

        return _write_book(path, parted_tables(result, lang, progress, stamp), result, lang, timestamp, False, progress)
    tables = build_tables(result, lang, progress, stamp)
    side: list[Path] = []
    detail = next(t for t in tables if t.key == "detail")
    target = detail_side_file(result, final_path or path, detail_limit)
    if target is not None:
        _write_csv(detail, target, guard or OutputGuard([f.path for f in result.files]), progress)
        side.append(target)
        note = label(
            "detail_moved",
            lang,
            rows=format_number(len(detail.rows), lang),
            limit=format_number(detail_capacity(detail_limit), lang),
            file=target.name,
        )
        detail.rows = [[note] + [None] * (len(detail.columns) - 1)]
        detail.styles = ["group"]
        for t in tables:
            # the subtotals summed the detail rows; their values stay, the sums would point at nothing
            t.formulas = {k: f for k, f in t.formulas.items() if f[:2] != ("sum_rows", "detail")}
    return side + _write_book(path, [(result, tables)], result, lang, timestamp, card_sheets, progress)


def _write_book(
    path: Path,
    groups: list[tuple[RunResult, list[Table]]],
    result: RunResult,
    lang: str,
    timestamp: dt.datetime | None,
    card_sheets: bool | None,
    progress: Callable[[int, int, str], None] | None,
) -> list[Path]:
    with tempfile.TemporaryDirectory(prefix="spcncl-xlsx-") as parts:
        wb = xlsxwriter.Workbook(
            str(path),
            {
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
                "tmpdir": parts,
                **default_font(),
            },
        )
        _fill(wb, result, groups, lang, timestamp, card_sheets, progress, Path(parts), path)
    return []


def _fill(
    wb: Any,
    result: RunResult,
    groups: list[tuple[RunResult, list[Table]]],
    lang: str,
    timestamp: dt.datetime | None,
    card_sheets: bool | None,
    progress: Callable[[int, int, str], None] | None,
    parts: Path,
    path: Path,
) -> None:
    """Every group's tables, each written with the criteria of its result (a part's, or the run's)."""
    complete = False
    try:
        cs = result.criteria
        wb.set_properties(
            {
                "title": f"{label('summary_title', lang)} — {cs.title.get(lang)}",
                "subject": f"{cs.id} {cs.version}",
                "author": "spcncl-score",
                "company": "",
                "created": fixed_created(result, timestamp),
            }
        )
        wb.set_custom_property("spcncl_report", "1")
        wb.set_custom_property("criteria_id", cs.id)
        wb.set_custom_property("criteria_version", cs.version)
        names = {t.key: t.name[:31] for _, tables in groups for t in tables}
        total_rows = sum(len(t.rows) for _, tables in groups for t in tables)
        done = 0
        for own, tables in groups:
            writer = _Writer(wb, own, lang, names)
            writer.progress, writer.total_rows, writer.rows_done = progress, total_rows, done
            for t in tables:
                writer.sheet(t)
                if t.key.rsplit(":", 1)[-1] == "ranking":
                    analysis = next(a for a in tables if a.key.rsplit(":", 1)[-1] == "analysis")
                    charts = label("sheet_charts", lang)
                    if own is not result:  # a part's charts: named with the code its other sheets carry
                        charts = f"{charts[: 31 - len(t.name) + t.name.rindex(' · ')]}{t.name[t.name.rindex(' · ') :]}"
                    write_charts(wb, writer, own, analysis, lang, charts)
            done = writer.rows_done
        n = len(result.ranking) if result.ranking is not None else 0
        if not result.parts and (card_sheets if card_sheets is not None else (0 < n <= CARD_SHEETS_MAX)):
            from spcncl_score.report.cards import add_card_sheets

            add_card_sheets(wb, writer, result, lang)
        complete = True
    finally:
        with _reporting_save(progress, parts, path, label("saving", lang)), warnings.catch_warnings():
            if not complete:
                # an interrupted report is thrown away: its charts may name a sheet never written
                warnings.simplefilter("ignore")
            wb.close()


@contextlib.contextmanager
def _reporting_save(
    progress: Callable[[int, int, str], None] | None, parts: Path, path: Path, name: str
) -> Iterator[None]:
    """Report the bytes written while the workbook is saved (``total`` 0: not known beforehand).

    xlsxwriter assembles every sheet's XML into ``parts`` and zips them into ``path`` only when
    the workbook is closed: seconds for a large report, during which the user should see it move.
    """
    if progress is None:
        yield
        return
    seen: dict[str, int] = {}  # parts are deleted once zipped: remember what each one held

    def written() -> int:
        with contextlib.suppress(OSError):
            for entry in os.scandir(parts):
                with contextlib.suppress(OSError):
                    seen[entry.name] = max(seen.get(entry.name, 0), entry.stat().st_size)
        zipped = 0
        with contextlib.suppress(OSError):
            zipped = path.stat().st_size
        return sum(seen.values()) + zipped

    stop = threading.Event()

    def watch() -> None:
        while not stop.wait(SAVE_TICK):
            progress(written(), 0, name)

    watcher = threading.Thread(target=watch, name="spcncl-save-progress", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        stop.set()
        watcher.join()
        progress(written(), 0, name)


def _write_csv(
    t: Table, path: Path, guard: OutputGuard, progress: Callable[[int, int, str], None] | None = None
) -> None:
    def write(p: Path) -> None:
        with p.open("w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh)
            w.writerow([c.header for c in t.columns])
            for i, row in enumerate(t.rows):
                # a leading '=' would make the cell a formula when the CSV is opened
                w.writerow(["'" + v if isinstance(v, str) and v[:1] in "=+-@" else v for v in row])
                if progress is not None and (i + 1) % (PROGRESS_EVERY * 20) == 0:
                    progress(i + 1, len(t.rows), path.name)

    guard.write(path, write)


class _Writer:
    def __init__(self, wb: Any, result: RunResult, lang: str, sheet_names: dict[str, str]) -> None:
        self.wb, self.result, self.lang = wb, result, lang
        self.sheet_names = sheet_names
        self.progress: Callable[[int, int, str], None] | None = None
        self.total_rows = 0
        self.rows_done = 0
        self.bulk = BULK_ROWS and bulk_supported()
        self._formats: dict[tuple[str, str], Any] = {}
        base = {"font_name": FONT, "font_size": 11, "valign": "top"}
        self.title = wb.add_format({**base, "bold": True, "font_size": 14})
        self.subtitle = wb.add_format({**base, "italic": True, "font_color": "#444444"})
        self.head = wb.add_format(
            {
                **base,
                "bold": True,
                "text_wrap": True,
                "valign": "vcenter",
                "align": "center",
                "bg_color": "#D9E1F2",
                "border": 1,
            }
        )
        self.base = base

    def fmt(self, kind: str, style: str) -> Any:
        key = (kind, style)
        if key not in self._formats:
            spec: dict[str, Any] = {**self.base, "border": 1, "border_color": "#BFBFBF"}
            if kind in NUM_FORMATS:
                spec["num_format"] = NUM_FORMATS[kind]
            if kind == "total":
                spec["num_format"] = total_format(float(self.result.criteria.outcome.pass_mark))
            if kind in ("wrap", "outcome"):
                spec["text_wrap"] = True
            if kind == "code":
                spec["num_format"] = "@"
            if style in ROW_FILLS:
                spec["bg_color"] = ROW_FILLS[style]
            if style == "group":
                spec["bold"] = True
            if style == "provisional":
                spec["italic"] = True
            if kind == "outcome":
                spec["bold"] = True
            self._formats[key] = self.wb.add_format(spec)
        return self._formats[key]

    def formula(self, spec: tuple[Any, ...], row: int) -> str:
        if spec[0] == "sum_rows":
            _, key, col, first, last = spec
            letter = xl_col_to_name(col)
            sheet = self.sheet_names[key].replace("'", "''")
            return f"=SUM('{sheet}'!{letter}{excel_row(first)}:{letter}{excel_row(last)})"
        r = excel_row(row)
        if spec[0] == "sum_cols_in":
            _, key, first_col, last_col = spec
            sheet = self.sheet_names[key].replace("'", "''")
            cells = f"{xl_rowcol_to_cell(r - 1, first_col)}:{xl_rowcol_to_cell(r - 1, last_col)}"
            return f"=SUM('{sheet}'!{cells})"
        _, first_col, last_col = spec
        return f"=SUM({xl_rowcol_to_cell(r - 1, first_col)}:{xl_rowcol_to_cell(r - 1, last_col)})"

    def sheet(self, t: Table, *, landscape: bool = True) -> Any:
        ws = self.wb.add_worksheet(t.name[:31], BulkSheet if self.bulk else None)
        ncols = len(t.columns)
        for c, col in enumerate(t.columns):
            ws.set_column(c, c, col.width)
        ws.write_string(0, 0, f"{t.name} — {self._heading()}", self.title)
        ws.write_string(1, 0, t.subtitle or self._subtitle(), self.subtitle)
        header_row = TITLE_ROWS
        # headers wrap, never cut: the row is as high as its longest header needs (bold: ~10 % wider)
        lines = max((text_lines(col.header, col.width * 0.9) for col in t.columns), default=1)
        ws.set_row(header_row, max(30, LINE_POINTS * min(lines, 6)))
        for c, col in enumerate(t.columns):
            ws.write_string(header_row, c, col.header, self.head)
        kinds = [col.kind for col in t.columns]
        formats = {style: [self.fmt(kind, style) for kind in kinds] for style in dict.fromkeys(["", *t.styles])}
        wrapped = [(c, col.width) for c, col in enumerate(t.columns) if col.kind in ("wrap", "outcome")]
        formulas: dict[int, dict[int, tuple[Any, ...]]] = {}
        for (fr, fc), spec in t.formulas.items():
            formulas.setdefault(fr, {})[fc] = spec
        if self.bulk:
            self._add_rows(ws, t, formats, wrapped, formulas)
        else:
            self._write_rows(ws, t, formats, wrapped, formulas)
        last = header_row + len(t.rows)
        self.rows_done += len(t.rows)
        if self.progress is not None:
            self.progress(self.rows_done, self.total_rows, t.name)
        ws.freeze_panes(header_row + 1, 0)
        if t.rows:
            ws.autofilter(header_row, 0, last, ncols - 1)
        ws.repeat_rows(header_row)
        self.print_setup(ws, landscape=landscape)
        ws.print_area(0, 0, max(last, header_row), ncols - 1)
        return ws

    def _add_rows(
        self,
        ws: BulkSheet,
        t: Table,
        formats: dict[str, list[Any]],
        wrapped: list[tuple[int, float]],
        formulas: dict[int, dict[int, tuple[Any, ...]]],
    ) -> None:
        """The data rows in one call: the same cells as ``_write_rows`` writes one by one, faster."""
        first = TITLE_ROWS + 1
        styles = t.styles
        plain = formats[""]
        for start in range(0, len(t.rows), BULK_SLICE):
            # in slices, so that the progress bar moves while a long table is added
            rows = t.rows[start : start + BULK_SLICE]
            ws.add_rows(
                first + start,
                rows,
                [formats[styles[r]] if r < len(styles) else plain for r in range(start, start + len(rows))],
                row_heights(rows, wrapped),
                {
                    r - start: {c: (self.formula(spec, r), t.rows[r][c]) for c, spec in specs.items()}
                    for r, specs in formulas.items()
                    if start <= r < start + len(rows)
                },
            )
            if self.progress is not None:
                self.progress(self.rows_done + start + len(rows), self.total_rows, t.name)

    def _write_rows(
        self,
        ws: Any,
        t: Table,
        formats: dict[str, list[Any]],
        wrapped: list[tuple[int, float]],
        formulas: dict[int, dict[int, tuple[Any, ...]]],
    ) -> None:
        """The data rows cell by cell through xlsxwriter's public calls: the reference ``_add_rows`` keeps to."""
        header_row = TITLE_ROWS
        write_string, write_number, write_blank = ws.write_string, ws.write_number, ws.write_blank
        for r, (row, height) in enumerate(zip(t.rows, row_heights(t.rows, wrapped), strict=True)):
            xr = header_row + 1 + r
            fmts = formats[t.styles[r] if r < len(t.styles) else ""]
            if height:
                ws.set_row(xr, height)
            if self.progress is not None and (r + 1) % PROGRESS_EVERY == 0:
                self.progress(self.rows_done + r + 1, self.total_rows, t.name)
            specs = formulas.get(r)
            for c, value in enumerate(row):
                f = fmts[c]
                if specs is not None and c in specs:
                    # the formula shows the working; the stored value lets every reader see the number
                    ws.write_formula(xr, c, self.formula(specs[c], r), f, value)
                elif value is None or value == "":
                    write_blank(xr, c, None, f)
                elif type(value) is str:
                    # text from dossiers is always stored as text: never a formula or a link
                    write_string(xr, c, value, f)
                elif type(value) is float and value - value == 0:  # finite
                    write_number(xr, c, value, f)
                else:
                    self._write(ws, xr, c, value, f)

    def print_setup(self, ws: Any, *, landscape: bool = True) -> None:
        ws.set_paper(9)  # A4
        if landscape:
            ws.set_landscape()
        else:
            ws.set_portrait()
        ws.fit_to_pages(1, 0)
        ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
        ws.set_footer(
            "&L"
            + label("footer", self.lang, criteria=self._criteria_text())
            .replace("&", "&&")
            .replace("&&P", "&P")
            .replace("&&N", "&N")
            # the sheet's name: a page that falls out of the pile says where it belongs
            + "&R&A"
        )

    def _several(self) -> bool:
        """Sheets of a whole run whose parts are different criteria sets."""
        return bool(self.result.parts) and self.result.criteria.categories is None

    def _criteria_text(self) -> str:
        """The criteria a sheet's figures come from; every set's on a mixed run's own sheets."""
        runs = self.result.parts if self._several() else [self.result]
        return " · ".join(f"{r.criteria.id} {r.criteria.version}" for r in runs)

    def _heading(self) -> str:
        """The criteria's title, and the category's name on a category's sheets."""
        cs = self.result.criteria
        if self._several():
            return label("several_sets", self.lang, n=len(self.result.parts))
        title = cs.title.get(self.lang)
        return f"{title} — {self.result.part_label(self.lang)}" if cs.category is not None else title

    def _subtitle(self) -> str:
        cs, lang = self.result.criteria, self.lang
        if self._several():
            return self._criteria_text()
        parts = [f"{cs.id} {cs.version}", f"{label('pass_mark', lang)}: {cs.outcome.pass_mark:g}/{cs.total_max:g}"]
        if cs.ranking.top_n:
            parts.append(f"{label('top_n', lang)}: {cs.ranking.top_n}")
        return " · ".join(parts)

    @staticmethod
    def _write(ws: Any, r: int, c: int, value: Any, f: Any) -> None:
        if value is None or value == "":
            ws.write_blank(r, c, None, f)
        elif isinstance(value, bool):
            ws.write_boolean(r, c, value, f)
        elif isinstance(value, (int, float)):
            if value != value or value in (float("inf"), float("-inf")):
                ws.write_blank(r, c, None, f)
            else:
                ws.write_number(r, c, value, f)
        else:
            # text from dossiers is always stored as text: never a formula or a link
            ws.write_string(r, c, str(value), f)
