"""A worksheet that writes a table's data rows as XML in one pass, byte for byte as xlsxwriter would.

Why: at 1,000 dossiers the report has about 208,000 data cells, and xlsxwriter spends 8-10 µs on
each (a namedtuple stored per cell, then an XML element built from attribute lists at close).
Here a row's cell bodies are rendered once when the row is added, and the cell references and
style indices are joined in at close: 2-3 µs a cell all in, the zip included (docs/performance.md).

The output is the same bytes as the plain ``write_string``/``write_number``/... calls would give:
shared strings are interned when a row is added (the order the plain calls would intern them),
style indices are taken when the rows are rendered at close (the order xlsxwriter takes them),
row tags and their ``spans`` follow xlsxwriter's rules. ``tests/test_bulksheet.py`` proves it by
writing whole reports both ways and comparing the files, so an xlsxwriter release that changed
its sheet XML would fail that test instead of silently changing reports.

This subclasses xlsxwriter's ``Worksheet`` (``Workbook.add_worksheet(worksheet_class=...)`` is its
documented extension point) and overrides its row writer, which is not public API.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, NamedTuple

from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

# what BulkSheet uses of xlsxwriter's worksheet beyond its public API
_INTERNALS = (
    "_write_rows",
    "_check_dimensions",
    "_prepare_formula",
    "_get_range_data",
    "str_table",
    "table",
    "row_info",
    "comments",
    "fh",
    "dim_rowmin",
    "dim_rowmax",
    "default_row_height",
    "original_row_height",
)
STRING_MAX = 32_767  # UTF-16 units in a cell, as xlsxwriter enforces
SPAN_ROWS = 16  # xlsxwriter states the columns in use per block of 16 rows
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def _truncated(text: str) -> str:
    """``text`` cut to what a cell holds, never splitting a character above U+FFFF (as xlsxwriter does)."""
    if len(text) <= STRING_MAX // 2:
        return text
    length = 0
    for index, char in enumerate(text):
        length += 2 if ord(char) > 0xFFFF else 1
        if length > STRING_MAX:
            return text[:index]
    return text


_ERRORS = frozenset(("#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!"))


def _formula_body(formula: str, stored: Any) -> str:
    """A formula cell after its reference and style, with its stored result typed as xlsxwriter types it."""
    kind = ""
    if isinstance(stored, bool):
        kind, stored = ' t="b"', int(stored)
    elif isinstance(stored, str):
        if stored in _ERRORS:
            kind = ' t="e"'
        elif stored:
            kind = ' t="str"'
        stored = stored.translate(_ESCAPES)
    return f"{kind}><f>{formula.translate(_ESCAPES)}</f><v>{stored}</v></c>"


@lru_cache(maxsize=1)
def supported() -> bool:
    """Whether the installed xlsxwriter has the internals this relies on (else rows go cell by cell)."""
    sheet = Worksheet()
    return all(hasattr(sheet, name) for name in _INTERNALS)


class _BulkRow(NamedTuple):
    row: int  # 0-based sheet row
    pixels: int | None  # height, None for the default
    formats: Sequence[Format]
    bodies: list[str]  # each cell's XML after its reference and style
    values: Sequence[Any]  # as given, for charts' cached data
    formulas: dict[int, tuple[str, Any]] | None


class BulkSheet(Worksheet):
    """A worksheet whose data rows below its header are added as whole rows (``add_rows``)."""

    def __init__(self) -> None:
        super().__init__()
        self._bulk_first: int | None = None
        self._bulk_next = 0
        self._bulk_rows: list[_BulkRow] = []
        self._bulk_index: dict[int, int] | None = None

    def add_rows(
        self,
        first: int,
        rows: Sequence[Sequence[Any]],
        formats: Sequence[Sequence[Format]],
        heights: Sequence[float | None],
        formulas: dict[int, dict[int, tuple[str, Any]]],
    ) -> None:
        """Add ``rows`` from sheet row ``first`` (0-based) down, as the plain write calls would store them.

        ``formats[r][c]`` is the format of cell (r, c); ``heights[r]`` the row height in points or
        None; ``formulas[r][c]`` a (formula, stored value) pair written instead of the value.
        Cells written the usual way must all lie above the first bulk row, and each call must
        continue right below the previous one.
        """
        if not rows:
            return
        if self._bulk_first is None:
            if self.dim_rowmax is not None and self.dim_rowmax >= first:
                raise ValueError("bulk rows must come below every other cell of the sheet")
            self._bulk_first = first
        elif first != self._bulk_next:
            raise ValueError("bulk rows must be added in order, without gaps")
        self._bulk_next = first + len(rows)
        strings = self.str_table
        intern = strings._get_shared_string_index
        # a report repeats its texts (names, titles, labels) on many rows: a text's cell body is
        # made once; a repeat only counts as one more use of the shared string, as interning does
        texts: dict[str, str] = {}
        repeats = 0
        prepare = self._prepared
        out = self._bulk_rows
        width, top, last = 0, None, None
        for r, row in enumerate(rows):
            bodies: list[str] = []
            append = bodies.append
            if len(row) > len(formats[r]):
                raise ValueError(f"row {first + r + 1} has more cells than formats")
            specs = formulas.get(r)
            for c, value in enumerate(row):
                if specs is not None and c in specs:
                    formula, stored = specs[c]
                    append(_formula_body(prepare(formula), stored))
                elif value is None or value == "":
                    append("/>")
                elif type(value) is str:
                    body = texts.get(value)
                    if body is None:
                        body = texts[value] = f' t="s"><v>{intern(_truncated(value))}</v></c>'
                    else:
                        repeats += 1
                    append(body)
                elif type(value) is float and value - value == 0:  # finite
                    append(f"><v>{value:.16G}</v></c>")
                elif isinstance(value, bool):
                    append(f' t="b"><v>{int(value)}</v></c>')
                elif isinstance(value, (int, float)):
                    if isinstance(value, float) and not math.isfinite(value):
                        append("/>")
                    else:
                        append(f"><v>{value:.16G}</v></c>")
                else:
                    append(f' t="s"><v>{intern(_truncated(str(value)))}</v></c>')
            if not bodies:
                continue  # a row without cells is not written, as with the plain calls
            height = heights[r]
            pixels = None if height is None else int(height * 4.0 / 3.0 + 0.5)
            out.append(_BulkRow(first + r, pixels, formats[r], bodies, row, specs))
            width, last = max(width, len(bodies)), first + r
            top = last if top is None else top
        strings.count += repeats
        if top is not None and last is not None:
            # the sheet's <dimension>: the first and last rows written, the widest row's last column
            self._check_dimensions(top, 0)
            self._check_dimensions(last, width - 1)

    def _prepared(self, formula: str) -> str:
        """The formula as xlsxwriter stores it (no '=', newer functions prefixed)."""
        if formula.startswith("=SUM(") and formula.count("(") == 1 and not formula.endswith("}"):
            # the report's sums: the only call is SUM, which xlsxwriter leaves alone, so its
            # thirty-odd substitutions (a third of the time of all the rows) would change nothing
            return formula[1:]
        result: str = self._prepare_formula(formula)
        return result

    def _write_rows(self) -> None:
        if self._bulk_first is None:
            super()._write_rows()
            return
        above = self._bulk_first - 1
        late = [r for r, cells in self.table.items() if cells and r > above]
        late += [r for r in (*self.row_info, *self.comments) if r > above]
        if late:
            # a cell, row setting or comment added the usual way after the bulk rows would be lost
            raise ValueError(f"row {min(late) + 1} was written after the bulk rows below row {above + 1}")
        last = self.dim_rowmax  # type: ignore[has-type]  # an xlsxwriter attribute, untyped
        self.dim_rowmax = above  # xlsxwriter writes the rows above the bulk ...
        try:
            if self.dim_rowmin is not None and self.dim_rowmin <= above:
                super()._write_rows()
        finally:
            self.dim_rowmax = last
        self._write_bulk_rows()  # ... and the bulk rows follow

    def _write_bulk_rows(self) -> None:
        spans = self._bulk_spans()
        letters: list[str] = []
        default, original = self.default_row_height, self.original_row_height
        # style indices are handed out on first use, in cell order, as xlsxwriter does: taking a
        # row's formats in column order the first time that list and length come up is that order
        xfs: dict[tuple[int, int], list[int]] = {}
        write = self.fh.write
        for row, pixels, formats, bodies, _, _ in self._bulk_rows:
            n = row + 1
            height = default if pixels is None else pixels
            tag = f'<row r="{n}" spans="{spans[row // SPAN_ROWS]}"'
            if height != original or height != default:
                tag += f' ht="{height * 0.75:.16g}" customHeight="1"'
            while len(letters) < len(bodies):
                letters.append(xl_col_to_name(len(letters)))
            key = (id(formats), len(bodies))
            xf = xfs.get(key)
            if xf is None:
                xf = xfs[key] = [f._get_xf_index() for f in formats[: len(bodies)]]
            cells = "".join(
                [f'<c r="{letter}{n}" s="{s}"{body}' for letter, s, body in zip(letters, xf, bodies, strict=False)]
            )
            write(f"{tag}>{cells}</row>")

    def _bulk_spans(self) -> dict[int, str]:
        """xlsxwriter's ``spans`` per block of 16 rows: the columns in use, from both kinds of row."""
        low: dict[int, int] = {}
        high: dict[int, int] = {}
        for row, cols in self.table.items():
            if cols:
                block = row // SPAN_ROWS
                low[block] = min(low.get(block, min(cols)), min(cols))
                high[block] = max(high.get(block, max(cols)), max(cols))
        for entry in self._bulk_rows:  # never empty, and every one starts at column A
            block = entry.row // SPAN_ROWS
            low[block] = 0
            high[block] = max(high.get(block, 0), len(entry.bodies) - 1)
        return {block: f"{low[block] + 1}:{high[block] + 1}" for block in low}

    def _get_range_data(self, row_start: int, col_start: int, row_end: int, col_end: int) -> list[Any]:
        """Cells for a chart's cached data, from the bulk rows as from the cells xlsxwriter stored."""
        first = self._bulk_first
        if first is None or row_end < first:
            return list(super()._get_range_data(row_start, col_start, row_end, col_end))
        data: list[Any] = []
        if row_start < first:
            data.extend(super()._get_range_data(row_start, col_start, first - 1, col_end))
        if self._bulk_index is None:
            self._bulk_index = {entry.row: i for i, entry in enumerate(self._bulk_rows)}
        for row_num in range(max(row_start, first), row_end + 1):
            i = self._bulk_index.get(row_num)
            if i is None:
                data.append(None)
                continue
            values, specs = self._bulk_rows[i].values, self._bulk_rows[i].formulas
            for c in range(col_start, col_end + 1):
                if c >= len(values):
                    data.append(None)
                elif specs is not None and c in specs:
                    stored = specs[c][1]
                    data.append(0 if stored is None else stored)
                else:
                    data.extend(_chart_value(values[c]))
        return data


def _chart_value(value: Any) -> list[Any]:
    """What xlsxwriter gives a chart's cache for a cell written with ``value`` (nothing for a boolean)."""
    if value is None or value == "":
        return [""]
    if type(value) is str:
        return [_truncated(value)]
    if isinstance(value, bool):
        return []
    if isinstance(value, (int, float)):
        return [f"{value:.16g}"] if math.isfinite(value) else [""]
    return [_truncated(str(value))]
