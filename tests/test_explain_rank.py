"""`explain` states the tier; with --cohort, the rank and the tie-break that placed the dossier."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from spcncl_score.cli.commands import app
from spcncl_score.criteria.indicators import CagrIndicator

ROOT = Path(__file__).resolve().parent.parent
HANOI = ROOT / "samples" / "hanoi"
LABEL = {"vi": "Tăng trưởng", "en": "Growth"}


def _explain(*args: str) -> str:
    res = CliRunner().invoke(app, ["explain", *args])
    assert res.exit_code == 0, res.output
    return res.stdout


def test_a_tie_separated_by_a_key_is_stated_with_its_name():
    out = _explain(str(HANOI / "hn11-may-thuong-tin.xlsx"), "--cohort", str(HANOI), "--lang", "vi")
    assert out.endswith(
        "  Hạng: 10/13 · bằng tổng điểm với hồ sơ liền kề, phân định bằng 'Tăng trưởng và quy mô sản xuất' (a)\n"
    )
    out = _explain(str(HANOI / "hn11-may-thuong-tin.xlsx"), "--cohort", str(HANOI), "--lang", "en")
    assert out.endswith(
        "  Rank: 10/13 · equal total with a neighbour, separated by 'Growth and production scale' (a)\n"
    )
    data = json.loads(_explain(str(HANOI / "hn11-may-thuong-tin.xlsx"), "--cohort", str(HANOI), "--format", "json"))
    assert (data["rank"], data["tied"], data["tie_break"], data["tier"]) == (10, False, "a", None)


def test_without_the_cohort_explain_says_how_to_get_the_rank():
    out = _explain(str(HANOI / "hn01-co-khi-chinh-xac-dong-anh.xlsx"), "--lang", "vi")
    assert out.endswith(
        "  Hạng: phụ thuộc cả đợt hồ sơ; dùng --cohort THƯ_MỤC để biết hạng và cách phân định đồng điểm\n"
    )


def test_explain_states_the_tier():
    ocop = ROOT / "samples" / "ocop"
    out = _explain(str(ocop / "ocop01-htx-che-ba-vi.xlsx"), "-c", "ocop", "--cohort", str(ocop), "--lang", "vi")
    assert "  Hạng sao / bậc: 5 sao\n  Hạng: 1/3 · tổng điểm đã phân định, không cần khóa phụ\n" in out
    out = _explain(str(ocop / "ocop01-htx-che-ba-vi.xlsx"), "-c", "ocop", "--lang", "en")
    assert "  Tier: 5 stars\n" in out


def test_the_growth_formula_counts_years_minus_one_steps():
    three = CagrIndicator.model_validate({"id": "g", "kind": "cagr", "field": "revenue", "years": 3, "label": LABEL})
    assert three.formula() == "((revenue[N]/revenue[N-2])^(1/2) - 1) × 100"
    window = CagrIndicator.model_validate({"id": "g", "kind": "cagr", "field": "revenue", "label": LABEL})
    assert window.formula() == "((revenue[N]/revenue[N-(years-1)])^(1/(years-1)) - 1) × 100"
