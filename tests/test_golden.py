"""Golden regression: the samples' canonical results are kept in the repository, so a change
to the engine or the criteria shows its effect in review. Regenerate deliberately with
`spcncl-score evaluate samples/<set> -c <criteria> --no-report --write-expect tests/golden/<set>-samples.json`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from spcncl_score.cli.commands import app

ROOT = Path(__file__).resolve().parent.parent
# cnnt is the categories example (#15): its golden file holds each category's results
SETS = [("hanoi", "hanoi-spcncl"), ("ocop", "ocop"), ("cnnt", "cnnt")]


@pytest.mark.parametrize(("folder", "criteria"), SETS)
def test_samples_match_their_golden_file(folder, criteria):
    golden = ROOT / "tests" / "golden" / f"{folder}-samples.json"
    result = CliRunner().invoke(
        app,
        [
            "evaluate",
            str(ROOT / "samples" / folder),
            "-c",
            criteria,
            "--no-report",
            "-q",
            "--mc-runs",
            "0",
            "--expect",
            str(golden),
        ],
    )
    assert result.exit_code == 0, result.output


def test_a_changed_criterion_fails_the_golden_check(tmp_path):
    changed = (
        (ROOT / "criteria" / "hanoi-spcncl.yaml").read_text(encoding="utf-8").replace("pass_mark: 60", "pass_mark: 65")
    )
    path = tmp_path / "hanoi-spcncl.yaml"
    path.write_text(changed, encoding="utf-8")
    golden = ROOT / "tests" / "golden" / "hanoi-samples.json"
    result = CliRunner().invoke(
        app,
        [
            "evaluate",
            str(ROOT / "samples" / "hanoi"),
            "-c",
            str(path),
            "--no-report",
            "-q",
            "--mc-runs",
            "0",
            "--expect",
            str(golden),
        ],
    )
    assert result.exit_code == 1
    assert '"recognised": false' in result.output  # the diff shows who lost recognition
