"""The self-assessment form: generated from the criteria, and the defined-name contract that lets
another program fill or read it without knowing its layout."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from spcncl_score.cli.commands import app
from spcncl_score.criteria.loader import load_criteria
from spcncl_score.evaluation.pipeline import evaluate
from spcncl_score.intake.names import input_slots, self_score_name


@pytest.fixture(scope="module")
def form(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("form") / "tu-danh-gia.xlsx"
    res = CliRunner().invoke(app, ["template", "-o", str(path), "--year", "2025"])
    assert res.exit_code == 0, res.output
    return path


def _cell(wb, name: str):
    dests = list(wb.defined_names[name].destinations)
    assert len(dests) == 1, name
    sheet, ref = dests[0]
    return wb[sheet][ref.replace("$", "")]


def test_every_input_has_a_defined_name_on_an_unlocked_cell(form, hanoi):
    wb = openpyxl.load_workbook(form)
    names = set(wb.defined_names)
    expected = {n for n, _, _ in input_slots(hanoi)} | {self_score_name(c.id) for _, c in hanoi.criteria()}
    assert expected <= names
    assert {"f.revenue.y0", "f.revenue.y1", "f.revenue.y2", "f.tax_code", "s.d2_technology"} <= names
    for name in expected:
        cell = _cell(wb, name)
        assert cell.protection.locked is False, name
    for ws in (wb["Hồ sơ"], wb["Tự chấm điểm"]):
        assert ws.protection.sheet is True
    # a label cell is locked (the default) on a protected sheet
    assert wb["Hồ sơ"]["B8"].protection.locked is True


def test_metadata_is_stored_by_name_and_as_document_properties(form, hanoi):
    wb = openpyxl.load_workbook(form)
    assert _cell(wb, "meta.criteria_id").value == "hanoi-spcncl"
    assert _cell(wb, "meta.criteria_version").value == hanoi.version
    assert _cell(wb, "meta.fingerprint").value == hanoi.fingerprint
    assert _cell(wb, "meta.reporting_year").value == 2025
    assert wb["_meta"].sheet_state == "veryHidden"
    props = {p.name: p.value for p in wb.custom_doc_props.props}
    assert props["criteria_id"] == "hanoi-spcncl" and props["criteria_fingerprint"] == hanoi.fingerprint


def test_year_columns_units_and_validation(form):
    wb = openpyxl.load_workbook(form)
    ws = wb["Hồ sơ"]
    rev0, rev2 = _cell(wb, "f.revenue.y0"), _cell(wb, "f.revenue.y2")
    header_row = rev0.row - 4  # the figures section's header carries the years
    years = [ws.cell(r, rev0.column).value for r in range(1, rev0.row) if ws.cell(r, rev0.column).value]
    assert "Năm 2025" in years and ws.cell(rev0.row, 3).value == "tỷ đồng"
    assert rev2.column == rev0.column - 2  # oldest year on the left
    _ = header_row
    rules = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    workers = _cell(wb, "f.workers.y0")
    dv = rules[workers.coordinate]
    # "between" is the default operator, which the file leaves out
    assert (dv.type, dv.operator or "between", dv.formula1, dv.formula2) == ("whole", "between", "1", "1000000")
    yn = rules[_cell(wb, "f.iso9001").coordinate]
    assert yn.type == "list" and yn.formula1.startswith("'_meta'!")
    group = rules[_cell(wb, "f.industry_group").coordinate]
    meta = wb["_meta"]
    col = group.formula1.split("!")[1].split(":")[0].replace("$", "")
    assert meta[col].value == "Cơ khí, chế tạo"
    score = wb["Tự chấm điểm"].data_validations.dataValidation
    assert any(d.type == "decimal" and d.formula2 == "15" for d in score)  # a1_growth: 0..15


def test_english_form(tmp_path):
    path = tmp_path / "form-en.xlsx"
    res = CliRunner().invoke(app, ["template", "-o", str(path), "--lang", "en", "--year", "2024"])
    assert res.exit_code == 0
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Dossier", "Self-score", "_meta"]
    label = wb["Dossier"].cell(_cell(wb, "f.revenue.y0").row, 2).value
    assert label == "Revenue from the product (required)"


def test_existing_form_is_not_overwritten_without_force(form):
    res = CliRunner().invoke(app, ["template", "-o", str(form)])
    assert res.exit_code == 2
    assert "--force" in res.output


def test_another_program_fills_the_form_by_names_only(form, tmp_path):
    """Fill a blank form through the defined names (no coordinates), then score it."""
    wb = openpyxl.load_workbook(form)
    values = {
        "f.enterprise_name": "Công ty TNHH Điền Bằng Tên",
        "f.tax_code": "0101234567",
        "f.head_office_address": "Số 1 Tràng Tiền, Hoàn Kiếm, Hà Nội",
        "f.head_office_in_hanoi": "Có",
        "f.factory_in_hanoi": "Không",
        "f.product_name": "Tủ điện hạ thế",
        "f.industry_group": "Điện, điện tử",
        "f.high_tech_listed": "Không",
        "f.handicraft": "Không",
        "f.startup": "Không",
        "f.compliance_commitment": "Có",
        "f.iso9001": "Có",
        "f.iso14001": "Không",
        "f.standard_conformity": "Có",
        "f.revenue.y0": 330,
        "f.revenue.y1": 300,
        "f.revenue.y2": 250,
        "f.export_usd.y0": 0,
        "f.export_usd.y1": 0,
        "f.export_usd.y2": 0,
        "f.workers.y0": 220,
        "f.workers.y1": 210,
        "f.workers.y2": 200,
        "f.budget_contribution.y0": 12,
        "f.budget_contribution.y1": 11,
        "f.budget_contribution.y2": 10,
        "s.d2_technology": 6,
    }
    for name, value in values.items():
        _cell(wb, name).value = value
    folder = tmp_path / "ho-so"
    folder.mkdir()
    wb.save(folder / "filled.xlsx")
    result = evaluate([folder], "hanoi-spcncl", sensitivity=None)
    assert not result.has_errors, [i.render("en") for i in result.issues if i.is_error]
    pts = result.scores.points.loc["filled.xlsx"]
    # growth: (330/300 - 1) = 10 %, (300/250 - 1) = 20 % -> mean 15 % -> band [15, +inf) -> 15
    # scale: 330 in [300, 1000) -> 15; productivity 330/220*1000 = 1500 -> (1500-500)/2500*10 = 4
    # export share 0 -> 0; ISO 9001 8, ISO 14001 0, conformity 6; budget 12 in [5, 20) -> 6; d2 self 6
    assert pts.to_dict() == {
        "a1_growth": 15,
        "a2_scale": 15,
        "b1_productivity": 4,
        "b2_export": 0,
        "c1_iso9001": 8,
        "c2_iso14001": 0,
        "c3_conformity": 6,
        "d1_budget": 6,
        "d2_technology": 6,
    }
    assert result.scores.total.loc["filled.xlsx"] == 60
    assert result.scores.outcome.at["filled.xlsx", "recognised"]


@pytest.mark.parametrize("name,category", [("ocop", None), ("cnnt", "khac")])
def test_other_sets_make_forms_with_the_same_contract(name, category, tmp_path):
    from spcncl_score.criteria.categories import category_sets

    cs, _ = load_criteria(name)
    path = tmp_path / f"{name}.xlsx"
    pick = ["--category", category] if category else []
    res = CliRunner().invoke(app, ["template", "-c", name, "-o", str(path), *pick])
    assert res.exit_code == 0
    cs = category_sets(cs)[category] if category else cs  # a set with categories: one form per category
    wb = openpyxl.load_workbook(path)
    assert {n for n, _, _ in input_slots(cs)} <= set(wb.defined_names)
    assert _cell(wb, "meta.criteria_id").value == name


def _rows(ws) -> list[list]:
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_sections_are_numbered_without_gaps(form):
    ws = openpyxl.load_workbook(form)["Hồ sơ"]
    titles = [r[0] for r in _rows(ws) if isinstance(r[0], str) and r[0].split(". ")[0] in ("I", "II", "III", "IV", "V")]
    # the Hanoi set has no 'other' section: the figures are IV, not V
    assert [t.split(". ")[0] for t in titles] == ["I", "II", "III", "IV"]
    assert titles[-1] == "IV. SỐ LIỆU SẢN XUẤT, KINH DOANH"


def test_a_set_of_other_fields_only_starts_at_one_and_writes_without_warnings(tmp_path):
    import warnings

    from spcncl_score.intake.form import write_form
    from tests.helpers import build, crit, criteria_dict, fld, group

    cs = build(
        criteria_dict(
            fields=[fld("iso", "yes_no")],
            groups=[group("a", crit("c1", 10, {"kind": "yes_no", "if_yes": 10}, "iso"))],
        )
    )
    path = tmp_path / "other.xlsx"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # xlsxwriter warns "Can't merge single cell" for a one-cell merge
        write_form(cs, path, reporting_year=2025)
    rows = _rows(openpyxl.load_workbook(path)["Hồ sơ"])
    sections = [r[0] for r in rows if isinstance(r[0], str) and r[0][:2] in ("I.", "II", "IV", "V.")]
    assert sections == ["I. THÔNG TIN KHÁC"]


def test_self_score_sheet_reads_as_an_applicant_needs(form):
    ws = openpyxl.load_workbook(form)["Tự chấm điểm"]
    rows = _rows(ws)
    header = rows[3]
    assert header[:5] == ["STT", "Tiêu chí", "Điểm tối đa", "Điểm tự chấm", "Tối thiểu"]
    numbered = [r for r in rows[4:] if isinstance(r[0], int)]
    assert [r[0] for r in numbered] == list(range(1, 10))  # numbers, not ids like a1_growth
    how = {r[1]: r[5] for r in numbered}
    growth = how["Chỉ tiêu tăng trưởng phát triển sản xuất"]
    assert "dưới 0 → 0 điểm; từ 0 đến dưới 5 → 4 điểm" in growth and "từ 15 trở lên → 15 điểm" in growth
    assert not any("inf" in str(v) for r in rows for v in r if v)
    # the official table could not be accessed: said once, under the table, referred to by number
    text = [str(v) for r in rows for v in r if v]
    missing = [t for t in text if "Bảng điểm chuẩn trong phụ lục Đề án 496" in t]
    assert len(missing) == 1 and missing[0].startswith("(1) ")
    assert {r[6] for r in numbered} == {"(1)"}
    # the pass mark, stated to the applicant
    pass_row = next(r for r in rows if r[1] == "Điểm đạt")
    assert pass_row[2] == 60 and "từ 60/100 trở lên" in pass_row[3]


def test_minimums_are_shown_to_the_applicant(tmp_path):
    path = tmp_path / "ocop.xlsx"
    res = CliRunner().invoke(app, ["template", "-c", "ocop", "-o", str(path)])
    assert res.exit_code == 0
    wb = openpyxl.load_workbook(path)
    ws = wb[wb.defined_names["s.c2_safety_tests"].destinations.__next__()[0]]
    row = _cell(wb, "s.c2_safety_tests").row
    assert ws.cell(row, 5).value == "4 (loại trừ)"
