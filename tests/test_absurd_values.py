"""Absurd values and tampered forms (issue 13, item 7): each is an error at its cell, its dossier
is listed as not ranked, and the good dossiers beside it are ranked exactly as without it."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from typer.testing import CliRunner

from spcncl_score.cli.commands import app
from spcncl_score.evaluation.pipeline import evaluate
from spcncl_score.i18n import format_number
from spcncl_score.intake.numbers import NumberNotFinite, parse_number
from spcncl_score.intake.reader import read_dossier
from spcncl_score.scoring.result import RunResult
from tests import corpus

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "hanoi"


def ranks(result: RunResult) -> dict[str, int | None]:
    assert result.ranking is not None
    return {str(k): None if pd.isna(v) else int(v) for k, v in result.ranking["rank"].items()}


def set_name(name: str, value: Any) -> Any:
    def change(wb: Any) -> None:
        ws, cell = corpus.name_cell(wb, name)
        ws[cell] = value

    return change


def point_name(name: str, target: str) -> Any:
    def change(wb: Any) -> None:
        wb.defined_names[name].attr_text = target

    return change


def cells_in_sheet(replacements: dict[str, str], sheet: int = 1) -> Any:
    """Rewrite cells of the form's ``sheet`` (1: the form, 3: _meta) as raw XML (values openpyxl would not write)."""

    def change(member: str, data: bytes) -> bytes:
        if not member.endswith(f"worksheets/sheet{sheet}.xml"):
            return data
        text = data.decode()
        for cell, xml in replacements.items():
            text, n = re.subn(rf'<c r="{cell}"([^>]*?)(/>|>.*?</c>)', rf'<c r="{cell}"\1>{xml}</c>', text)
            assert n == 1, cell
        return text.encode()

    return change


def name_defined_again(name: str, target: str) -> Any:
    def change(member: str, data: bytes) -> bytes:
        if member != "xl/workbook.xml":
            return data
        extra = f'<definedName name="{name}">{target}</definedName></definedNames>'
        return data.replace(b"</definedNames>", extra.encode(), 1)

    return change


# file -> (code, location rendered, English message)
JUNK: dict[str, tuple[str, str, str]] = {
    "nan-inf.xlsx": (
        "value-not-finite",
        "'Hồ sơ'!F26 [revenue@0]",
        "'Revenue from the product (2025)': 'nan' is not a finite number (infinite, NaN or too large); "
        "enter the actual figure.",
    ),
    "mu-400.xlsx": (
        "value-not-finite",
        "'Hồ sơ'!F27 [export_usd@0]",
        "'Export turnover of the product (2025)': '1e400' is not a finite number (infinite, NaN or too large); "
        "enter the actual figure.",
    ),
    "doanh-thu-theo-dong.xlsx": (
        "value-above-max-dong",
        "'Hồ sơ'!F26 [revenue@0]",
        "'Revenue from the product (2025)': value 120,000,000,000 is above the maximum 1,000,000 — typed in đồng "
        "instead of tỷ đồng? (120 tỷ đồng)",
    ),
    "xuat-khau-1e308.xlsx": (
        "value-above-max",
        "'Hồ sơ'!F27 [export_usd@0]",
        "'Export turnover of the product (2025)': value 1e+308 is above the maximum 50,000,000,000.",
    ),
    "tu-cham-ref.xlsx": (
        "self-score-error-cell",
        "'Tự chấm điểm'!D6 [self:a1_growth]",
        "Self-score of criterion 'a1_growth': the cell holds the error #REF!.",
    ),
    "nam-1900.xlsx": (
        "reporting-year-implausible",
        "'_meta'!B4 [meta.reporting_year]",
        "Reporting year 1900 is implausible: expected 2000 to {last}.",
    ),
    "nam-nan.xlsx": (
        "reporting-year-implausible",
        "'_meta'!B4 [meta.reporting_year]",
        "Reporting year nan is implausible: expected 2000 to {last}.",
    ),
    "ten-doi-cho.xlsx": (
        "dossier-name-moved",
        "'Hồ sơ'!H40 [revenue]",
        "The name 'f.revenue.y0' points at 'Hồ sơ'!H40 instead of the template's 'Hồ sơ'!F26. The value is not "
        "read: fill in the original form (do not move, insert or delete rows or columns holding input cells).",
    ),
    "ten-tro-meta.xlsx": (
        "dossier-name-hidden",
        "'_meta'!B4 [revenue]",
        "The name 'f.revenue.y0' points at '_meta'!B4 on the hidden sheet '_meta'; the template puts it at "
        "'Hồ sơ'!F26. The value is not read: an input cell must be on a visible sheet of the form.",
    ),
    "ten-hai-lan.xlsx": (
        "dossier-name-twice",
        "[revenue]",
        "The name 'f.revenue.y0' is defined more than once in the file ('Hồ sơ'!$F$26, 'Hồ sơ'!$F$27); the "
        "template puts it at 'Hồ sơ'!F26. The value is not read: delete the extra definition (Formulas › Name "
        "Manager) or fill in the original form.",
    ),
}


