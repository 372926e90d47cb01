"""One product, one rank (issue 13, item 6): a dossier submitted twice is ranked once when both
copies say the same, and not at all when they differ, until the working group chooses."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from spcncl_score.evaluation.pipeline import evaluate
from spcncl_score.report.jsonout import result_to_dict
from spcncl_score.scoring.result import RunResult
from tests import corpus

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "hanoi"
ORIGINAL = "hn05-nhua-ky-thuat-long-bien.xlsx"


def ranks(result: RunResult) -> dict[str, int | None]:
    """Each scored dossier's rank (None: scored, not ranked, e.g. not eligible)."""
    assert result.ranking is not None
    return {str(k): None if pd.isna(v) else int(v) for k, v in result.ranking["rank"].items()}


@pytest.fixture(scope="module")
def baseline() -> dict[str, int | None]:
    return ranks(evaluate([SAMPLES], "hanoi-spcncl", sensitivity=None))


def samples_with(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    shutil.copytree(SAMPLES, folder)
    return folder


def issue(result: RunResult, file: str, code: str) -> str:
    found = [i for i in result.issues if i.location.file == file and i.code == code]
    assert len(found) == 1, [i.render("en") for i in result.issues if i.location.file == file]
    return found[0].message("en")


def test_a_resent_copy_and_an_ods_copy_are_ranked_once(tmp_path: Path, baseline: dict[str, int | None]) -> None:
    folder = samples_with(tmp_path)
    shutil.copy(folder / ORIGINAL, folder / "zz-gui-lai.xlsx")
    corpus.xlsx_to_ods(folder / ORIGINAL, folder / "zz-ban-libreoffice.ods")
    result = evaluate([folder], "hanoi-spcncl", sensitivity=None)
    assert ranks(result) == baseline  # the same ranks as without the copies
    product = "Ống nhựa HDPE cấp nước D20–D630"
    for copy in ("zz-gui-lai.xlsx", "zz-ban-libreoffice.ods"):
        assert issue(result, copy, "dossier-duplicate-copy") == (
            f"Copy of '{ORIGINAL}' (the same enterprise, tax code 0105796269, product '{product}', the same "
            "content): not ranked a second time."
        )
    assert not [i for i in result.issues if i.location.file == ORIGINAL and "duplicate" in i.code]
    listed = {r["file"]: r for r in result_to_dict(result, "vi")["not_ranked"]}
    assert [x["code"] for x in listed["zz-gui-lai.xlsx"]["reasons"]] == ["dossier-duplicate-copy"]
    assert listed["zz-gui-lai.xlsx"]["reasons"][0]["message"].startswith(f"Bản sao của '{ORIGINAL}'")


def test_two_different_dossiers_of_one_product_are_neither_ranked(
    tmp_path: Path, baseline: dict[str, int | None]
) -> None:
    folder = samples_with(tmp_path)
    changed = folder / "zz-sua-lai.xlsx"
    shutil.copy(folder / ORIGINAL, changed)

    def more_revenue(wb: object) -> None:
        ws, cell = corpus.name_cell(wb, "f.revenue.y0")
        ws[cell] = float(ws[cell].value) + 10

    corpus.edit(changed, more_revenue)
    result = evaluate([folder], "hanoi-spcncl", sensitivity=None)
    got = ranks(result)
    assert ORIGINAL not in got and changed.name not in got
    # the others keep their order; the ones below the withdrawn product move up by one
    gone = baseline[ORIGINAL]
    assert got == {f: r if r is None or r < gone else r - 1 for f, r in baseline.items() if f != ORIGINAL}
    product = "Ống nhựa HDPE cấp nước D20–D630"
    assert issue(result, ORIGINAL, "dossier-duplicate-conflict") == (
        f"The same enterprise (tax code 0105796269) and product '{product}' were also submitted with different "
        "content in zz-sua-lai.xlsx: neither is ranked. The working group must decide which one counts (remove "
        "the other file and run again)."
    )
    vi = [i for i in result.issues if i.location.file == changed.name and i.code == "dossier-duplicate-conflict"]
    assert vi[0].message("vi") == (
        f"Cùng doanh nghiệp (MST 0105796269) và sản phẩm '{product}' cũng được nộp với nội dung khác trong "
        f"{ORIGINAL}: không hồ sơ nào được xếp hạng. Tổ công tác cần quyết định hồ sơ nào có giá trị (bỏ tệp kia "
        "ra và chạy lại)."
    )
    assert result.has_errors


def test_the_copy_that_counts_is_the_first_without_errors(tmp_path: Path) -> None:
    from dataclasses import replace

    from spcncl_score.evaluation.pipeline import check_identity
    from spcncl_score.intake.reader import read_dossier
    from spcncl_score.issues import Location, error

    cs = corpus.criteria()
    clean = read_dossier(SAMPLES / ORIGINAL, cs, "b-clean.xlsx")
    damaged = replace(
        clean, file="a-damaged.xlsx", issues=[error("cell-merged", Location(), cell="F26", range="E26:F26")]
    )
    reads = [damaged, clean]
    check_identity(cs, reads)
    assert clean.ok and clean.withheld is None
    assert damaged.withheld is not None and damaged.withheld.params["original"] == "b-clean.xlsx"
