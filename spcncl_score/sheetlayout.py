"""Row heights for wrapped text: spreadsheet programs do not grow rows that a program wrote."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

# The documents' font, also as each workbook's default: column widths are counted in digits of the
# default font, so that with it they are the same in Excel and LibreOffice (Liberation Serif has
# Times New Roman's metrics), and a page laid out for A4 prints on A4 in both.
FONT = "Times New Roman"


def default_font() -> dict[str, dict[str, object]]:
    """xlsxwriter's workbook option for it: a new dict each time, as xlsxwriter adds keys to the one it gets."""
    return {"default_format_properties": {"font_name": FONT, "font_size": 11}}


LINE_POINTS = 15.0  # one line of 11-12 pt text
MAX_LINES = 12
# characters of 11 pt Times per unit of column width (1.1 let LibreOffice wrap lines not counted)
CHARS_PER_WIDTH = 1.0


@lru_cache(maxsize=8192)  # a report repeats the same texts (titles, sources, names) on many rows
def text_lines(text: str, width: float) -> int:
    """Roughly how many lines ``text`` needs in a column ``width`` characters wide."""
    chars = max(1, int(width * CHARS_PER_WIDTH))
    if len(text) <= chars and "\n" not in text:
        return 1
    return sum(max(1, -(-len(part) // chars)) for part in text.split("\n"))


def row_height(cells: Iterable[tuple[object, float]]) -> float | None:
    """Height in points for a row whose wrapped cells are (value, column width); None for one line."""
    most = 1
    for value, width in cells:
        # most cells are short: skip them without splitting
        if isinstance(value, str) and (len(value) > width * CHARS_PER_WIDTH or "\n" in value):
            most = max(most, text_lines(value, width))
    return LINE_POINTS * min(most, MAX_LINES) if most > 1 else None


def row_heights(rows: Iterable[list[object]], wrapped: list[tuple[int, float]]) -> list[float | None]:
    """``row_height`` of each row's wrapped cells, given as (column, width)."""
    return [row_height((row[c], width) for c, width in wrapped if c < len(row)) for row in rows]
