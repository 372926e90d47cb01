"""Write the self-assessment form that enterprises fill, generated from a criteria set.

Every input cell carries the defined name of `names.py`; optional values let the
same writer produce filled forms (samples, benchmarks) through the same contract.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from spcncl_score import __version__
from spcncl_score.criteria.categories import category_label, category_sets
from spcncl_score.criteria.models import CriteriaSet, InputField
from spcncl_score.i18n import L, format_number, label
from spcncl_score.intake.names import (
    META_CRITERIA_ID,
    META_CRITERIA_VERSION,
    META_FINGERPRINT,
    META_REPORTING_YEAR,
    field_name,
    self_score_name,
    value_key,
)
from spcncl_score.issues import Location, SpcnclError, error
from spcncl_score.sheetlayout import default_font, row_height

SECTIONS = ("identity", "product", "compliance", "other")
META_SHEET = "_meta"
FIRST_YEAR_COL = 3  # column D


def _plain_number(v: float | None) -> float | int | None:
    """1.0 -> 1, so that a whole-number validation reads '1', not '1.0'."""
    return int(v) if v is not None and float(v).is_integer() else v


def score_validation(maximum: float, lang: str) -> dict[str, Any]:
    """Data validation of a points cell: a number from 0 to the criterion's maximum."""
    return {
        "validate": "decimal",
        "criteria": "between",
        "minimum": 0,
        "maximum": _plain_number(maximum),
        "error_title": label("dv_number_title", lang),
        "error_message": label("dv_score_msg", lang, max=f"{maximum:g}"),
    }


ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")


def _section_title(text: str, numeral: int) -> str:
    """A section's title numbered in the order written ('IV. SỐ LIỆU…' when a section before it is absent)."""
    bare = re.sub(r"^[IVX]+\. ", "", text)
    return f"{ROMAN[numeral - 1]}. {bare}"


def rule_text(rule: Any, lang: str) -> str:
    """How a criterion is scored, in words an applicant reads (bands as 'từ 0 đến dưới 5 → 4 điểm')."""
    return rule.describe_words(lang) if hasattr(rule, "describe_words") else rule.describe(lang)


def _minimum_text(m: Any, lang: str) -> str:
    """A group's or criterion's floor as written in the criteria: '12' points or '60 %'."""
    if m is None:
        return ""
    if m.points is not None:
        return format_number(m.points, lang)
    return f"{format_number(m.percent, lang)} %"


def category_title(cs: CriteriaSet, lang: str) -> str:
    """'Nhóm sản phẩm: Máy móc, dụng cụ, chi tiết cơ khí' for a category's own set; '' for any other set."""
    if cs.category is None:
        return ""
    f = cs.field(cs.category_field) if cs.category_field else None
    name = category_label(cs, cs.category.id, lang)
    return f"{f.label.get(lang)}: {name}" if f is not None else name


def default_reporting_year() -> int:
    return dt.date.today().year - 1


def write_form(
    cs: CriteriaSet,
    path: str | Path,
    *,
    lang: str = "vi",
    reporting_year: int | None = None,
    values: Mapping[str, Any] | None = None,
    self_scores: Mapping[str, Any] | None = None,
) -> None:
    """Write a form to ``path``; ``values`` (keyed by ``value_key``) pre-fill it."""
    year = reporting_year or default_reporting_year()
    values = values or {}
    self_scores = self_scores or {}
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False, **default_font()})
    try:
        _FormWriter(wb, cs, lang, year, values, self_scores).write()
    finally:
        wb.close()


