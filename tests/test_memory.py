"""A workbook that inflates far beyond its size (a "zip bomb") is refused before it is parsed,
and the process that meets it stays small."""

from __future__ import annotations

import json
import shutil
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests import corpus
from tests.child import measure

resource = pytest.importorskip("resource")  # peak RSS is measured with getrusage (POSIX)

ROOT = Path(__file__).resolve().parent.parent
GOOD = ROOT / "samples" / "hanoi" / "hn05-nhua-ky-thuat-long-bien.xlsx"
INFLATED_MB = 120
RSS_LIMIT_MB = 300
# the bomb may cost at most this much above a run on the good dossier alone
RSS_MARGIN_MB = 40

# The same command with the size guard switched off: the control that shows what the guard saves.
UNGUARDED = r"""
import sys
import spcncl_score.intake.workbook as w
w.MAX_INFLATED_BYTES = 10**15
w.MAX_COMPRESSION_RATIO = 10**9
from spcncl_score.cli import main
sys.argv = ["spcncl-score", *sys.argv[1:]]
main()
"""


def peak_rss(*command: Any) -> tuple[int, float, str, str]:
    """(exit code, peak RSS in MB, stdout, stderr) of ``command`` run as a child process."""
    m = measure(*command)
    return m.rc, m.peak_mb, m.stdout, m.stderr


def evaluate_json(folder: Path, *, guarded: bool = True) -> tuple[int, float, dict[str, Any], str]:
    head = ["-m", "spcncl_score"] if guarded else ["-c", UNGUARDED]
    rc, mb, stdout, stderr = peak_rss(sys.executable, *head, "evaluate", folder, "--no-report", "--format", "json")
    return rc, mb, json.loads(stdout) if stdout.strip() else {}, stderr


@pytest.fixture(scope="module")
def folders(tmp_path_factory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("memory")
    alone = base / "alone"
    alone.mkdir()
    shutil.copy(GOOD, alone / GOOD.name)
    bomb = base / "bomb"
    bomb.mkdir()
    shutil.copy(GOOD, bomb / GOOD.name)
    corpus.write_zip_bomb(bomb / "bom-nen.xlsx", INFLATED_MB, base=GOOD)
    return {"alone": alone, "bomb": bomb}


def test_the_bomb_is_small_on_disk_and_huge_inflated(folders):
    path = folders["bomb"] / "bom-nen.xlsx"
    assert path.stat().st_size < 1024 * 1024
    with zipfile.ZipFile(path) as zf:
        assert sum(i.file_size for i in zf.infolist()) > INFLATED_MB * 1024 * 1024


def test_the_bomb_is_refused_before_parsing(folders, monkeypatch):
    import python_calamine

    from spcncl_score.intake.reader import read_dossier
    from spcncl_score.intake.workbook import open_workbook

    def no_inflating(self, name, *args, **kwargs):
        member = name if isinstance(name, str) else name.filename
        assert member != "xl/worksheets/sheet1.xml", "the bomb's sheet was inflated"
        return original_open(self, name, *args, **kwargs)

    def no_parsing(*args, **kwargs):
        raise AssertionError("the bomb was handed to the spreadsheet parser")

    original_open = zipfile.ZipFile.open
    monkeypatch.setattr(zipfile.ZipFile, "open", no_inflating)
    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_path", no_parsing)
    path = folders["bomb"] / "bom-nen.xlsx"
    wb, issues = open_workbook(path, path.name)
    assert wb is None
    assert [i.code for i in issues] == ["file-too-large"]
    assert issues[0].params["limit_mb"] == 50 and issues[0].params["size_mb"] >= INFLATED_MB
    read = read_dossier(path, corpus.criteria(), path.name)
    assert [i.code for i in read.issues] == ["file-too-large"]


def test_a_run_meeting_the_bomb_stays_small(folders):
    rc0, base_mb, data0, _ = evaluate_json(folders["alone"])
    assert rc0 == 0, data0
    rc, mb, data, stderr = evaluate_json(folders["bomb"])
    assert rc == 1, stderr
    assert "Traceback" not in stderr
    codes = {(i["location"].get("file"), i["code"]) for i in data["issues"]}
    assert ("bom-nen.xlsx", "file-too-large") in codes
    assert [r["file"] for r in data["results"]] == [GOOD.name]  # the good dossier beside it is still scored
    assert mb < RSS_LIMIT_MB, f"peak RSS {mb:.0f} MB"
    assert mb < base_mb + RSS_MARGIN_MB, f"peak RSS {mb:.0f} MB against {base_mb:.0f} MB without the bomb"


@pytest.mark.slow
def test_control_without_the_guard_the_same_run_grows(folders):
    """Shows that the measurement can see the difference: with the limit lifted the bomb is read."""
    _, guarded_mb, _, _ = evaluate_json(folders["bomb"])
    _, mb, data, stderr = evaluate_json(folders["bomb"], guarded=False)
    assert "file-too-large" not in {i["code"] for i in data.get("issues", [])}, stderr
    assert mb > guarded_mb + 100, f"unguarded {mb:.0f} MB, guarded {guarded_mb:.0f} MB"
