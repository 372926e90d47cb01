"""The council's workbook: the report tables formatted for screen and A4 paper."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import xlsxwriter

from spcncl_score.i18n import label
from spcncl_score.pipeline import RunResult
from spcncl_score.report.tables import Table, build_tables, run_table

FONT = "Times New Roman"
ROW_FILLS = {
    "top": "#FFE699",
    "recognised": "#E2EFDA",
    "not_recognised": "#FCE4D6",
    "tie": "#F8CBAD",
    "overclaim": "#FFF2CC",
    "group": "#EDEDED",
}
NUM_FORMATS = {"int": "0", "points": "0.00", "number": "#,##0.00"}
TITLE_ROWS = 2  # a title and a subtitle above every table's header


def fixed_created(result: RunResult, timestamp: dt.datetime | None) -> dt.datetime:
    """Document date: the run time when asked for, else a date that depends only on the inputs."""
    if timestamp is not None:
        return timestamp.replace(tzinfo=None)
    return dt.datetime.combine(result.criteria.effective, dt.time())


def write_xlsx(result: RunResult, path: Path, *, lang: str = "vi", timestamp: dt.datetime | None = None) -> None:
    tables = build_tables(result, lang)
    stamp = timestamp.strftime("%Y-%m-%d %H:%M:%S %Z").strip() if timestamp else None
    tables[-1] = run_table(result, lang, stamp)
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                         "strings_to_numbers": False})
    try:
        cs = result.criteria
        wb.set_properties({
            "title": f"{label('summary_title', lang)} — {cs.title.get(lang)}",
            "subject": f"{cs.id} {cs.version}",
            "author": "spcncl-score",
            "company": "",
            "created": fixed_created(result, timestamp),
        })
        wb.set_custom_property("spcncl_report", "1")
        wb.set_custom_property("criteria_id", cs.id)
        wb.set_custom_property("criteria_version", cs.version)
        writer = _Writer(wb, result, lang)
        for t in tables:
            writer.sheet(t)
    finally:
        wb.close()


class _Writer:
    def __init__(self, wb: Any, result: RunResult, lang: str) -> None:
        self.wb, self.result, self.lang = wb, result, lang
        self._formats: dict[tuple[str, str], Any] = {}
        base = {"font_name": FONT, "font_size": 11, "valign": "top"}
        self.title = wb.add_format({**base, "bold": True, "font_size": 14})
        self.subtitle = wb.add_format({**base, "italic": True, "font_color": "#444444"})
        self.head = wb.add_format({**base, "bold": True, "text_wrap": True, "valign": "vcenter", "align": "center",
                                   "bg_color": "#D9E1F2", "border": 1})
        self.base = base

    def fmt(self, kind: str, style: str) -> Any:
        key = (kind, style)
        if key not in self._formats:
            spec: dict[str, Any] = {**self.base, "border": 1, "border_color": "#BFBFBF"}
            if kind in NUM_FORMATS:
                spec["num_format"] = NUM_FORMATS[kind]
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

    def sheet(self, t: Table) -> None:
        cs = self.result.criteria
        ws = self.wb.add_worksheet(t.name[:31])
        ncols = len(t.columns)
        for c, col in enumerate(t.columns):
            ws.set_column(c, c, col.width)
        ws.write_string(0, 0, f"{t.name} — {cs.title.get(self.lang)}", self.title)
        ws.write_string(1, 0, self._subtitle(), self.subtitle)
        header_row = TITLE_ROWS
        ws.set_row(header_row, 45)
        for c, col in enumerate(t.columns):
            ws.write_string(header_row, c, col.header, self.head)
        for r, row in enumerate(t.rows):
            style = t.styles[r] if r < len(t.styles) else ""
            for c, value in enumerate(row):
                kind = t.columns[c].kind
                f = self.fmt(kind, style)
                self._write(ws, header_row + 1 + r, c, value, f)
        last = header_row + len(t.rows)
        ws.freeze_panes(header_row + 1, 0)
        if t.rows:
            ws.autofilter(header_row, 0, last, ncols - 1)
        ws.repeat_rows(header_row)
        ws.set_paper(9)
        ws.set_landscape()
        ws.fit_to_pages(1, 0)
        ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
        ws.set_footer("&L" + label("footer", self.lang, id=cs.id, version=cs.version).replace("&P/&N", "&P/&N"))
        ws.print_area(0, 0, max(last, header_row), ncols - 1)

    def _subtitle(self) -> str:
        cs, lang = self.result.criteria, self.lang
        parts = [f"{cs.id} {cs.version}", f"{label('pass_mark', lang)}: {cs.outcome.pass_mark:g}/{cs.total_max:g}"]
        if cs.ranking.top_n:
            parts.append(f"{label('top_n', lang)}: {cs.ranking.top_n}")
        return " · ".join(parts)

    @staticmethod
    def _write(ws: Any, r: int, c: int, value: Any, f: Any) -> None:
        if value is None:
            ws.write_blank(r, c, None, f)
        elif isinstance(value, bool):
            ws.write_boolean(r, c, value, f)
        elif isinstance(value, (int, float)):
            if value != value:  # NaN
                ws.write_blank(r, c, None, f)
            else:
                ws.write_number(r, c, value, f)
        else:
            # text from dossiers is always stored as text: never a formula or a link
            ws.write_string(r, c, str(value), f)
