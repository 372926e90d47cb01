"""The progress a run reports: every long step says how far it is, the sensitivity check included."""

from __future__ import annotations

from pathlib import Path

from spcncl_score.evaluation.pipeline import evaluate
from spcncl_score.scoring.sensitivity import SensitivitySettings

ROOT = Path(__file__).resolve().parent.parent


def test_the_sensitivity_check_reports_its_runs_as_they_go() -> None:
    seen: list[tuple[int, int, str]] = []
    evaluate(
        [ROOT / "samples" / "hanoi"],
        "hanoi-spcncl",
        progress=lambda done, total, what: seen.append((done, total, what)),
        sensitivity=SensitivitySettings(runs=20_000),
    )
    runs = [(done, total) for done, total, what in seen if what == "Kiểm tra độ nhạy / sensitivity check"]
    assert len(runs) > 1  # more than one report: the display moves while the runs go on
    assert runs == sorted(runs) and runs[-1] == (20_000, 20_000)
