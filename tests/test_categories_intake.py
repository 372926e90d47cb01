"""Categories on the intake side (#15): forms and table rows of a set with categories are read with
their category's own criteria, chosen by the category cell; forms are written one per category."""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

import pytest

from samples import specs
from spcncl_score.criteria.categories import category_sets
from spcncl_score.criteria.loader import load_criteria
from spcncl_score.criteria.models import CriteriaSet
from spcncl_score.intake.form import form_layout, write_form
from spcncl_score.intake.reader import DossierRead, read_dossier

ROOT = Path(__file__).resolve().parent.parent
ALL = ["thu_cong_my_nghe", "che_bien_nong_lam_thuy_san", "co_khi", "khac"]


@pytest.fixture(scope="module")
def cnnt() -> CriteriaSet:
    cs, issues = load_criteria("cnnt")
    assert cs is not None and cs.categories is not None, [i.render("en") for i in issues]
    return cs


def filled(cs: CriteriaSet, category: str, cell: Any, path: Path, **extra: Any) -> Path:
    """A complete form of ``category`` (the first CNNT sample's answers) whose category cell says ``cell``."""
    own = category_sets(cs)[category]
    values = {**specs.CNNT[0]["values"], "food_safety": "giay_chung_nhan", **extra, "product_group": cell}
    scores = {**specs.CNNT[0]["self_scores"], "c4_function": 4}
    write_form(own, path, reporting_year=specs.REPORTING_YEAR, values=values, self_scores=scores)
    return path


def rendered(read: DossierRead, lang: str) -> list[str]:
    return [i.render(lang) for i in read.issues]


def category_cell(cs: CriteriaSet, category: str) -> str:
    return form_layout(category_sets(cs)[category]).cells["f.product_group"][1]


def test_a_form_is_read_with_its_categorys_own_criteria(cnnt: CriteriaSet, tmp_path: Path) -> None:
    own = category_sets(cnnt)
    read = read_dossier(filled(cnnt, "co_khi", "co_khi", tmp_path / "ck.xlsx"), cnnt)
    assert read.ok, rendered(read, "en")
    assert read.issues == []  # no "another revision" warning: the form is the category's own
    d = read.dossier
    assert d is not None and d.category == "co_khi" and read.category == "co_khi"
    assert d.fingerprint == own["co_khi"].fingerprint != cnnt.fingerprint
    assert (d.criteria_id, d.criteria_version) == (cnnt.id, cnnt.version)
    assert list(d.self_scores) == [c.id for _, c in own["co_khi"].criteria()]
    assert d.self_scores["c4_function"] == 4 and "c1_cultural_identity" not in d.self_scores
    food = read_dossier(
        filled(cnnt, "che_bien_nong_lam_thuy_san", "che_bien_nong_lam_thuy_san", tmp_path / "cb.xlsx"), cnnt
    )
    assert food.ok and food.dossier is not None and food.dossier.category == "che_bien_nong_lam_thuy_san"
    assert food.dossier.values["food_safety"] == "giay_chung_nhan"
    assert "food_safety" not in d.values


def test_the_category_cell_is_matched_by_its_label_in_either_language(cnnt: CriteriaSet, tmp_path: Path) -> None:
    for typed in ("Machinery, tools and mechanical parts", "  máy móc, dụng cụ, chi tiết cơ khí "):
        read = read_dossier(filled(cnnt, "co_khi", typed, tmp_path / "ck.xlsx"), cnnt)
        assert read.ok and read.dossier is not None and read.dossier.category == "co_khi", rendered(read, "en")


def test_a_read_of_a_category_pickles(cnnt: CriteriaSet, tmp_path: Path) -> None:
    # the parallel reader's workers send their reads back pickled
    read = read_dossier(filled(cnnt, "khac", "khac", tmp_path / "k.xlsx"), cnnt)
    back = pickle.loads(pickle.dumps(read))
    assert back == read and back.dossier is not None and back.dossier.category == "khac" and back.category == "khac"


