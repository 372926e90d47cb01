"""Consolidated tables out: every valid dossier's inputs as one table, one row per dossier.

The first header row holds the column names (the mapping's, or the form contract's defined names:
``f.tax_code``, ``f.revenue.y0``, ``s.a1_growth``, ``meta.reporting_year``); the second the labels
in the chosen language, which the table reader recognises and skips. Read back (intake/table.py),
the table gives the same dossiers, so the same scores.

In a CSV (UTF-8 with a BOM, so that Excel opens it right) numbers are written as Python writes
them, except a number such as 1.234, which Vietnamese writing reads as a thousand: it is written
1.2340. Text that a spreadsheet would take for a formula gets a leading apostrophe, which the
reader removes. Dates are written as ISO dates (2025-03-31), yes/no as ``có``/``không``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spcncl_score.criteria.models import CriteriaSet
from spcncl_score.intake.names import META_CRITERIA_ID, META_CRITERIA_VERSION, META_REPORTING_YEAR
from spcncl_score.intake.reader import DossierRead
from spcncl_score.intake.table import (
    META_SOURCE,
    SELF_PREFIX,
    Mapping,
    all_criteria,
    all_slots,
    column_name,
    labels_of,
)

_AMBIGUOUS = re.compile(r"^[+-]?\d{1,3}\.\d{3}$")
_FORMULA_START = ("=", "+", "-", "@")


@dataclass(frozen=True)
class FieldCount:
    """How many exported dossiers left a value empty, and how many had it interpreted from text."""

    key: str
    column: str
    missing: int
    reinterpreted: int


@dataclass
class Export:
    header: list[str]
    labels: list[str]
    rows: list[list[Any]]
    counts: list[FieldCount]
    exported: int
    skipped: list[str]  # dossiers with errors, not exported


def build_export(cs: CriteriaSet, reads: list[DossierRead], mapping: Mapping | None = None, lang: str = "vi") -> Export:
    """The table of every valid dossier in ``reads``, in their order.

    A set with categories: the columns of every category (the base's first, then each category's
    own); a row leaves empty the columns its category does not have, and its category is in the
    column of the categories' field, which the reader reads first."""
    keys = [META_SOURCE, META_CRITERIA_ID, META_CRITERIA_VERSION, META_REPORTING_YEAR]
    keys += [k for k, _, _ in all_slots(cs)] + [SELF_PREFIX + cid for cid, _ in all_criteria(cs)]
    mapped = {k: mapping.header_of(k) for k in keys} if mapping is not None else {}
    header = [m.header if (m := mapped.get(k)) is not None else column_name(k) for k in keys]
    labels = [labels_of(k, cs)[1 if lang == "en" else 0] for k in keys]
    ok = [r for r in reads if r.ok and r.dossier is not None]
    rows: list[list[Any]] = []
    for r in ok:
        d = r.dossier
        assert d is not None
        row: list[Any] = [d.file, d.criteria_id, d.criteria_version, d.reporting_year]
        for k in keys[4:]:
            v = d.self_scores.get(k[len(SELF_PREFIX) :]) if k.startswith(SELF_PREFIX) else d.values.get(k)
            m = mapped.get(k)
            if m is not None and m.factor != 1.0 and isinstance(v, float):
                inverse = 1 / m.factor  # the reader divides by a whole inverse: multiply by the same
                whole = m.factor < 1 and abs(inverse - round(inverse)) < 1e-9 * inverse
                v = v * round(inverse) if whole else v / m.factor
            row.append(v)
        rows.append(row)
    counts = [
        FieldCount(
            k,
            column_name(k),
            sum(1 for r in ok if r.dossier is not None and k in r.dossier.values and r.dossier.values[k] is None),
            sum(1 for r in ok if r.dossier is not None and k in r.dossier.raw),
        )
        for k, _, _ in all_slots(cs)
    ]
    skipped = [r.file for r in reads if not r.ok]
    return Export(header, labels, rows, counts, len(ok), skipped)


def write_export(export: Export, path: Path, suffix: str, created: dt.datetime) -> None:
    """Write the table to ``path`` as xlsx or (``suffix`` '.csv') CSV."""
    if suffix == ".csv":
        buf = io.StringIO(newline="")
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(export.header)
        w.writerow(export.labels)
        w.writerows([_csv_cell(v) for v in row] for row in export.rows)
        path.write_bytes(buf.getvalue().encode("utf-8-sig"))
        return
    import xlsxwriter

    wb = xlsxwriter.Workbook(
        str(path), {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    )
    wb.set_properties({"created": created})
    bold = wb.add_format({"bold": True})
    label = wb.add_format({"italic": True, "text_wrap": True})
    date = wb.add_format({"num_format": "dd/mm/yyyy"})
    ws = wb.add_worksheet("dossiers")
    ws.freeze_panes(2, 1)
    for c, (h, lab) in enumerate(zip(export.header, export.labels, strict=True)):
        ws.write_string(0, c, h, bold)
        ws.write_string(1, c, lab, label)
        ws.set_column(c, c, 16 if c else 40)
    for r, row in enumerate(export.rows, start=2):
        for c, v in enumerate(row):
            if v is None:
                continue
            if isinstance(v, bool):
                ws.write_boolean(r, c, v)
            elif isinstance(v, (int, float)):
                ws.write_number(r, c, v)
            elif isinstance(v, dt.date):
                ws.write_datetime(r, c, dt.datetime.combine(v, dt.time()), date)
            else:
                ws.write_string(r, c, str(v))
    wb.close()


def _csv_cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "có" if v else "không"
    if isinstance(v, float):
        text = str(int(v)) if v.is_integer() and abs(v) < 1e16 else repr(v)
        return text + "0" if _AMBIGUOUS.match(text) else text
    if isinstance(v, int):
        return str(v)
    if isinstance(v, dt.date):
        return v.isoformat()
    text = str(v)
    return "'" + text if text.startswith(_FORMULA_START) else text
