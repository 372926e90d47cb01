"""Consolidated tables in and out (issue #15): a CSV or xlsx table, one row per dossier, scores
exactly as the forms it was exported from; every problem names file, sheet and A1 cell."""

from __future__ import annotations

import csv
import io
import shutil
import unicodedata
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from typer.testing import CliRunner

from spcncl_score.cli.commands import app
from spcncl_score.evaluation.pipeline import evaluate
from spcncl_score.issues import Issue
from spcncl_score.scoring.result import RunResult

ROOT = Path(__file__).resolve().parent.parent
HANOI = ROOT / "samples" / "hanoi"


def invoke(*args: Any) -> Any:
    return CliRunner().invoke(app, [str(a) for a in args])


def outcomes(result: RunResult) -> dict[tuple[str, str], tuple[float, str, int, str]]:
    """Each ranked dossier's total, rank, position and outcome, by (tax code, product)."""
    cs = result.criteria
    assert result.ranking is not None and result.scores is not None
    out = {}
    for d in result.ranking.index:
        key = (str(result.frame.loc[d, cs.identity.tax_code]), str(result.frame.loc[d, cs.identity.product]))
        out[key] = (
            float(result.scores.total.loc[d]),
            str(result.ranking.loc[d, "rank"]),
            int(result.ranking.loc[d, "position"]),
            str(result.scores.outcome.loc[d].to_dict()),
        )
    return out


def messages(issues: list[Issue], code: str, lang: str = "en") -> list[str]:
    return [i.render(lang) for i in issues if i.code == code]


@pytest.fixture(scope="module")
def forms() -> RunResult:
    return evaluate([HANOI], sensitivity=None)


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("export")
    for name in ("d.xlsx", "d.csv"):
        run = invoke("export", HANOI, "-o", out / name)
        assert run.exit_code == 1, run.output  # hn18 has errors: not exported, said so
        assert "17 hồ sơ" in run.output and "1 hồ sơ có lỗi không được ghi" in run.output
    return out


def csv_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))


_TONES = "\u0300\u0301\u0303\u0309\u0323"  # the five tone marks Windows-1258 keeps apart