CATEGORIES_VI = (
    "'Thủ công mỹ nghệ' (thu_cong_my_nghe), 'Chế biến nông-lâm-thủy sản và thực phẩm' "
    "(che_bien_nong_lam_thuy_san), 'Máy móc, dụng cụ, chi tiết cơ khí' (co_khi), 'Sản phẩm khác' (khac)"
)
CATEGORIES_EN = (
    "'Handicrafts' (thu_cong_my_nghe), 'Processed agricultural, forestry and aquatic products and food' "
    "(che_bien_nong_lam_thuy_san), 'Machinery, tools and mechanical parts' (co_khi), 'Other products' (khac)"
)


@pytest.mark.parametrize(
    "typed,vi,en",
    [
        (None, "đang để trống", "is empty"),
        ("Gốm sứ", "ghi 'Gốm sứ'", "says 'Gốm sứ'"),
        (7.0, "ghi '7'", "says '7'"),
    ],
)
def test_an_empty_or_unknown_category_is_an_error_at_its_cell(
    cnnt: CriteriaSet, tmp_path: Path, typed: Any, vi: str, en: str
) -> None:
    path = filled(cnnt, "thu_cong_my_nghe", typed, tmp_path / "x.xlsx")
    read = read_dossier(path, cnnt)
    cell = category_cell(cnnt, "thu_cong_my_nghe")
    assert read.dossier is None and read.category is None and not read.ok
    assert rendered(read, "vi") == [
        f"{path} 'Hồ sơ'!{cell} [product_group]: Ô 'Nhóm sản phẩm' {vi}: cần ghi một loại của bộ tiêu chí, "
        f"vì mỗi loại được chấm theo tiêu chí riêng. Các loại: {CATEGORIES_VI}. [dossier-category-unknown]"
    ]
    assert rendered(read, "en") == [
        f"{path} 'Hồ sơ'!{cell} [product_group]: The cell 'Product group' {en}: it must name a category of the "
        f"criteria set, since each category is scored with its own criteria. The categories: {CATEGORIES_EN}. "
        "[dossier-category-unknown]"
    ]


def test_a_form_of_one_category_whose_cell_names_another_is_not_read(cnnt: CriteriaSet, tmp_path: Path) -> None:
    path = filled(cnnt, "co_khi", "Sản phẩm khác", tmp_path / "ck.xlsx")
    read = read_dossier(path, cnnt)
    cell = category_cell(cnnt, "co_khi")
    assert read.dossier is None and read.category is None
    assert rendered(read, "vi") == [
        f"{path} 'Hồ sơ'!{cell} [product_group]: Biểu mẫu này được lập cho loại 'Máy móc, dụng cụ, chi tiết cơ khí', "
        "nhưng ô 'Nhóm sản phẩm' nay ghi 'Sản phẩm khác'. Mỗi loại có tiêu chí riêng nên biểu mẫu không được đọc: "
        "nếu sản phẩm thuộc loại 'Sản phẩm khác', hãy điền biểu mẫu của loại đó (spcncl-score template -c cnnt "
        "--category khac); nếu không, chọn lại 'Máy móc, dụng cụ, chi tiết cơ khí' trong ô này. "
        "[dossier-category-changed]"
    ]
    assert rendered(read, "en") == [
        f"{path} 'Hồ sơ'!{cell} [product_group]: This form was made for the category 'Machinery, tools and "
        "mechanical parts', but its cell 'Product group' now says 'Other products'. Each category has its own "
        "criteria, so the form is not read: if the product is of 'Other products', fill in that category's form "
        "(spcncl-score template -c cnnt --category khac); if not, choose 'Machinery, tools and mechanical parts' "
        "again in this cell. [dossier-category-changed]"
    ]


def test_a_form_of_an_unknown_revision_is_read_by_name_with_the_cells_category(
    cnnt: CriteriaSet, tmp_path: Path
) -> None:
    # a form of no category's fingerprint (an edited criteria file): read by its names, with the
    # category its cell says, and the usual warning
    own = category_sets(cnnt)["co_khi"]
    path = filled(cnnt, "co_khi", "co_khi", tmp_path / "ck.xlsx")
    from openpyxl import load_workbook

    wb = load_workbook(path)
    wb["_meta"]["B3"] = "0123456789abcdef"
    wb.save(path)
    read = read_dossier(path, cnnt)
    assert read.dossier is not None and read.dossier.category == "co_khi"
    assert [i.code for i in read.issues] == ["dossier-fingerprint-changed"]
    assert read.issues[0].params["expected"] == own.fingerprint


