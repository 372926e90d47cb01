"""Sizes that decide the shape of the report (kept apart so the command line reads them cheaply)."""

TITLE_ROWS = 2  # a title and a subtitle above every table's header

EXCEL_ROWS = 1_048_576  # rows a sheet holds
# Past this many rows the detail goes to a CSV file beside the workbook. Excel would hold 20 times
# more, but nobody reads or prints a sheet of 50,000 rows, it is three quarters of the report's cells
# and of its writing time (about 4 s per 50,000 rows, docs/performance.md), and a CSV opens in any
# spreadsheet.
DETAIL_ROW_LIMIT = 50_000