def build_junk(folder: Path) -> None:
    def form(name: str, n: int, **values: Any) -> Path:
        return corpus.write_dossier(folder / name, n, corpus.dossier_values(900 + n, **values))

    raw = form("raw.xlsx", 1)
    corpus.rezip(raw, folder / "nan-inf.xlsx", cells_in_sheet({"F26": "<v>NaN</v>", "F27": "<v>INF</v>"}))
    raw.unlink()
    form("mu-400.xlsx", 2, **{"export_usd@0": "1e400"})
    form("doanh-thu-theo-dong.xlsx", 3, **{"revenue@0": 120_000_000_000})
    form("xuat-khau-1e308.xlsx", 4, **{"export_usd@0": 1e308})
    corpus.edit(form("tu-cham-ref.xlsx", 5), set_name("s.a1_growth", "#REF!"))
    corpus.edit(form("nam-1900.xlsx", 6), set_name("meta.reporting_year", 1900))
    raw = form("raw.xlsx", 10)
    corpus.rezip(raw, folder / "nam-nan.xlsx", cells_in_sheet({"B4": "<v>NaN</v>"}, sheet=3))
    raw.unlink()
    corpus.edit(form("ten-doi-cho.xlsx", 7), point_name("f.revenue.y0", "'Hồ sơ'!$H$40"))
    corpus.edit(form("ten-tro-meta.xlsx", 8), point_name("f.revenue.y0", "'_meta'!$B$4"))
    raw = form("raw.xlsx", 9)
    corpus.rezip(raw, folder / "ten-hai-lan.xlsx", name_defined_again("f.revenue.y0", "'Hồ sơ'!$F$27"))
    raw.unlink()


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, RunResult]:
    folder = tmp_path_factory.mktemp("absurd") / "in"
    shutil.copytree(SAMPLES, folder)
    build_junk(folder)
    return folder, evaluate([folder], "hanoi-spcncl", sensitivity=None)


def test_the_samples_are_ranked_as_without_the_junk(run: tuple[Path, RunResult]) -> None:
    alone = ranks(evaluate([SAMPLES], "hanoi-spcncl", sensitivity=None))
    assert ranks(run[1]) == alone


@pytest.mark.parametrize("file", sorted(JUNK))
def test_each_absurd_value_is_an_error_at_its_cell(run: tuple[Path, RunResult], file: str) -> None:
    code, where, message = JUNK[file]
    found = [
        i
        for i in run[1].issues
        if i.location.file == file and i.code == code and i.location.render().removeprefix(file + " ") == where
    ]
    assert len(found) == 1, [i.render("en") for i in run[1].issues if i.location.file == file]
    assert found[0].is_error
    assert found[0].message("en") == message.format(last=pd.Timestamp.today().year + 1)
    read = run[1].read_of(file)
    assert read is not None and not read.ok


def test_the_cli_exits_1_and_lists_the_junk_as_not_ranked(run: tuple[Path, RunResult]) -> None:
    out = CliRunner().invoke(
        app, ["evaluate", str(run[0]), "--no-report", "--mc-runs", "0", "--format", "json", "--lang", "en"]
    )
    assert out.exit_code == 1, out.output
    assert "Traceback" not in out.output and "Internal error" not in out.output
    data = json.loads(out.stdout)
    listed = {r["file"]: {x["code"] for x in r["reasons"]} for r in data["not_ranked"]}
    for file, (code, _, _) in JUNK.items():
        assert code in listed[file], (file, listed.get(file))


def test_x_for_yes_is_accepted_with_a_warning_saying_how_it_was_read(tmp_path: Path) -> None:
    path = corpus.write_dossier(tmp_path / "x.xlsx", 1)
    corpus.edit(path, set_name("f.iso9001", "x"))
    read = read_dossier(path, corpus.criteria())
    assert read.ok and read.dossier is not None
    assert read.dossier.values["iso9001"] is True
    (issue,) = read.issues
    assert (issue.code, issue.severity.value, issue.location.render()) == (
        "value-interpreted",
        "warning",
        f"{path} 'Hồ sơ'!D22 [iso9001]",
    )
    assert issue.message("en") == "'Valid ISO 9001 certificate': read 'x' as Yes (only 'Có' or 'Không' is read as is)."


@pytest.mark.parametrize("word", ["Có", "không", "Yes", "no", "TRUE", "false", "1", "0"])
def test_the_plain_yes_no_words_are_read_silently(tmp_path: Path, word: str) -> None:
    path = corpus.write_dossier(tmp_path / "w.xlsx", 1)
    corpus.edit(path, set_name("f.iso9001", word))
    read = read_dossier(path, corpus.criteria())
    assert read.ok and read.issues == []


def test_a_renamed_sheet_keeps_its_cells(tmp_path: Path) -> None:
    # Excel rewrites the names of a renamed sheet: the layout is the template's, under another name
    path = corpus.write_dossier(tmp_path / "r.xlsx", 1)

    def rename(wb: Any) -> None:
        wb["Hồ sơ"].title = "Hồ sơ DN"
        for name in list(wb.defined_names):
            dn = wb.defined_names[name]
            dn.attr_text = dn.attr_text.replace("'Hồ sơ'!", "'Hồ sơ DN'!")

    corpus.edit(path, rename)
    read = read_dossier(path, corpus.criteria())
    assert read.ok, [i.render("en") for i in read.issues]


@pytest.mark.parametrize("text", ["inf", "-Infinity", "nan", "NaN", "1e400", "9" * 400])
def test_text_that_is_no_finite_number_is_refused_as_such(text: str) -> None:
    with pytest.raises(NumberNotFinite):
        parse_number(text, "tỷ đồng")


def test_a_huge_figure_is_shown_in_scientific_notation() -> None:
    assert (format_number(1e308, "en"), format_number(1.5e20, "vi"), format_number(1e17, "en")) == (
        "1e+308",
        "1,5e+20",
        "100,000,000,000,000,000",
    )