def test_a_set_without_categories_reads_as_before(hanoi: CriteriaSet) -> None:
    read = read_dossier(
        ROOT / "samples" / "hanoi" / sorted(p.name for p in (ROOT / "samples" / "hanoi").glob("*.xlsx"))[0], hanoi
    )
    assert read.dossier is not None and read.dossier.category is None and read.category is None
    assert read.dossier.fingerprint == hanoi.fingerprint


# --- forms ---------------------------------------------------------------------------------------


def template(*args: Any) -> Any:
    from typer.testing import CliRunner

    from spcncl_score.cli.commands import app

    return CliRunner().invoke(app, ["template", *[str(a) for a in args]])


def test_one_form_per_category_into_a_folder_or_beside_a_name(cnnt: CriteriaSet, tmp_path: Path) -> None:
    res = template("-c", "cnnt", "-o", tmp_path / "forms", "--year", "2025")
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in (tmp_path / "forms").iterdir()) == sorted(f"cnnt-{c}.xlsx" for c in ALL)
    assert [line.split(": ")[1] for line in res.output.splitlines() if line.startswith("Đã ghi")] == [
        str(tmp_path / "forms" / f"cnnt-{c}.xlsx") for c in ALL
    ]
    res = template("-c", "cnnt", "-o", tmp_path / "mau.xlsx", "--lang", "en")
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in tmp_path.glob("mau*")) == sorted(f"mau-{c}.xlsx" for c in ALL)
    # every form is checked before the first is written: none is written over
    again = template("-c", "cnnt", "-o", tmp_path / "mau.xlsx", "--lang", "en")
    assert again.exit_code == 2 and again.output.count("[output-exists]") == 4


def _validations(path: Path, sheet_index: int = 1) -> str:
    import zipfile

    with zipfile.ZipFile(path) as z:
        return z.read(f"xl/worksheets/sheet{sheet_index}.xml").decode()


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_categorys_form_names_its_category_and_fixes_its_cell(cnnt: CriteriaSet, tmp_path: Path, lang: str) -> None:
    from openpyxl import load_workbook

    own = category_sets(cnnt)["co_khi"]
    path = tmp_path / "ck.xlsx"
    res = template("-c", "cnnt", "--category", "co_khi", "-o", path, "--lang", lang)
    assert res.exit_code == 0, res.output
    wb = load_workbook(path)
    meta = {r[0]: r[1] for r in wb["_meta"].iter_rows(min_col=1, max_col=2, values_only=True) if r[0]}
    assert meta["meta.fingerprint"] == own.fingerprint and meta["meta.criteria_id"] == "cnnt"
    main, scores = wb.worksheets[0], wb.worksheets[1]
    group = "Máy móc, dụng cụ, chi tiết cơ khí" if lang == "vi" else "Machinery, tools and mechanical parts"
    title = (
        "Tiêu chí bình chọn sản phẩm công nghiệp nông thôn tiêu biểu — Nhóm sản phẩm"
        if lang == "vi"
        else ("Criteria for selecting outstanding rural industrial products — Product group")
    )
    assert main["A1"].value.endswith(f" — {title}: {group}")
    assert scores["A1"].value.endswith(f" — {title}: {group}")
    cell = form_layout(own).cells["f.product_group"][1]
    assert main[cell].value == group
    row = main[cell].row
    note = (
        f"Biểu mẫu này lập riêng cho '{group}': ô này cố định bộ tiêu chí của biểu mẫu, không đổi được. "
        "Sản phẩm thuộc loại khác cần điền biểu mẫu của loại đó."
        if lang == "vi"
        else f"This form is made for '{group}': this cell fixes the form's criteria and cannot be changed. "
        "A product of another category needs that category's form."
    )
    assert note in [c.value for c in main[row]]
    # the cell's list allows the one category only (a list written in the validation itself)
    xml = _validations(path)
    dv = next(d for d in xml.split("<dataValidation ")[1:] if f'sqref="{cell}"' in d)
    assert f'<formula1>"{group}"</formula1>' in dv
    # the self-score sheet is the category's: its own criterion, not the one it replaced
    names = set(wb.defined_names)
    assert "s.c4_function" in names and "s.c1_cultural_identity" not in names
    # read back, an untouched form is recognised as its category's (its fields are empty)
    read = read_dossier(path, cnnt)
    assert read.category == "co_khi" and read.dossier is not None and read.dossier.category == "co_khi"
    assert not [i for i in read.issues if i.code.startswith("dossier-")]


