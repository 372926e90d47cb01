"""The report's data rows written in bulk (``BulkSheet.add_rows``) give the same file, byte for byte,
as the same rows written cell by cell through xlsxwriter's public calls.

If an xlsxwriter release changes how it writes sheet XML, these tests fail: the bulk writer
imitates it, so it must then be brought in line (or ``BULK_ROWS`` turned off)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pytest
import xlsxwriter

import spcncl_score.report.xlsx as report_xlsx
from spcncl_score.evaluation.pipeline import evaluate
from spcncl_score.report.bulksheet import BulkSheet
from spcncl_score.report.tables import Column, Table
from tests.council_helpers import copy_dossiers, fill_forms, hanoi_council, write_yaml

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
CID = "hd-test-2025"  # id of hanoi_council()
ASTRAL = "\U0001f600"  # one character, two UTF-16 units


def both_ways(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, result: Any, name: str, **kw: Any) -> bytes:
    """The report of ``result`` written cell by cell and in bulk; asserts they are the same bytes."""
    files = {}
    for bulk in (False, True):
        monkeypatch.setattr(report_xlsx, "BULK_ROWS", bulk)
        folder = tmp_path / ("bulk" if bulk else "plain")
        folder.mkdir(exist_ok=True)
        path = folder / f"{name}.xlsx"  # one name: the report may name its side files
        report_xlsx.write_xlsx(result, path, **kw)
        files[bulk] = path.read_bytes()
    assert files[True] == files[False], f"{name}: bulk rows differ from the cell-by-cell writer"
    return files[True]


@pytest.mark.parametrize("folder,criteria", [("hanoi", "hanoi-spcncl"), ("ocop", "ocop"), ("cnnt", "cnnt")])
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_sample_reports_are_the_same_bytes(tmp_path, monkeypatch, folder, criteria, lang):
    result = evaluate([SAMPLES / folder], criteria)
    both_ways(tmp_path, monkeypatch, result, f"{folder}-{lang}", lang=lang)


def test_council_round_report_is_the_same_bytes(tmp_path, monkeypatch):
    dossiers = copy_dossiers(tmp_path / "dossiers")
    council = write_yaml(tmp_path / "council.yaml", hanoi_council())
    from typer.testing import CliRunner

    from spcncl_score.cli.commands import app

    forms = tmp_path / "forms"
    res = CliRunner().invoke(app, ["council", "forms", str(dossiers), "--council", str(council), "-o", str(forms)])
    assert res.exit_code == 0, res.output
    fill_forms(forms, CID, {"m01": {"hn01": 7, "hn02": 8}, "m02": {"hn01": 8, "hn02": 6}, "m03": {"hn01": 6}})
    result = evaluate([dossiers], council=council, scores=forms)
    both_ways(tmp_path, monkeypatch, result, "council")


def test_detail_moved_to_csv_is_the_same_bytes(tmp_path, monkeypatch):
    result = evaluate([SAMPLES / "hanoi"], "hanoi-spcncl")
    both_ways(tmp_path, monkeypatch, result, "moved", detail_limit=10)


EDGE_ROWS: list[list[Any]] = [
    ["plain", 1.5, 2, None, ""],
    ["x" * 40_000, "y" * 16_383 + ASTRAL * 8_200, True, False, np.int64(7)],  # cut to 32,767 units
    [float("nan"), float("inf"), -float("inf"), np.float64(2.25), 10**20],
    ["<&>\"' text", "line one\nline two\nline three\nline four", 0.1 + 0.2, -0.0, 1e-300],
    ["short row"],
    [],  # no cells: no row element at all
    ["=1+1", "+text", "@text", "-3", 3.0],  # text is text, never a formula
    ["formulas", 4.0, 5.0, 9.0, None],
    ["a wrapped " * 30, "b", "c", "d", "e"],
]


def edge_table(rows: int = 1) -> Table:
    columns = [
        Column("text"),
        Column("wrapped", "wrap", 20),
        Column("points", "points"),
        Column("number", "number"),
        Column("int", "int"),
    ]
    body = [list(r) for _ in range(rows) for r in EDGE_ROWS]
    styles = ["", "top", "recognised", "", "group", "", "tie", "", "overclaim"] * rows
    t = Table("edge", "Edge 'cases' here", columns, body, styles)
    n = len(EDGE_ROWS)
    for k in range(rows):
        r = 7 + k * n
        t.formulas[(r, 3)] = ("sum_cols", 1, 2)  # stored 9.0
        t.formulas[(r, 4)] = ("sum_rows", "edge", 2, 0, 3)  # stored None
    return t


@pytest.mark.parametrize("repeat", [1, 3])  # 3: rows cross the 16-row blocks of 'spans'
def test_odd_values_are_the_same_bytes(tmp_path, monkeypatch, repeat):
    result = evaluate([SAMPLES / "ocop"], "ocop")  # one set: its tables are build_tables'
    real = report_xlsx.build_tables

    def with_edge_table(*args: Any, **kw: Any) -> list[Table]:
        return [*real(*args, **kw), edge_table(repeat)]

    monkeypatch.setattr(report_xlsx, "build_tables", with_edge_table)
    data = both_ways(tmp_path, monkeypatch, result, f"edge{repeat}")
    path = tmp_path / "edge.xlsx"
    path.write_bytes(data)
    ws = openpyxl.load_workbook(path)["Edge 'cases' here"]
    first = report_xlsx.TITLE_ROWS + 2
    assert ws.cell(first, 1).value == "plain"
    assert len(ws.cell(first + 1, 1).value) == 32_767
    assert ws.cell(first + 1, 2).value == "y" * 16_383 + ASTRAL * 8_192  # 32,767 units, never half a character
    assert ws.cell(first + 1, 3).value is True
    assert ws.cell(first + 2, 1).value is None  # NaN and infinities are left blank
    assert ws.cell(first + 6, 1).value == "=1+1" and ws.cell(first + 6, 1).data_type == "s"
    assert ws.cell(first + 7, 4).value == "=SUM(B11:C11)"
    assert math.isclose(ws.cell(first + 3, 3).value, 0.3)


def test_rows_must_continue_below_the_header(tmp_path):
    wb = xlsxwriter.Workbook(str(tmp_path / "x.xlsx"))
    ws = wb.add_worksheet("s", BulkSheet)
    f = wb.add_format({})
    ws.write_string(3, 0, "header")
    with pytest.raises(ValueError, match="below every other cell"):
        ws.add_rows(3, [["a"]], [[f]], [None], {})
    ws.add_rows(4, [["a"], ["b"]], [[f], [f]], [None, None], {})
    with pytest.raises(ValueError, match="in order, without gaps"):
        ws.add_rows(7, [["c"]], [[f]], [None], {})
    with pytest.raises(ValueError, match="more cells than formats"):
        ws.add_rows(6, [["c", "d"]], [[f]], [None], {})
    wb.close()


def test_without_the_internals_rows_go_cell_by_cell(tmp_path, monkeypatch):
    from spcncl_score.report import bulksheet

    monkeypatch.setattr(bulksheet, "_INTERNALS", (*bulksheet._INTERNALS, "_no_such_method"))
    bulksheet.supported.cache_clear()
    try:
        assert not bulksheet.supported()
        made: list[Any] = []
        real_add = xlsxwriter.Workbook.add_worksheet

        def add_worksheet(self: Any, name: Any = None, worksheet_class: Any = None) -> Any:
            ws = real_add(self, name, worksheet_class)
            made.append(ws)
            return ws

        monkeypatch.setattr(xlsxwriter.Workbook, "add_worksheet", add_worksheet)
        result = evaluate([SAMPLES / "ocop"], "ocop")
        report_xlsx.write_xlsx(result, tmp_path / "r.xlsx")
        assert made and not any(isinstance(ws, BulkSheet) for ws in made)
    finally:
        bulksheet.supported.cache_clear()


@pytest.mark.parametrize("late", ["cell", "row height"])
def test_anything_written_below_the_bulk_rows_the_usual_way_is_refused(tmp_path, late):
    """xlsxwriter writes the rows above the bulk rows; a cell or row setting added below them the
    usual way would be lost, so closing the workbook says so instead."""
    wb = xlsxwriter.Workbook(str(tmp_path / "x.xlsx"))
    ws = wb.add_worksheet("s", BulkSheet)
    f = wb.add_format({})
    ws.write_string(0, 0, "header")
    ws.add_rows(1, [["a"], ["b"]], [[f], [f]], [None, None], {})
    if late == "cell":
        ws.write_string(5, 0, "late")
    else:
        ws.set_row(2, 30)
    with pytest.raises(ValueError, match="was written after the bulk rows"):
        wb.close()


def test_a_sheet_of_bulk_rows_only_has_the_dimension_xlsxwriter_gives(tmp_path):
    files = []
    for bulk in (False, True):
        path = tmp_path / f"{bulk}.xlsx"
        wb = xlsxwriter.Workbook(str(path))
        ws = wb.add_worksheet("s", BulkSheet if bulk else None)
        f = wb.add_format({"bold": True})
        rows = [["a", 1.0], [], ["b", 2.0, "c"]]
        if bulk:
            ws.add_rows(4, rows, [[f, f, f]] * 3, [None, None, 30.0], {})
        else:
            ws.set_row(6, 30.0)
            for r, row in enumerate(rows):
                for c, v in enumerate(row):
                    ws.write(4 + r, c, v, f)
        wb.close()
        files.append(path.read_bytes())
    assert files[0] == files[1]