def form_targets(cs: CriteriaSet, output: Path, category: str | None = None) -> list[tuple[Path, CriteriaSet]]:
    """The forms ``template`` writes for ``cs`` to ``output``: (file, the set it is made from).

    A set without categories: one form, ``output``. A set with categories: one form per category,
    each made from the category's own set; ``category`` picks one (written to ``output``), else
    ``output`` is a folder (no ``.xlsx`` suffix) that takes ``<set id>-<category>.xlsx``, or an
    ``.xlsx`` name whose stem takes the category: ``forms.xlsx`` -> ``forms-co_khi.xlsx``."""
    loc = Location(file=str(output))
    own = category_sets(cs)
    is_xlsx = output.suffix.lower() == ".xlsx"
    if not own:
        if category is not None:
            raise SpcnclError([error("template-no-categories", loc, criteria=cs.id)])
        if not is_xlsx:
            raise SpcnclError([error("output-not-xlsx", loc, path=str(output), suffixes=".xlsx")])
        return [(output, cs)]
    if category is not None:
        if category not in own:
            raise SpcnclError([error("template-category-unknown", loc, category=category, **_named_categories(cs))])
        if not is_xlsx:
            raise SpcnclError([error("output-not-xlsx", loc, path=str(output), suffixes=".xlsx")])
        return [(output, own[category])]
    if is_xlsx:
        return [(output.with_name(f"{output.stem}-{c}.xlsx"), s) for c, s in own.items()]
    return [(output / f"{cs.id}-{c}.xlsx", s) for c, s in own.items()]


def _named_categories(cs: CriteriaSet) -> dict[str, Any]:
    return {
        "criteria": cs.id,
        "categories": [
            L(f"{c} ('{category_label(cs, c, 'vi')}')", f"{c} ('{category_label(cs, c, 'en')}')")
            for c in category_sets(cs)
        ],
    }


@dataclass(frozen=True)
class FormLayout:
    """Where ``write_form`` puts each defined name of a criteria set: the contract a form of that
    set's fingerprint keeps. Sheets are known by their name in either language of the form."""

    cells: dict[str, tuple[frozenset[str], str, str]]  # name -> (its sheet's names, cell 'D8', sheet shown)
    sheets: frozenset[str]  # every sheet name of the template, in either language

    def expected(self, name: str) -> str | None:
        """The expected place of ``name`` as shown to a user ('Hồ sơ'!F26), or None if not in the form."""
        got = self.cells.get(name)
        if got is None:
            return None
        return f"'{got[2]}'!{got[1]}"


_LAYOUTS: dict[str, FormLayout] = {}  # by fingerprint: sets of equal meaning lay out their forms alike


def form_layout(cs: CriteriaSet) -> FormLayout:
    """The layout of the form ``write_form`` writes for ``cs`` (in any language), worked out once."""
    layout = _LAYOUTS.get(cs.fingerprint)
    if layout is None:
        if len(_LAYOUTS) > 16:
            _LAYOUTS.clear()
        layout = _LAYOUTS[cs.fingerprint] = _layout_of(cs)
    return layout


def _layout_of(cs: CriteriaSet) -> FormLayout:
    places: dict[str, tuple[str, int, int]] = {}
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False, **default_font()})
    try:
        writer = _FormWriter(wb, cs, "vi", default_reporting_year(), {}, {})
        writer.placed = places
        writer.write()
    finally:
        wb.close()
    roles = {
        label("form_sheet", "vi"): frozenset(label("form_sheet", lang) for lang in ("vi", "en")),
        label("self_sheet", "vi"): frozenset(label("self_sheet", lang) for lang in ("vi", "en")),
        META_SHEET: frozenset((META_SHEET,)),
    }
    cells = {name: (roles[sheet], xl_rowcol_to_cell(row, col), sheet) for name, (sheet, row, col) in places.items()}
    return FormLayout(cells, frozenset().union(*roles.values()))