def test_the_food_form_asks_for_the_food_safety_status(cnnt: CriteriaSet, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "cb.xlsx"
    assert template("-c", "cnnt", "--category", "che_bien_nong_lam_thuy_san", "-o", path).exit_code == 0
    wb = load_workbook(path)
    assert {"f.food_safety", "s.t2_standards"} <= set(wb.defined_names)
    titles = [r[1] for r in wb.worksheets[1].iter_rows(values_only=True) if isinstance(r[0], int)]
    assert "Bảo đảm an toàn thực phẩm" in titles and "Đáp ứng tiêu chuẩn, quy chuẩn kỹ thuật" not in titles


@pytest.mark.parametrize(
    "args,vi,en",
    [
        (
            ["-c", "cnnt", "--category", "gom"],
            "Bộ tiêu chí 'cnnt' không có loại 'gom'. Các loại: thu_cong_my_nghe ('Thủ công mỹ nghệ'), "
            "che_bien_nong_lam_thuy_san ('Chế biến nông-lâm-thủy sản và thực phẩm'), co_khi ('Máy móc, dụng cụ, "
            "chi tiết cơ khí'), khac ('Sản phẩm khác'). [template-category-unknown]",
            "The criteria set 'cnnt' has no category 'gom'. The categories: thu_cong_my_nghe ('Handicrafts'), "
            "che_bien_nong_lam_thuy_san ('Processed agricultural, forestry and aquatic products and food'), co_khi "
            "('Machinery, tools and mechanical parts'), khac ('Other products'). [template-category-unknown]",
        ),
        (
            ["-c", "ocop", "--category", "co_khi"],
            "Bộ tiêu chí 'ocop' không chia loại nên chỉ có một biểu mẫu: bỏ tùy chọn --category. "
            "[template-no-categories]",
            "The criteria set 'ocop' has no categories, so it has one form: leave out --category. "
            "[template-no-categories]",
        ),
    ],
)
def test_a_category_template_cannot_make_is_refused(tmp_path: Path, args: list[str], vi: str, en: str) -> None:
    out = tmp_path / "f.xlsx"
    for lang, text in (("vi", vi), ("en", en)):
        res = template(*args, "-o", out, "--lang", lang)
        assert res.exit_code == 2
        assert res.output.splitlines()[-1] == f"{'Lỗi' if lang == 'vi' else 'Error'} {out}: {text}"
        assert not out.exists()


def test_a_folder_is_no_form_of_a_set_without_categories(tmp_path: Path) -> None:
    res = template("-c", "ocop", "-o", tmp_path / "forms", "--lang", "en")
    assert res.exit_code == 2
    assert res.output.splitlines()[-1] == (
        f"Error {tmp_path / 'forms'}: '{tmp_path / 'forms'}' is not a .xlsx file: this command writes an Excel "
        "workbook; give a name ending in .xlsx. [output-not-xlsx]"
    )
    assert not (tmp_path / "forms").exists()


# --- tables --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def category_forms(cnnt: CriteriaSet, tmp_path_factory: pytest.TempPathFactory) -> list[DossierRead]:
    """A form of each category, filled, and their reads."""
    folder = tmp_path_factory.mktemp("forms")
    extra = {"che_bien_nong_lam_thuy_san": {"food_safety": "cam_ket"}}
    reads = []
    for i, cat in enumerate(ALL):
        path = filled(cnnt, cat, cat, folder / f"f{i}.xlsx", tax_code=f"010909814{i}", **extra.get(cat, {}))
        read = read_dossier(path, cnnt)
        assert read.ok, rendered(read, "en")
        reads.append(read)
    return reads


def exported_table(cs: CriteriaSet, reads: list[DossierRead], path: Path) -> Path:
    import datetime as dt

    from spcncl_score.intake.tablewrite import build_export, write_export

    write_export(build_export(cs, reads), path, path.suffix, dt.datetime(2025, 1, 1))
    return path


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_an_exported_table_of_categories_reads_back_as_the_forms(
    cnnt: CriteriaSet, category_forms: list[DossierRead], tmp_path: Path, suffix: str
) -> None:
    from spcncl_score.intake.table import read_table_file

    path = exported_table(cnnt, category_forms, tmp_path / f"t{suffix}")
    got = read_table_file(path, cnnt, path.name)
    assert got is not None
    rows, _ = got
    assert len(rows) == len(category_forms)
    for row, form in zip(rows, category_forms, strict=True):
        assert row.ok, rendered(row, "en")
        assert row.dossier is not None and form.dossier is not None
        assert row.category == row.dossier.category == form.dossier.category
        assert row.dossier.fingerprint == category_sets(cnnt)[row.dossier.category].fingerprint
        assert row.dossier.values == form.dossier.values
        assert row.dossier.self_scores == form.dossier.self_scores
    # the columns of every category: the food group's own field and the machinery group's criterion
    header = _table_header(path)
    assert {"f.product_group", "f.food_safety", "s.c4_function", "s.c1_cultural_identity"} <= set(header)


def _table_header(path: Path) -> list[str]:
    import csv

    if path.suffix == ".csv":
        return next(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    from openpyxl import load_workbook

    return [str(c.value) for c in next(load_workbook(path).worksheets[0].iter_rows(max_row=1))]


def _csv_with(path: Path, change: Any) -> Path:
    import csv

    rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    change(rows)
    out = path.with_name("edited.csv")
    with out.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return out


def test_a_row_without_a_known_category_is_an_error_at_its_cell_and_the_batch_goes_on(
    cnnt: CriteriaSet, category_forms: list[DossierRead], tmp_path: Path
) -> None:
    from xlsxwriter.utility import xl_col_to_name

    from spcncl_score.intake.table import read_table_file

    base = exported_table(cnnt, category_forms, tmp_path / "t.csv")
    col = _table_header(base).index("f.product_group")

    def edit(rows: list[list[str]]) -> None:
        rows[2][col] = ""  # the first dossier row (after the two header rows)
        rows[4][col] = "Gốm sứ"

    path = _csv_with(base, edit)
    got = read_table_file(path, cnnt, path.name)
    assert got is not None
    rows, _ = got
    assert [r.ok for r in rows] == [False, True, False, True]
    letter = xl_col_to_name(col)
    assert rendered(rows[0], "vi") == [
        f"edited.csv#row 3 'edited'!{letter}3 [product_group]: Ô 'Nhóm sản phẩm' đang để trống: cần ghi một loại "
        f"của bộ tiêu chí, vì mỗi loại được chấm theo tiêu chí riêng. Các loại: {CATEGORIES_VI}. "
        "[dossier-category-unknown]"
    ]
    assert rendered(rows[2], "en") == [
        f"edited.csv#row 5 'edited'!{letter}5 [product_group]: The cell 'Product group' says 'Gốm sứ': it must name "
        "a category of the criteria set, since each category is scored with its own criteria. The categories: "
        f"{CATEGORIES_EN}. [dossier-category-unknown]"
    ]
    assert rows[0].category is None and rows[1].category == "che_bien_nong_lam_thuy_san"


def test_a_row_whose_category_needs_a_column_the_table_lacks_is_an_error(
    cnnt: CriteriaSet, category_forms: list[DossierRead], tmp_path: Path
) -> None:
    from spcncl_score.intake.table import read_table_file

    base = exported_table(cnnt, category_forms, tmp_path / "t.csv")
    col = _table_header(base).index("f.food_safety")
    path = _csv_with(base, lambda rows: [r.pop(col) for r in rows])
    got = read_table_file(path, cnnt, path.name)
    assert got is not None
    rows, _ = got
    assert [r.ok for r in rows] == [True, False, True, True]
    assert rendered(rows[1], "en") == [
        "edited.csv#row 4 'edited': Read as a consolidated table (the file is not a form made by spcncl-score), but "
        "the table lacks columns for 1 required fields: f.food_safety. Add them, or name the matching columns in a "
        "mapping file (--mapping). [table-missing-columns]"
    ]


# --- the shipped example -------------------------------------------------------------------------


def test_the_cnnt_samples_are_forms_of_three_categories_read_clean(cnnt: CriteriaSet, tmp_path: Path) -> None:
    from spcncl_score.intake.table import read_table_file

    folder = ROOT / "samples" / "cnnt"
    reads = [read_dossier(folder / d["file"], cnnt, d["file"]) for d in specs.CNNT]
    for read, d in zip(reads, specs.CNNT, strict=True):
        assert read.ok and read.issues == [], rendered(read, "en")
        assert read.dossier is not None and read.dossier.category == d["values"]["product_group"]
        own = category_sets(cnnt)[read.dossier.category]
        assert read.dossier.fingerprint == own.fingerprint
        assert {k: v for k, v in read.dossier.values.items() if v is not None} == {
            k: v for k, v in d["values"].items() if k in read.dossier.values
        }
    assert len({r.category for r in reads}) >= 3
    # exported and read back: the same values and self-scores, row by row
    for suffix in (".xlsx", ".csv"):
        path = exported_table(cnnt, reads, tmp_path / f"samples{suffix}")
        got = read_table_file(path, cnnt, path.name)
        assert got is not None
        for row, form in zip(got[0], reads, strict=True):
            assert row.ok and row.dossier is not None and form.dossier is not None, rendered(row, "en")
            assert (row.dossier.category, row.dossier.values, row.dossier.self_scores) == (
                form.dossier.category,
                form.dossier.values,
                form.dossier.self_scores,
            )


# --- criteria check / show -----------------------------------------------------------------------


def _cli(*args: str) -> Any:
    from typer.testing import CliRunner

    from spcncl_score.cli.commands import app

    return CliRunner().invoke(app, list(args), env={"COLUMNS": "400"})  # the tree of `show` unwrapped


def test_criteria_check_names_each_category_checked(cnnt: CriteriaSet) -> None:
    own = category_sets(cnnt)
    vi = _cli("criteria", "check", "cnnt")
    assert vi.exit_code == 0
    assert vi.output.splitlines() == [
        f"cnnt: ok (cnnt {cnnt.version}, mã kiểm tra {cnnt.fingerprint})",
        f"  loại thu_cong_my_nghe ('Thủ công mỹ nghệ'): ok (mã kiểm tra {own['thu_cong_my_nghe'].fingerprint}, "
        "23 tiêu chí, tối đa 100 điểm)",
        "  loại che_bien_nong_lam_thuy_san ('Chế biến nông-lâm-thủy sản và thực phẩm'): ok (mã kiểm tra "
        f"{own['che_bien_nong_lam_thuy_san'].fingerprint}, 23 tiêu chí, tối đa 100 điểm)",
        f"  loại co_khi ('Máy móc, dụng cụ, chi tiết cơ khí'): ok (mã kiểm tra {own['co_khi'].fingerprint}, "
        "23 tiêu chí, tối đa 100 điểm)",
        f"  loại khac ('Sản phẩm khác'): ok (mã kiểm tra {own['khac'].fingerprint}, 23 tiêu chí, tối đa 100 điểm)",
    ]
    en = _cli("criteria", "check", "cnnt", "--lang", "en")
    assert en.output.splitlines()[3] == (
        f"  category co_khi ('Machinery, tools and mechanical parts'): ok (fingerprint {own['co_khi'].fingerprint}, "
        "23 criteria, 100 points at most)"
    )
    # a set without categories: one line, as before
    assert _cli("criteria", "check", "ocop").output.count("\n") == 1


def test_criteria_show_lists_each_categorys_changes() -> None:
    en = _cli("criteria", "show", "cnnt", "--lang", "en")
    assert en.exit_code == 0
    text = " ".join(en.output.split())
    for part in (
        "Categories (by the field product_group)",
        "thu_cong_my_nghe (TCMN) — Handicrafts",
        "+ food_safety: Food-safety status of the establishment (choice)",
        "~ t2_standards: Food safety — 4 (food_safety)",
        "− c1_cultural_identity",
        "+ c4_function: Function and technical design — 5 (Scored by the council)",
        "khac (KHAC) — Other products",
        "└── the shared criteria, unchanged",
        "Ranked over all categories — Top N: 30",
    ):
        assert part in text, part
    vi = " ".join(_cli("criteria", "show", "cnnt").output.split())
    assert "Loại (theo trường product_group)" in vi and "bộ tiêu chí chung, không thay đổi" in vi
    assert "Xếp hạng chung mọi loại — Top N: 30" in vi


def test_a_row_of_another_criteria_version_says_so_before_its_category(
    cnnt: CriteriaSet, category_forms: list[DossierRead], tmp_path: Path
) -> None:
    from spcncl_score.intake.table import read_table_file

    base = exported_table(cnnt, category_forms, tmp_path / "t.csv")
    header = _table_header(base)

    def edit(rows: list[list[str]]) -> None:
        rows[2][header.index("meta.criteria_version")] = "14-2018.1"
        rows[2][header.index("f.product_group")] = ""

    path = _csv_with(base, edit)
    got = read_table_file(path, cnnt, path.name)
    assert got is not None
    assert [i.code for i in got[0][0].issues] == ["dossier-wrong-criteria"]
    assert [r.ok for r in got[0]] == [False, True, True, True]


def test_a_title_naming_a_long_category_gets_the_lines_it_wraps_to(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "cb.xlsx"
    res = template("-c", "cnnt", "--category", "che_bien_nong_lam_thuy_san", "-o", path, "--lang", "en")
    assert res.exit_code == 0
    wb = load_workbook(path)
    # two lines of 14 pt type, on both sheets, instead of one line the second would spill over
    assert [ws.row_dimensions[1].height for ws in wb.worksheets[:2]] == [39.0, 39.0]
    short = tmp_path / "hn.xlsx"
    assert template("-o", short).exit_code == 0
    assert [ws.row_dimensions[1].height for ws in load_workbook(short).worksheets[:2]] == [None, 20.25]


def test_a_mapping_may_name_a_categorys_own_field_and_criterion(
    cnnt: CriteriaSet, category_forms: list[DossierRead], tmp_path: Path
) -> None:
    from spcncl_score.intake.table import load_mapping, read_table_file

    base = exported_table(cnnt, category_forms, tmp_path / "t.csv")
    header = _table_header(base)

    def rename(rows: list[list[str]]) -> None:
        rows[0][header.index("f.food_safety")] = "ATTP"
        rows[0][header.index("s.c4_function")] = "Điểm công năng"
        del rows[1]  # the labels row goes with the renamed headers, as a user's own table has none

    path = _csv_with(base, rename)
    mapping_file = tmp_path / "map.yaml"
    mapping_file.write_text("columns:\n  ATTP: f.food_safety\n  Điểm công năng: s.c4_function\n", encoding="utf-8")
    mapping, issues = load_mapping(mapping_file, cnnt)
    assert mapping is not None and issues == []
    got = read_table_file(path, cnnt, path.name, mapping)
    assert got is not None
    for row, form in zip(got[0], category_forms, strict=True):
        assert row.ok and row.dossier is not None and form.dossier is not None, rendered(row, "en")
        assert (row.dossier.values, row.dossier.self_scores) == (form.dossier.values, form.dossier.self_scores)