def cp1258(text: str) -> bytes:
    """``text`` as Excel on a Vietnamese Windows saves it: a letter with its vowel mark, the tone apart."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
            out += (base + "".join(c for c in parts if c in _TONES)).encode("cp1258")
    return bytes(out)


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8-sig") -> Path:
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    text = buf.getvalue()
    path.write_bytes(cp1258(text) if encoding == "cp1258" else text.encode(encoding))
    return path


# --- round trip: export, read back, same scores ----------------------------------------------


@pytest.mark.parametrize("name", ["d.xlsx", "d.csv"])
def test_an_exported_table_scores_exactly_as_the_forms(forms: RunResult, exported: Path, name: str) -> None:
    table = evaluate([exported / name], sensitivity=None)
    assert outcomes(table) == outcomes(forms)
    assert len(outcomes(forms)) == 17
    # rows are named by file and sheet row: the first dossier is in row 3, under two header rows
    assert f"{name}#row 3" in set(table.ranking.index)  # type: ignore[union-attr]
    sheet = "dossiers" if name.endswith("xlsx") else "d"
    assert messages(table.issues, "table-read") == [
        f"{name} '{sheet}': Read as a consolidated table: 17 dossiers (one per row), 40 columns matched to "
        "fields, header in row 1. [table-read]"
    ]


def test_export_prints_per_field_counts_of_missing_and_reinterpreted(tmp_path: Path) -> None:
    run = invoke("export", HANOI, "-o", tmp_path / "t.csv", "--lang", "en")
    lines = run.output.splitlines()
    assert "field\tmissing\treinterpreted" in lines
    assert "f.revenue.y0\t0\t2" in lines  # two forms typed their revenue as text
    assert lines[-1] == f"17 dossiers written to {tmp_path / 't.csv'}; 1 with errors not written."


def test_export_never_overwrites_without_force_and_refuses_other_formats(exported: Path, tmp_path: Path) -> None:
    run = invoke("export", HANOI, "-o", exported / "d.csv", "--lang", "en")
    assert run.exit_code == 2 and "already exists" in run.output
    run = invoke("export", HANOI, "-o", tmp_path / "d.ods", "--lang", "en")
    assert run.exit_code == 2
    assert "The exported table must be an .xlsx or .csv file, not '.ods'. [export-format]" in run.output


def test_a_hand_edited_table_with_a_mapping_scores_as_the_forms(
    forms: RunResult, exported: Path, tmp_path: Path
) -> None:
    """What a working group does to a table: its own headers, Vietnamese numbers, revenue in đồng."""
    rows = csv_rows(exported / "d.csv")
    header, body = rows[0], rows[2:]  # the labels row dropped, as a hand-made table has none
    rev = header.index("f.revenue.y0")
    header[header.index("f.tax_code")] = "MST"
    header[header.index("f.product_name")] = "Sản phẩm"
    header[rev] = "Doanh thu năm 2024 (đồng)"
    for row in body:
        value = float(row[rev])
        row[rev] = f"{round(value * 1e9):,}".replace(",", ".")  # 1.234.000.000 in Vietnamese writing
        workers = header.index("f.workers.y0")
        row[workers] = row[workers] + " người"
    write_csv(tmp_path / "bang.csv", [header, *body])
    mapping = tmp_path / "cot.yaml"
    mapping.write_text(
        "columns:\n"
        "  mst: f.tax_code\n"
        "  SẢN PHẨM: product_name\n"
        "  Doanh thu năm 2024 (đồng): {field: f.revenue.y0, factor: 0.000000001}\n",
        encoding="utf-8",
    )
    table = evaluate([tmp_path / "bang.csv"], sensitivity=None, mapping=mapping)
    assert outcomes(table) == outcomes(forms)
    converted = messages(table.issues, "table-unit-converted")
    assert converted == [
        "bang.csv 'bang'!Q1: The numbers of column 'Doanh thu năm 2024 (đồng)' are multiplied by 1e-09 into the "
        "field's unit (as the mapping file says). [table-unit-converted]"
    ]
    assert any(i.code == "value-interpreted" and i.location.cell == "W2" for i in table.issues)


def test_an_xlsx_table_is_told_from_a_form_and_mixes_with_forms(
    forms: RunResult, exported: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    shutil.copy(exported / "d.xlsx", folder / "bang.xlsx")
    shutil.copy(HANOI / "hn01-co-khi-chinh-xac-dong-anh.xlsx", folder)
    shutil.copy(HANOI / "hn18-bao-bi-hoang-mai.xlsx", folder)
    result = evaluate([folder], sensitivity=None)
    kinds = {f.display: f.kind for f in result.files}
    assert kinds["hn01-co-khi-chinh-xac-dong-anh.xlsx"] == "workbook"
    assert kinds["bang.xlsx#row 3"] == "table_row"
    # hn01 is both a form and a table row with the same content: ranked once, as the first in file
    # order (the table's row); the form is listed as its copy
    dup = [i for i in result.issues if i.code.startswith("dossier-duplicate")]
    assert [(i.code, i.location.file) for i in dup] == [
        ("dossier-duplicate-copy", "hn01-co-khi-chinh-xac-dong-anh.xlsx")
    ]
    assert dup[0].params["original"] == "bang.xlsx#row 3"
    assert "bang.xlsx#row 3" in set(result.ranking.index)  # type: ignore[union-attr]
    assert "hn01-co-khi-chinh-xac-dong-anh.xlsx" not in set(result.ranking.index)  # type: ignore[union-attr]
    # every file is accounted for: the form with errors is listed as not ranked
    assert "hn18-bao-bi-hoang-mai.xlsx" not in set(result.ranking.index)  # type: ignore[union-attr]
    assert len(result.ranking) == 17  # type: ignore[arg-type]  # the table's scored rows; hn01 once


def test_a_bad_row_is_named_with_its_cell_and_listed_as_not_ranked(exported: Path, tmp_path: Path) -> None:
    rows = csv_rows(exported / "d.csv")
    rev = rows[0].index("f.revenue.y0")
    rows[3][rev] = "nhiều lắm"
    path = write_csv(tmp_path / "t.csv", rows)
    result = evaluate([path], sensitivity=None)
    bad = [i for i in result.issues if i.code == "value-not-number"]
    assert [(i.location.file, i.location.sheet, i.location.cell, i.location.field) for i in bad] == [
        ("t.csv#row 4", "t", "Q4", "revenue@0")
    ]
    from spcncl_score.report.tables import not_ranked_table

    assert not_ranked_table(result, "en").rows == [
        [
            "t.csv#row 4",
            "Dossier with errors",
            "'Revenue from the product (2025)': expected a number, found 'nhiều lắm'. (t.csv#row 4 't'!Q4 [revenue@0])",
        ]
    ]


def test_a_row_number_picks_the_dossier_explain_shows(exported: Path) -> None:
    run = invoke("explain", exported / "d.csv", "--row", 4, "--lang", "en")
    assert run.exit_code == 0, run.output
    run = invoke("explain", exported / "d.csv", "--lang", "en")
    assert run.exit_code == 2
    assert "The table holds 17 dossiers: choose one with --row N (rows: 3, 4, 5," in " ".join(run.output.split())
    run = invoke("explain", exported / "d.csv", "--row", 99, "--lang", "en")
    assert run.exit_code == 2
    assert "The table has no dossier in row 99. Rows with dossiers: 3, 4," in run.output


def test_criteria_diff_replays_a_table(exported: Path, tmp_path: Path) -> None:
    run = invoke(
        "criteria", "diff", "hanoi-spcncl", "hanoi-spcncl", "--dossiers", exported / "d.csv", "--format", "json"
    )
    assert run.exit_code == 0, run.output
    assert '"replayed_dossiers": 17' in run.output
    rows = csv_rows(exported / "d.csv")
    rows[0][5] = "MST"
    write_csv(tmp_path / "t.csv", rows)
    (tmp_path / "m.yaml").write_text("columns:\n  MST: f.tax_code\n", encoding="utf-8")
    args = ("criteria", "diff", "hanoi-spcncl", "hanoi-spcncl", "--dossiers", tmp_path / "t.csv", "--format", "json")
    assert '"replayed_dossiers": 0' in invoke(*args).output  # without the mapping, the table lacks a tax code
    assert '"replayed_dossiers": 17' in invoke(*args, "--mapping", tmp_path / "m.yaml").output


# --- encodings --------------------------------------------------------------------------------


def test_a_windows_1258_csv_is_read_and_reported(exported: Path, tmp_path: Path) -> None:
    rows = csv_rows(exported / "d.csv")
    path = write_csv(tmp_path / "w.csv", rows, encoding="cp1258")
    plain = evaluate([exported / "d.csv"], sensitivity=None)
    result = evaluate([path], sensitivity=None)
    assert outcomes(result) == outcomes(plain)
    assert messages(result.issues, "table-encoding-cp1258", "vi") == [
        "w.csv: Tệp CSV không phải UTF-8: đã đọc theo bảng mã Windows-1258 (cp1258). Hãy kiểm tra dấu tiếng Việt; "
        "nên lưu lại bằng 'CSV UTF-8'. [table-encoding-cp1258]"
    ]


def test_a_csv_in_no_known_encoding_is_refused(tmp_path: Path) -> None:
    (tmp_path / "x.csv").write_bytes(b"f.tax_code,f.product_name\r\n\x81\x8d,\x90\r\n")
    result = evaluate([tmp_path / "x.csv"], sensitivity=None)
    assert messages(result.issues, "table-encoding-unknown") == [
        "x.csv: The CSV file could not be read: it is neither UTF-8 nor Windows-1258. Save it again as 'CSV UTF-8'. "
        "[table-encoding-unknown]"
    ]
    assert [f.kind for f in result.files] == ["table"]


# --- the table's own problems -----------------------------------------------------------------


def test_a_table_without_field_columns_is_refused(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "n.csv", [["a", "b"], ["1", "2"]])
    result = evaluate([path], sensitivity=None)
    assert messages(result.issues, "table-no-columns") == [
        "n.csv 'n': No header row (in the first 10 rows) matches at least two fields of criteria 'hanoi-spcncl'. "
        "A column header is a field id (f.tax_code), a field's label, or declared in a mapping file (--mapping). "
        "[table-no-columns]"
    ]


def test_missing_duplicate_and_unknown_columns(exported: Path, tmp_path: Path) -> None:
    rows = csv_rows(exported / "d.csv")
    few = [r[:8] for r in rows]
    result = evaluate([write_csv(tmp_path / "few.csv", few)], sensitivity=None)
    (missing,) = messages(result.issues, "table-missing-columns")
    assert missing.startswith(
        "few.csv 'few': Read as a consolidated table (the file is not a form made by spcncl-score), "
        "but the table lacks columns for 22 required fields: f.factory_in_hanoi, f.product_name, "
    )
    assert missing.endswith(
        "Add them, or name the matching columns in a mapping file (--mapping). [table-missing-columns]"
    )
    twice = [[*r, r[5]] for r in rows]
    twice[0][-1] = "Mã số thuế"
    result = evaluate([write_csv(tmp_path / "twice.csv", twice)], sensitivity=None)
    assert messages(result.issues, "table-duplicate-column") == [
        "twice.csv 'twice'!AO1: This column is 'f.tax_code' again, already in cell F1: one column per field. "
        "[table-duplicate-column]"
    ]
    extra = [[*r, "x"] for r in rows]
    extra[0][-1] = "Ghi chú"
    result = evaluate([write_csv(tmp_path / "extra.csv", extra)], sensitivity=None)
    assert messages(result.issues, "table-column-unmatched") == [
        "extra.csv 'extra'!AO1: Column 'Ghi chú' matches no field of criteria 'hanoi-spcncl': ignored. "
        "[table-column-unmatched]"
    ]
    assert len(result.ranking) == 17  # type: ignore[arg-type]


def test_a_table_without_rows_and_a_bad_year(exported: Path, tmp_path: Path) -> None:
    rows = csv_rows(exported / "d.csv")
    result = evaluate([write_csv(tmp_path / "e.csv", rows[:2])], sensitivity=None)
    assert messages(result.issues, "table-empty") == [
        "e.csv 'e': The table has a header row but no dossier rows. [table-empty]"
    ]
    rows[2][3] = "năm ngoái"
    result = evaluate([write_csv(tmp_path / "y.csv", rows)], sensitivity=None)
    assert messages(result.issues, "table-bad-year") == [
        "y.csv#row 3 'y'!D3 [meta.reporting_year]: Reporting year 'năm ngoái' is not a year: ignored. [table-bad-year]"
    ]


def test_a_table_too_large_is_refused_before_its_cells_are_read(tmp_path: Path) -> None:
    path = tmp_path / "big.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    ws.write_row(0, 0, ["f.tax_code", "f.product_name"])
    ws.write_row(100_000, 0, ["0101234567", "x"])  # dimension A1:B100001: 200,002 cells
    wb.close()
    result = evaluate([path], sensitivity=None)
    assert messages(result.issues, "table-too-large") == [
        "big.xlsx: The table has 200,002 cells, more than the limit of 200,000: not read. "
        "Split it or delete the unused rows and columns. [table-too-large]"
    ]


def test_a_table_of_another_criteria_set_says_which(exported: Path, tmp_path: Path) -> None:
    rows = csv_rows(exported / "d.csv")
    rows[2][1] = "ocop"
    result = evaluate([write_csv(tmp_path / "o.csv", rows)], "hanoi-spcncl", sensitivity=None)
    (wrong,) = messages(result.issues, "dossier-wrong-criteria")
    assert wrong.startswith("o.csv#row 3 'o'!B3 [meta.criteria_id]: The form was made for criteria 'ocop'")
    assert "score with its set: -c ocop" in wrong


# --- the mapping file -------------------------------------------------------------------------


def test_mapping_file_problems_name_the_line(exported: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("columns:\n  MST: f.tax_code\n  Doanh thu: f.revenue.y7\n", encoding="utf-8")
    run = invoke("evaluate", exported / "d.csv", "--mapping", bad, "--no-report", "--lang", "en")
    assert run.exit_code == 2
    assert (
        f"{bad}:3: Column 'Doanh thu' is mapped to 'f.revenue.y7', which is no field of criteria 'hanoi-spcncl' "
        "(use f.<id>, f.<id>.y<k>, s.<criterion> or meta.reporting_year). [mapping-unknown-field]"
    ) in " ".join(run.output.split())
    bad.write_text("- a\n- b\n", encoding="utf-8")
    run = invoke("validate", exported / "d.csv", "--mapping", bad, "--lang", "en")
    assert run.exit_code == 2
    assert "The column mapping file is not valid: columns: {header: field}." in " ".join(run.output.split())


# --- the criteria set read from the forms -----------------------------------------------------


def test_without_c_the_forms_name_their_criteria_set() -> None:
    result = evaluate([ROOT / "samples" / "ocop"], sensitivity=None)
    assert result.criteria.id == "ocop"
    assert len(result.ranking) == 3  # type: ignore[arg-type]
    assert messages(result.issues, "criteria-from-forms", "vi") == [
        "Chấm theo bộ tiêu chí 'ocop' ghi trong các biểu mẫu (không có -c). [criteria-from-forms]"
    ]
    run = invoke("evaluate", ROOT / "samples" / "cnnt", "--no-report", "-q")
    assert run.exit_code == 0, run.output


def test_forms_of_several_sets_are_each_read_with_their_own_set(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "samples" / "ocop", tmp_path / "ocop")
    shutil.copy(HANOI / "hn01-co-khi-chinh-xac-dong-anh.xlsx", tmp_path)
    run = invoke("validate", tmp_path, "--lang", "en")
    assert run.exit_code == 0, run.output
    assert "4/4 dossiers valid" in run.output
    run = invoke("validate", tmp_path, "-c", "ocop", "--lang", "en")
    assert run.exit_code == 1  # with -c, the other set's form is listed, the rest read
    assert "3/4 dossiers valid" in run.output
    # a table holds one set's dossiers: export says which sets it found and the -c to choose
    run = invoke("export", tmp_path, "-o", tmp_path.parent / f"{tmp_path.name}.csv", "--lang", "en")
    assert run.exit_code == 2
    assert " ".join(run.output.split()) == (
        "Error The forms belong to several criteria sets: hanoi-spcncl 2025.1-provisional (1), ocop 148-2023.1 (3). "
        "A table holds one set's dossiers: choose it with -c hanoi-spcncl | -c ocop, or split the folders. "
        "[criteria-mixed]"
    )


def test_a_form_of_another_set_names_the_real_fix() -> None:
    result = evaluate([ROOT / "samples" / "ocop"], "hanoi-spcncl", sensitivity=None)
    wrong = messages(result.issues, "dossier-wrong-criteria", "vi")
    assert wrong[0] == (
        "ocop01-htx-che-ba-vi.xlsx: Biểu mẫu được tạo cho bộ tiêu chí 'ocop' phiên bản 148-2023.1, nhưng đang chấm "
        "theo 'hanoi-spcncl' phiên bản 2025.1-provisional. Nếu biểu mẫu đúng, hãy chấm theo bộ của nó: -c ocop; "
        "nếu không, gửi biểu mẫu của bộ 'hanoi-spcncl' (spcncl-score template -c hanoi-spcncl). "
        "[dossier-wrong-criteria]"
    )


def test_a_csv_too_large_or_unparsable_is_refused_with_its_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from spcncl_score.intake import table

    monkeypatch.setattr(table, "MAX_CSV_BYTES", 2**20)
    path = write_csv(tmp_path / "big.csv", [["f.tax_code", "f.product_name"]] + [["0101234567", "x" * 90]] * 16_000)
    result = evaluate([path], sensitivity=None)
    assert messages(result.issues, "table-file-too-large") == [
        "big.csv: The CSV file is 1.6 MB, above the 1 MB limit: not read. Split the table. [table-file-too-large]"
    ]
    monkeypatch.undo()
    long_cell = write_csv(tmp_path / "long.csv", [["f.tax_code", "f.product_name"], ["0101234567", "x" * 200_000]])
    result = evaluate([long_cell], sensitivity=None)
    (unreadable,) = messages(result.issues, "dossier-unreadable")
    assert "CSV: field larger than field limit" in unreadable
    assert [f.kind for f in result.files] == ["table"]


def test_export_with_a_mapping_writes_its_headers_and_units_and_reads_back_the_same(
    forms: RunResult, tmp_path: Path
) -> None:
    mapping = tmp_path / "cot.yaml"
    mapping.write_text(
        "columns:\n  MST: f.tax_code\n  Doanh thu 2025 (đồng): {field: f.revenue.y0, factor: 0.000000001}\n",
        encoding="utf-8",
    )
    out = tmp_path / "bang.xlsx"
    run = invoke("export", HANOI, "-o", out, "--mapping", mapping)
    assert run.exit_code == 1, run.output
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_index(0).to_python()
    header = rows[0]
    assert header[5] == "MST" and header[16] == "Doanh thu 2025 (đồng)"
    assert rows[1][16] == "Doanh thu của sản phẩm (N-0)"
    first = forms.frame.loc["hn01-co-khi-chinh-xac-dong-anh.xlsx", "revenue@0"]
    assert rows[2][16] == pytest.approx(first * 1e9)
    table = evaluate([out], sensitivity=None, mapping=mapping)
    assert outcomes(table) == outcomes(forms)


def test_forms_of_another_version_of_the_default_set_are_not_read_twice(exported: Path, tmp_path: Path) -> None:
    from spcncl_score.evaluation import pipeline

    calls: list[str] = []
    original = pipeline._read_files_and_tables

    def counting(cs: Any, *args: Any, **kw: Any) -> Any:
        calls.append(cs.id)
        return original(cs, *args, **kw)

    rows = csv_rows(exported / "d.csv")
    for row in rows[2:]:
        row[2] = "2019.1"
    path = write_csv(tmp_path / "old.csv", rows)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pipeline, "_read_files_and_tables", counting)
        result = pipeline.evaluate([path], sensitivity=None)
    assert calls == ["hanoi-spcncl"]
    assert not messages(result.issues, "criteria-from-forms")
    assert len(messages(result.issues, "dossier-wrong-criteria")) == 17


def test_a_folder_without_forms_or_tables_says_what_it_looked_for(tmp_path: Path) -> None:
    (tmp_path / "ghi-chu.txt").write_text("x", encoding="utf-8")
    result = evaluate([tmp_path], sensitivity=None)
    assert [i.message("en") for i in result.issues if i.code == "input-no-dossiers"] == [
        f"No dossier (an .xlsx form, or an .xlsx or .csv table) found in '{tmp_path}'."
    ]


def test_a_failure_reading_one_table_is_that_files_issue(
    exported: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from spcncl_score.intake import table

    folder = tmp_path / "two"
    folder.mkdir()
    shutil.copy(exported / "d.csv", folder / "a.csv")
    shutil.copy(HANOI / "hn01-co-khi-chinh-xac-dong-anh.xlsx", folder)

    def broken(*args: Any, **kw: Any) -> Any:
        raise ValueError("boom")

    monkeypatch.setattr(table, "read_table_file", broken)
    result = evaluate([folder], sensitivity=None)
    assert [(i.location.file, i.params["detail"]) for i in result.issues if i.code == "internal-error"] == [
        ("a.csv", "ValueError: boom")
    ]
    assert list(result.ranking.index) == ["hn01-co-khi-chinh-xac-dong-anh.xlsx"]  # type: ignore[union-attr]


def test_run_information_lists_a_table_once_with_its_sha256(exported: Path, tmp_path: Path) -> None:
    import hashlib

    folder = tmp_path / "two"
    folder.mkdir()
    shutil.copy(exported / "d.csv", folder / "a.csv")
    shutil.copy(HANOI / "hn01-co-khi-chinh-xac-dong-anh.xlsx", folder)
    result = evaluate([folder], sensitivity=None)
    assert result.run_info()["inputs"] == [
        {"file": "a.csv", "sha256": hashlib.sha256((folder / "a.csv").read_bytes()).hexdigest()},
        {
            "file": "hn01-co-khi-chinh-xac-dong-anh.xlsx",
            "sha256": hashlib.sha256((folder / "hn01-co-khi-chinh-xac-dong-anh.xlsx").read_bytes()).hexdigest(),
        },
    ]


def test_table_rows_follow_the_value_and_duplicate_rules(exported: Path, tmp_path: Path) -> None:
    # issue 13, items 6 and 7: an infinite figure and a figure in đồng are errors at their cells;
    # a row repeated with the same content is ranked once, its copy listed as such
    rows = csv_rows(exported / "d.csv")
    rev, exp = rows[0].index("f.revenue.y0"), rows[0].index("f.export_usd.y0")
    rows[3][exp] = "inf"
    rows[4][rev] = "120000000000"
    rows.append(list(rows[5]))
    path = write_csv(tmp_path / "t.csv", rows)
    result = evaluate([path], sensitivity=None)
    got = sorted(
        (i.code, i.location.file, i.location.field)
        for i in result.issues
        if i.code in ("value-not-finite", "value-above-max-dong", "dossier-duplicate-copy")
    )
    last = f"t.csv#row {len(rows)}"
    assert got == [
        ("dossier-duplicate-copy", last, None),
        ("value-above-max-dong", "t.csv#row 5", "revenue@0"),
        ("value-not-finite", "t.csv#row 4", "export_usd@0"),
    ]
    ranked = set(result.ranking.index)  # type: ignore[union-attr]
    assert "t.csv#row 6" in ranked and last not in ranked
    assert not {"t.csv#row 4", "t.csv#row 5"} & ranked