class _FormWriter:
    placed: dict[str, tuple[str, int, int]] | None = None  # set to record where each name goes

    def __init__(
        self, wb: Any, cs: CriteriaSet, lang: str, year: int, values: Mapping[str, Any], self_scores: Mapping[str, Any]
    ) -> None:
        self.wb, self.cs, self.lang, self.year = wb, cs, lang, year
        self.values, self.self_scores = values, self_scores
        self.max_years = max((f.years or 1) for f in cs.fields)
        self.guide_col = FIRST_YEAR_COL + self.max_years
        self.lists: dict[str, str] = {}
        # a category's own form names its category in its titles and fixes its category cell
        self.category_field = cs.category_field if cs.category is not None else None
        shown = category_title(cs, lang)
        self.set_title = f"{cs.title.get(lang)} — {shown}" if shown else cs.title.get(lang)
        f = wb.add_format
        base = {"font_name": "Times New Roman", "font_size": 12, "valign": "vcenter", "text_wrap": True}
        self.fmt = {
            "title": f({**base, "bold": True, "font_size": 14, "align": "center"}),
            "sub": f({**base, "italic": True, "align": "center"}),
            "note": f({**base, "italic": True, "font_color": "#555555"}),
            "head": f({**base, "bold": True, "bg_color": "#D9E1F2", "border": 1, "align": "center"}),
            "section": f({**base, "bold": True, "bg_color": "#EDEDED", "border": 1}),
            "cell": f({**base, "border": 1}),
            "center": f({**base, "border": 1, "align": "center"}),
            "guide": f({**base, "border": 1, "font_size": 10, "font_color": "#444444"}),
            "grey": f({**base, "border": 1, "bg_color": "#BFBFBF"}),
            # text format, so that Excel keeps a tax code's leading zero (0109615386)
            "in_text": f({**base, "border": 1, "locked": False, "bg_color": "#FFF2CC", "num_format": "@"}),
            "in_number": f({**base, "border": 1, "locked": False, "bg_color": "#FFF2CC", "num_format": "#,##0.00"}),
            "in_integer": f({**base, "border": 1, "locked": False, "bg_color": "#FFF2CC", "num_format": "#,##0"}),
            "in_date": f({**base, "border": 1, "locked": False, "bg_color": "#FFF2CC", "num_format": "dd/mm/yyyy"}),
            "points": f({**base, "border": 1, "align": "center", "num_format": "0.##"}),
            "total": f({**base, "border": 1, "bold": True, "align": "center", "num_format": "0.##"}),
        }

    # -- structure -------------------------------------------------------------
    def write(self) -> None:
        cs = self.cs
        self.wb.set_properties(
            {
                "title": f"{self.set_title} — {label('form_title', self.lang)}",
                "subject": f"{cs.id} {cs.version}",
                "author": "spcncl-score",
                "company": "",
                "comments": f"criteria {cs.id} {cs.version} fingerprint {cs.fingerprint}",
                # a fixed date keeps the file byte-identical for the same inputs
                "created": dt.datetime.combine(cs.effective, dt.time()),
            }
        )
        for key, val in (
            ("criteria_id", cs.id),
            ("criteria_version", cs.version),
            ("criteria_fingerprint", cs.fingerprint),
            *((("criteria_category", cs.category.id),) if cs.category is not None else ()),
            ("reporting_year", str(self.year)),
            ("generator", f"spcncl-score {__version__}"),
        ):
            self.wb.set_custom_property(key, val)
        main = self.wb.add_worksheet(label("form_sheet", self.lang))
        scores = self.wb.add_worksheet(label("self_sheet", self.lang))
        meta = self.wb.add_worksheet(META_SHEET)
        self._write_meta(meta)
        self._write_main(main)
        self._write_scores(scores)
        meta.very_hidden()
        main.activate()

    def _write_meta(self, ws: Any) -> None:
        cs = self.cs
        rows = [
            (META_CRITERIA_ID, cs.id),
            (META_CRITERIA_VERSION, cs.version),
            (META_FINGERPRINT, cs.fingerprint),
            (META_REPORTING_YEAR, self.year),
        ]
        for r, (name, val) in enumerate(rows):
            ws.write_string(r, 0, name)
            if isinstance(val, int):
                ws.write_number(r, 1, val)
            else:
                ws.write_string(r, 1, str(val))
            self._define(name, META_SHEET, r, 1)
        # dropdown lists live here: a list source in the validation itself is capped at 255 chars
        col = 3
        lists = {"yes_no": [label("yes", self.lang), label("no_word", self.lang)]}
        for f in cs.fields:
            if f.type == "choice":
                lists[f.id] = [c.label.get(self.lang) for c in f.choices or []]
        for key, items in lists.items():
            ws.write_string(0, col, key)
            for i, item in enumerate(items):
                ws.write_string(i + 1, col, item)
            top = xl_rowcol_to_cell(1, col, row_abs=True, col_abs=True)
            bottom = xl_rowcol_to_cell(len(items), col, row_abs=True, col_abs=True)
            self.lists[key] = f"='{META_SHEET}'!{top}:{bottom}"
            col += 1
        ws.protect()

    def _define(self, name: str, sheet: str, row: int, col: int) -> None:
        if self.placed is not None:
            self.placed[name] = (sheet, row, col)
        ref = xl_rowcol_to_cell(row, col, row_abs=True, col_abs=True)
        self.wb.define_name(name, f"='{sheet}'!{ref}")

    def _write_main(self, ws: Any) -> None:
        cs, lang, fmt = self.cs, self.lang, self.fmt
        sheet = label("form_sheet", lang)
        last = self.guide_col
        ws.set_column(0, 0, 5)
        ws.set_column(1, 1, 46)
        ws.set_column(2, 2, 11)
        ws.set_column(FIRST_YEAR_COL, FIRST_YEAR_COL + self.max_years - 1, 20)
        ws.set_column(last, last, 40)
        title = f"{label('form_title', lang)} — {self.set_title}"
        ws.merge_range(0, 0, 0, last, title, fmt["title"])
        self._title_height(ws, title, 5 + 46 + 11 + 20 * self.max_years + 40, None)
        ws.merge_range(
            1,
            0,
            1,
            last,
            label("criteria_line", lang, id=cs.id, version=cs.version, fingerprint=cs.fingerprint),
            fmt["sub"],
        )
        ws.merge_range(2, 0, 2, last, label("form_guidance", lang), fmt["note"])
        ws.set_row(2, 32)
        ws.write_string(3, 1, label("reporting_year", lang), fmt["cell"])
        ws.write_number(3, FIRST_YEAR_COL, self.year, fmt["center"])
        row = 5
        ws.write_row(row, 0, [label("no", lang), label("item", lang), label("unit", lang)], fmt["head"])
        if last - 1 > FIRST_YEAR_COL:
            ws.merge_range(row, FIRST_YEAR_COL, row, last - 1, label("value", lang), fmt["head"])
        else:  # one value column (no yearly figures): nothing to merge
            ws.write_string(row, FIRST_YEAR_COL, label("value", lang), fmt["head"])
        ws.write_string(row, last, label("guidance", lang), fmt["head"])
        ws.repeat_rows(row)
        ws.freeze_panes(row + 1, 0)
        row += 1
        number = 0
        numeral = 0  # sections are numbered as written: a set without one has no gap in I, II, III…
        for section in SECTIONS:
            fields = [
                f
                for f in cs.fields
                if f.section == section or (section == "other" and f.section == "figures" and not f.yearly)
            ]
            fields = [f for f in fields if not f.yearly]
            if not fields:
                continue
            numeral += 1
            ws.merge_range(
                row, 0, row, last, _section_title(label(f"section_{section}", lang), numeral), fmt["section"]
            )
            row += 1
            for f in fields:
                number += 1
                self._label_cells(ws, row, number, f)
                self._input(ws, sheet, row, FIRST_YEAR_COL, f, None)
                for col in range(FIRST_YEAR_COL + 1, last):
                    ws.write_blank(row, col, None, fmt["cell"])
                row += 1
        yearly = [f for f in cs.fields if f.yearly]
        if yearly:
            numeral += 1
            ws.merge_range(row, 0, row, 2, _section_title(label("section_figures", lang), numeral), fmt["section"])
            for k in range(self.max_years):
                y = self.year - k
                ws.write_string(row, last - 1 - k, label("year", lang, year=y), fmt["head"])
            ws.write_blank(row, last, None, fmt["section"])
            row += 1
            for f in yearly:
                number += 1
                self._label_cells(ws, row, number, f)
                for k in range(self.max_years):
                    col = last - 1 - k
                    if k < (f.years or 0):
                        self._input(ws, sheet, row, col, f, k)
                    else:
                        ws.write_blank(row, col, None, fmt["grey"])
                row += 1
        ws.protect("", {"format_columns": True, "format_rows": True})
        self._print_setup(ws, row)

    def _label_cells(self, ws: Any, row: int, number: int, f: InputField) -> None:
        fmt, lang = self.fmt, self.lang
        ws.write_number(row, 0, number, fmt["center"])
        req = label("required" if f.required else "optional", lang)
        ws.write_string(row, 1, f"{f.label.get(lang)} ({req})", fmt["cell"])
        ws.write_string(row, 2, f.unit or "", fmt["center"])
        guide = f.help.get(lang) if f.help else ""
        if f.id == self.category_field and self.cs.category is not None:
            guide = label("form_category_fixed", lang, category=category_label(self.cs, self.cs.category.id, lang))
        if f.type in ("number", "integer") and (f.min is not None or f.max is not None):
            hint = self._bounds_hint(f)
            guide = f"{guide} ({hint})" if guide else hint
        ws.write_string(row, self.guide_col, guide, fmt["guide"])
        value = self.values.get(value_key(f.id, None)) if not f.yearly else None
        height = row_height([(f"{f.label.get(lang)} ({req})", 46), (guide, 40 * 1.2), (value, 20)])
        if height:
            ws.set_row(row, height)

    def _bounds_hint(self, f: InputField) -> str:
        if f.min is not None and f.max is not None:
            return label("range_hint", self.lang, min=f"{f.min:g}", max=f"{f.max:g}")
        if f.min is not None:
            return label("min_hint", self.lang, min=f"{f.min:g}")
        return f"≤ {f.max:g}"

    def _input(self, ws: Any, sheet: str, row: int, col: int, f: InputField, offset: int | None) -> None:
        fmt, lang = self.fmt, self.lang
        style = {"number": "in_number", "integer": "in_integer", "date": "in_date"}.get(f.type, "in_text")
        value = self.values.get(value_key(f.id, offset))
        fixed = f.id == self.category_field and self.cs.category is not None
        if fixed and value_key(f.id, offset) not in self.values:
            value = self.cs.category.id  # type: ignore[union-attr]
        self._write_value(ws, row, col, value, fmt[style], f)
        self._define(field_name(f.id, offset), sheet, row, col)
        if fixed:
            # the one answer this form's criteria are made for: another category needs its own form
            name = category_label(self.cs, self.cs.category.id, lang)  # type: ignore[union-attr]
            ws.data_validation(
                row,
                col,
                row,
                col,
                {
                    "validate": "list",
                    "source": [name],
                    "error_title": label("dv_number_title", lang),
                    "error_message": label("dv_category_msg", lang, category=name),
                },
            )
        elif f.type in ("number", "integer"):
            hint = self._bounds_hint(f) if (f.min is not None or f.max is not None) else ""
            dv: dict[str, Any] = {
                "validate": "decimal" if f.type == "number" else "integer",
                "error_title": label("dv_number_title", lang),
                "error_message": label("dv_number_msg", lang, hint=hint),
            }
            lo, hi = _plain_number(f.min), _plain_number(f.max)
            if lo is not None and hi is not None:
                dv.update(criteria="between", minimum=lo, maximum=hi)
            elif lo is not None:
                dv.update(criteria=">=", value=lo)
            elif hi is not None:
                dv.update(criteria="<=", value=hi)
            else:
                dv.update(criteria="between", minimum=-1e15, maximum=1e15)
            ws.data_validation(row, col, row, col, dv)
        elif f.type in ("yes_no", "choice"):
            source = self.lists["yes_no" if f.type == "yes_no" else f.id]
            ws.data_validation(
                row,
                col,
                row,
                col,
                {
                    "validate": "list",
                    "source": source,
                    "error_title": label("dv_number_title", lang),
                    "error_message": label("dv_list_msg", lang),
                },
            )
        elif f.type == "date":
            ws.data_validation(
                row,
                col,
                row,
                col,
                {
                    "validate": "date",
                    "criteria": "between",
                    "minimum": dt.date(1900, 1, 1),
                    "maximum": dt.date(2100, 12, 31),
                    "error_title": label("dv_number_title", lang),
                    "error_message": label("dv_date_msg", lang),
                },
            )

    def _write_value(self, ws: Any, row: int, col: int, value: Any, style: Any, f: InputField) -> None:
        if value is None:
            ws.write_blank(row, col, None, style)
        elif isinstance(value, bool):
            if f.type == "yes_no":
                ws.write_string(row, col, label("yes" if value else "no_word", self.lang), style)
            else:
                ws.write_boolean(row, col, value, style)
        elif isinstance(value, (int, float)):
            ws.write_number(row, col, value, style)
        elif isinstance(value, (dt.date, dt.datetime)):
            ws.write_datetime(
                row, col, value if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time()), style
            )
        else:
            text = str(value)
            if f.type == "choice":
                match = next((c for c in f.choices or [] if c.value == text), None)
                text = match.label.get(self.lang) if match else text
            ws.write_string(row, col, text, style)

    def _write_scores(self, ws: Any) -> None:
        cs, lang, fmt = self.cs, self.lang, self.fmt
        sheet = label("self_sheet", lang)
        # the self-score stays in column D; the minimum beside it, what each one must reach
        widths = (6, 44, 10, 12, 10, 58, 9)
        last = len(widths) - 1
        for col, w in enumerate(widths):
            ws.set_column(col, col, w)
        title = f"{label('self_score', lang).upper()} — {self.set_title}"
        ws.merge_range(0, 0, 0, last, title, fmt["title"])
        self._title_height(ws, title, sum(widths), 20)
        ws.merge_range(
            1,
            0,
            1,
            last,
            label("criteria_line", lang, id=cs.id, version=cs.version, fingerprint=cs.fingerprint),
            fmt["sub"],
        )
        head = [
            label("no", lang),
            label("criterion", lang),
            label("max_points", lang),
            label("self_score", lang),
            label("minimum", lang),
            label("how_scored", lang),
            label("provenance", lang),
        ]
        ws.write_row(3, 0, head, fmt["head"])
        ws.set_row(3, 32)
        ws.repeat_rows(3)
        ws.freeze_panes(4, 0)
        row = 4
        score_cells: list[str] = []
        # a basis shared by many criteria (the official table could not be accessed) is a note
        # under the table, referred to by its number, instead of the same sentence on every row
        notes: dict[str, int] = {}

        def note_of(source: Any) -> str:
            if source is None:
                return ""
            text = source.describe(lang)
            return f"({notes.setdefault(text, len(notes) + 1)})"

        number = 0
        for g in cs.groups:
            ws.write_string(row, 0, g.id.upper(), fmt["section"])
            ws.write_string(row, 1, g.title.get(lang), fmt["section"])
            ws.write_number(row, 2, g.max, fmt["total"])
            ws.write_blank(row, 3, None, fmt["section"])
            ws.write_string(row, 4, _minimum_text(g.minimum, lang), fmt["total"])
            ws.write_blank(row, 5, None, fmt["section"])
            ws.write_string(row, 6, note_of(g.source), fmt["section"])
            row += 1
            for c in g.criteria:
                number += 1
                ws.write_number(row, 0, number, fmt["center"])
                ws.write_string(row, 1, c.title.get(lang), fmt["cell"])
                ws.write_number(row, 2, c.max, fmt["points"])
                val = self.self_scores.get(c.id)
                if isinstance(val, (int, float)) and not isinstance(val, bool):
                    ws.write_number(row, 3, val, fmt["in_number"])
                elif val is not None:
                    ws.write_string(row, 3, str(val), fmt["in_number"])
                else:
                    ws.write_blank(row, 3, None, fmt["in_number"])
                ws.data_validation(row, 3, row, 3, score_validation(c.max, lang))
                self._define(self_score_name(c.id), sheet, row, 3)
                score_cells.append(xl_rowcol_to_cell(row, 3))
                floor = _minimum_text(c.minimum, lang)
                if c.knockout:
                    floor = f"{floor} ({label('knockout', lang).lower()})" if floor else label("knockout", lang)
                ws.write_string(row, 4, floor, fmt["center"])
                how = rule_text(c.rule, lang)
                if c.input:
                    unit = cs.unit_of(c.input)
                    how = f"{cs.label_of(c.input, lang)}{f' ({unit})' if unit else ''}: {how}"
                if c.guidance:
                    how = f"{how}\n{c.guidance.get(lang)}"
                ws.write_string(row, 5, how, fmt["guide"])
                ws.write_string(row, 6, note_of(c.source), fmt["center"])
                # guidance is in 10 pt type: about 1.2 characters per unit of column width
                height = row_height([(c.title.get(lang), widths[1]), (how, widths[5] * 1.2)])
                if height:
                    ws.set_row(row, height)
                row += 1
        ws.write_blank(row, 0, None, fmt["section"])
        ws.write_string(row, 1, label("total", lang), fmt["section"])
        ws.write_number(row, 2, cs.total_max, fmt["total"])
        total = sum(
            float(v) for v in self.self_scores.values() if isinstance(v, (int, float)) and not isinstance(v, bool)
        )
        ws.write_formula(row, 3, f"=SUM({','.join(score_cells)})", fmt["total"], total)
        for col in range(4, last + 1):
            ws.write_blank(row, col, None, fmt["section"])
        row += 1
        # what the applicant must reach, stated where the points are counted
        o = cs.outcome
        ws.write_blank(row, 0, None, fmt["cell"])
        ws.write_string(row, 1, label("pass_mark", lang), fmt["cell"])
        ws.write_number(row, 2, o.pass_mark, fmt["total"])
        rule = label("form_pass_rule", lang, pass_mark=f"{o.pass_mark:g}", max=f"{cs.total_max:g}")
        if cs.gates is not None:
            rule += label("form_pass_gates", lang)
        ws.merge_range(row, 3, row, 5, rule, fmt["guide"])
        ws.write_string(row, 6, note_of(o.source), fmt["center"])
        height = row_height([(rule, sum(widths[3:6]) * 1.2)])
        if height:
            ws.set_row(row, height)
        row += 2
        for text, n in notes.items():
            ws.merge_range(row, 0, row, last, f"({n}) {text}", fmt["note"])
            height = row_height([(f"({n}) {text}", sum(widths))])
            if height:
                ws.set_row(row, height)
            row += 1
        ws.protect("", {"format_columns": True, "format_rows": True})
        self._print_setup(ws, row)

    def _title_height(self, ws: Any, title: str, width: float, default: float | None) -> None:
        """A title too long for one line (a category's names it) gets the lines it wraps to."""
        # 14 pt bold: some 0.75 of the characters of 12 pt type fit the same width
        lines = row_height([(title, width * 0.75)])
        if lines is not None:
            ws.set_row(0, lines * 14 / 12 + 4)
        elif default is not None:
            ws.set_row(0, default)

    def _print_setup(self, ws: Any, last_row: int) -> None:
        ws.set_paper(9)  # A4
        ws.set_landscape()
        ws.fit_to_pages(1, 0)
        ws.set_footer(f"&L{self.cs.id} {self.cs.version}&R&P / &N")
