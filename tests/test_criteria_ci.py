"""Criteria under CI: every design check fires on a crafted file with its exact message; the
schema stays in step with the models; diff and replay on crafted pairs worked out by hand;
explain pinned for one sample."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from spcncl_score.cli.commands import app
from spcncl_score.criteria.loader import load_criteria, parse_criteria
from spcncl_score.evaluation.diff import diff, diff_criteria

ROOT = Path(__file__).resolve().parent.parent
HANOI_TEXT = (ROOT / "criteria" / "hanoi-spcncl.yaml").read_text(encoding="utf-8")
OCOP_TEXT = (ROOT / "criteria" / "ocop.yaml").read_text(encoding="utf-8")
SAMPLES = ROOT / "samples" / "hanoi"


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def rendered(text: str) -> list[str]:
    _, issues = parse_criteria(text, "c.yaml")
    return [i.render("en") for i in issues]


A1 = "groups[0].criteria[0].rule.bands"


def test_band_gap():
    text = HANOI_TEXT.replace('{range: "[5, 10)", points: 8}', '{range: "[6, 10)", points: 8}')
    line = line_of(text, "[6, 10)")
    assert rendered(text) == [
        f"c.yaml:{line} {A1}[2]: There is a gap between bands [0, 5) and [6, 10). [criteria-bands-gap]"
    ]


def test_band_overlap():
    text = HANOI_TEXT.replace('{range: "[0, 5)", points: 4}', '{range: "[0, 6)", points: 4}')
    line = line_of(text, "[5, 10)")
    assert rendered(text) == [f"c.yaml:{line} {A1}[2]: Bands [0, 6) and [5, 10) overlap. [criteria-bands-overlap]"]


def test_band_edge_closed_on_both_sides_overlaps():
    text = HANOI_TEXT.replace('{range: "[0, 5)", points: 4}', '{range: "[0, 5]", points: 4}')
    line = line_of(text, "[5, 10)")
    assert rendered(text) == [f"c.yaml:{line} {A1}[2]: Bands [0, 5] and [5, 10) overlap. [criteria-bands-overlap]"]


def test_bands_not_monotone():
    text = HANOI_TEXT.replace('{range: "[5, 10)", points: 8}', '{range: "[5, 10)", points: 3}')
    line = line_of(text, "[5, 10)")
    assert rendered(text) == [
        f"c.yaml:{line} {A1}[2].points: Points are not monotone in direction 'higher': [0, 5) gives 4 but "
        "[5, 10) gives 3. [criteria-bands-not-monotone]"
    ]


def test_bands_do_not_cover_the_domain():
    text = HANOI_TEXT.replace('            - {range: "(-inf, 0)", points: 0}\n', "", 1)
    line = line_of(text, "    input: revenue_growth") + 4  # the 'bands:' key
    assert rendered(text) == [
        f"c.yaml:{line} {A1}: The bands do not cover the domain (-inf, +inf) at its lower end (band [0, 5)). "
        "[criteria-bands-uncovered]"
    ]


def test_bands_unsorted():
    text = HANOI_TEXT.replace(
        '            - {range: "(-inf, 0)", points: 0}\n            - {range: "[0, 5)", points: 4}\n',
        '            - {range: "[0, 5)", points: 4}\n            - {range: "(-inf, 0)", points: 0}\n',
    )
    line = line_of(text, "    input: revenue_growth") + 4
    assert rendered(text) == [
        f"c.yaml:{line} {A1}: Bands must be listed in increasing order of their lower edge. [criteria-bands-unsorted]"
    ]


def test_unreachable_pass_mark():
    text = HANOI_TEXT.replace("  pass_mark: 60", "  pass_mark: 101")
    line = line_of(text, "pass_mark: 101")
    assert rendered(text) == [
        f"c.yaml:{line} outcome.pass_mark: The pass mark 101 cannot be reached: at most 100 "
        "points can be scored. [criteria-unreachable-pass-mark]"
    ]


def test_unreachable_criterion_minimum():
    text = HANOI_TEXT.replace(
        "        input: revenue_latest\n", "        input: revenue_latest\n        minimum: {points: 21}\n", 1
    )
    line = line_of(text, "minimum: {points: 21}")
    assert rendered(text) == [
        f"c.yaml:{line} groups[0].criteria[1].minimum: The minimum 21 of 'a2_scale' cannot be "
        "reached (at most 20 can be scored). [criteria-unreachable-minimum]"
    ]


def test_tiers_gap_overlap_and_coverage():
    star2 = 'en: 2 stars}, range: "[30, 50)"'
    gap = OCOP_TEXT.replace(star2, star2.replace("[30", "[31"))
    out = rendered(gap)
    assert out == [
        f"c.yaml:{line_of(gap, '[31, 50)')} outcome.tiers[1].range: There is a gap between tiers [0, 30) "
        "and [31, 50). [criteria-tiers-gap]"
    ]
    overlap = OCOP_TEXT.replace(star2, star2.replace("[30", "[29"))
    assert rendered(overlap) == [
        f"c.yaml:{line_of(overlap, '[29, 50)')} outcome.tiers[1].range: Tiers [0, 30) and "
        "[29, 50) overlap. [criteria-tiers-overlap]"
    ]
    short = OCOP_TEXT.replace('"[90, 100]"', '"[90, 100)"')
    assert rendered(short) == [
        f"c.yaml:{line_of(short, 'tiers:')} outcome.tiers: The highest tier does not reach the top of the "
        "scale, 100: the best products would have no tier. [criteria-tiers-uncovered]"
    ]


def test_a_threshold_without_provenance_is_a_warning():
    text = HANOI_TEXT.replace(
        """outcome:
  pass_mark: 60
  overclaim_tolerance: 2
  source:
    status: provisional
    confirm: Mức điểm đạt trong quy chế 2023/QĐ-UBND hoặc phụ lục Đề án 496 (chưa tiếp cận được)
""",
        """outcome:
  pass_mark: 60
  overclaim_tolerance: 2
""",
    )
    cs, issues = parse_criteria(text, "c.yaml")
    assert cs is not None  # a warning does not stop the set
    assert [i.render("en") for i in issues] == [
        f"c.yaml:{line_of(text, 'outcome:')} outcome: the pass mark has neither a legal citation ('source' with "
        "'citation') nor an explicit 'provisional' mark. [criteria-no-provenance]"
    ]


def test_criteria_check_exit_codes(tmp_path):
    runner = CliRunner()
    ok = runner.invoke(app, ["criteria", "check", str(ROOT / "criteria" / "hanoi-spcncl.yaml")])
    assert ok.exit_code == 0, ok.output
    bad = tmp_path / "bad.yaml"
    bad.write_text(HANOI_TEXT.replace("  pass_mark: 60", "  pass_mark: 101"), encoding="utf-8")
    res = runner.invoke(app, ["criteria", "check", str(bad)])
    assert res.exit_code == 1
    assert "criteria-unreachable-pass-mark" in res.output
    missing = runner.invoke(app, ["criteria", "check", str(tmp_path / "nope.yaml")])
    assert missing.exit_code == 1
    assert "Không tìm thấy bộ tiêu chí" in missing.output  # Vietnamese by default
    assert missing.output.rstrip().endswith("nope.yaml: LỖI")
    missing = runner.invoke(app, ["criteria", "check", str(tmp_path / "nope.yaml"), "--lang", "en"])
    assert "not found" in missing.output and missing.output.rstrip().endswith("nope.yaml: FAILED")


def test_shipped_schema_is_up_to_date_and_referenced():
    from spcncl_score.criteria.schema import SCHEMA_FILE, schema_text

    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text(), (
        "run: spcncl-score criteria schema -o spcncl_score/schema/criteria.schema.json"
    )
    schema = json.loads(schema_text())
    assert "groups" in schema["properties"] and "$schema" in schema["properties"]
    assert "$schema: ../spcncl_score/schema/criteria.schema.json" in HANOI_TEXT.splitlines()
    res = CliRunner().invoke(app, ["criteria", "schema"])
    assert res.exit_code == 0 and json.loads(res.output)["title"] == "spcncl-score criteria set"


def test_show_renders_a_tree_in_both_languages():
    res = CliRunner().invoke(app, ["criteria", "show", "hanoi-spcncl", "--lang", "en"])
    assert res.exit_code == 0
    assert "a1_growth: Production growth — 15" in res.output
    vi = CliRunner().invoke(app, ["criteria", "show", "hanoi-spcncl"])
    assert "Chỉ tiêu tăng trưởng phát triển sản xuất" in vi.output


# -- diff with replay, on crafted pairs whose effects are worked out by hand ------------------
#
# Sample totals (tests/test_samples.py): hn01 89, hn02 84, hn03 81, hn04 78, hn05 75, hn06 73,
# hn08 70, hn09 68, hn10 67, hn11 66 (group a 25), hn12 66 (group a 23), hn07 63, hn13 60,
# hn14 59.5, hn15 41, hn17 36; hn16 96 but ineligible. Top 10 = hn01..hn06, hn08..hn11.


def _pair(tmp_path: Path, text: str):
    path = tmp_path / "new.yaml"
    path.write_text(text, encoding="utf-8")
    old, _ = load_criteria("hanoi-spcncl")
    new, issues = load_criteria(path)
    assert new is not None, [i.render("en") for i in issues]
    return old, new


def _flips(result) -> dict[str, tuple[str, str]]:
    return {c.file[:4]: (c.old_status, c.new_status) for c in result.replay if c.outcome_changed}


def test_diff_pass_mark_raised_by_one_point(tmp_path):
    old, new = _pair(tmp_path, HANOI_TEXT.replace("  pass_mark: 60", "  pass_mark: 61"))
    r = diff(old, new, SAMPLES)
    assert [(c.kind, c.what, c.id, c.detail) for c in r.changes] == [("changed", "outcome", "pass_mark", "60 → 61")]
    # only hn13, exactly on 60, falls below
    assert _flips(r) == {"hn13": ("recognised", "not_recognised")}


def test_diff_reweighting_between_two_criteria(tmp_path):
    # ISO 9001 is worth 6 instead of 8 and ISO 14001 8 instead of 6 (group c still 20): products with
    # 9001 but not 14001 (hn06, hn10, hn11, hn14) lose 2 points; hn06 71, hn10 65, hn11 64, hn14 57.5.
    # The Top 10 is then hn01..hn05, hn06, hn08, hn09, hn12 (66), hn10 (65): hn12 enters, hn11 leaves.
    text = HANOI_TEXT.replace(
        "        max: 8\n        input: iso9001\n        rule: {kind: yes_no, if_yes: 8, if_no: 0}",
        "        max: 6\n        input: iso9001\n        rule: {kind: yes_no, if_yes: 6, if_no: 0}",
    ).replace(
        "        max: 6\n        input: iso14001\n        rule: {kind: yes_no, if_yes: 6, if_no: 0}",
        "        max: 8\n        input: iso14001\n        rule: {kind: yes_no, if_yes: 8, if_no: 0}",
    )
    old, new = _pair(tmp_path, text)
    r = diff(old, new, SAMPLES)
    assert {(c.id, c.detail) for c in r.changes if c.detail.startswith("max")} == {
        ("c1_iso9001", "max points 8 → 6"),
        ("c2_iso14001", "max points 6 → 8"),
    }
    assert _flips(r) == {"hn12": ("recognised", "top"), "hn11": ("top", "recognised")}
    vi = diff_criteria(old, new, "vi")
    assert {(c.id, c.detail) for c in vi if c.detail.startswith("điểm tối đa")} == {
        ("c1_iso9001", "điểm tối đa 8 → 6"),
        ("c2_iso14001", "điểm tối đa 6 → 8"),
    }
    totals = {c.file[:4]: (c.old_total, c.new_total) for c in r.replay}
    assert totals["hn06"] == (73, 71) and totals["hn14"] == (59.5, 57.5)
    assert "hn01" not in totals  # unchanged products are not listed


def test_diff_moved_band_edge(tmp_path):
    # the 15-point scale band starts at 250 instead of 300: hn07 and hn13 (revenue 250) gain 5 points;
    # hn07 reaches 68 and enters the Top 10, pushing out hn11 (66); hn13 (65) stays recognised
    text = HANOI_TEXT.replace('{range: "[100, 300)", points: 10}', '{range: "[100, 250)", points: 10}').replace(
        '{range: "[300, 1000)", points: 15}', '{range: "[250, 1000)", points: 15}'
    )
    old, new = _pair(tmp_path, text)
    r = diff(old, new, SAMPLES)
    assert [c.id for c in r.changes] == ["a2_scale"]
    assert _flips(r) == {"hn07": ("recognised", "top"), "hn11": ("top", "recognised")}
    totals = {c.file[:4]: (c.old_total, c.new_total) for c in r.replay}
    assert totals["hn13"] == (60, 65)


def test_diff_new_gate(tmp_path):
    # a new eligibility gate: ISO 14001 required. hn06, hn10, hn11 (Top 10) lose eligibility;
    # hn12, hn07 and hn13 move up into the Top 10
    text = HANOI_TEXT.replace(
        """    - id: tracks
      title: {vi: Đáp ứng một trong bốn nhóm điều kiện""",
        """    - id: g2_iso14001
      title: {vi: Có ISO 14001, en: ISO 14001 required}
      source: {status: provisional, confirm: test}
      ref: iso14001
      op: eq
      value: true
    - id: tracks
      title: {vi: Đáp ứng một trong bốn nhóm điều kiện""",
    )
    old, new = _pair(tmp_path, text)
    r = diff(old, new, SAMPLES)
    assert [(c.kind, c.what, c.id, c.detail) for c in r.changes] == [
        ("added", "gate", "g2_iso14001", "iso14001 = Yes"),
        ("changed", "gate", "eligible", "all-of [3 parts] → all-of [4 parts]"),
    ]
    assert _flips(r) == {
        "hn06": ("top", "not_recognised"),
        "hn10": ("top", "not_recognised"),
        "hn11": ("top", "not_recognised"),
        "hn12": ("recognised", "top"),
        "hn07": ("recognised", "top"),
        "hn13": ("recognised", "top"),
    }


def test_diff_cli_markdown_json_and_fail_on_change(tmp_path):
    new = tmp_path / "new.yaml"
    new.write_text(HANOI_TEXT.replace("  pass_mark: 60", "  pass_mark: 61"), encoding="utf-8")
    runner = CliRunner()
    md = runner.invoke(app, ["criteria", "diff", "hanoi-spcncl", str(new), "--dossiers", str(SAMPLES), "--lang", "en"])
    assert md.exit_code == 0
    assert "| changed | outcome | `pass_mark` | 60 → 61 |" in md.output
    assert "| hn13-thuc-pham-me-linh.xlsx |" in md.output and "Recognised → **Not recognised**" in md.output
    assert "not_recognised" not in md.output
    vi = runner.invoke(app, ["criteria", "diff", "hanoi-spcncl", str(new), "--dossiers", str(SAMPLES), "--lang", "vi"])
    assert "## Thay đổi bộ tiêu chí: `hanoi-spcncl 2025.1-provisional`" in vi.output
    assert "| sửa | kết quả | `pass_mark` | 60 → 61 |" in vi.output
    assert "Được công nhận → **Không được công nhận**" in vi.output
    js = runner.invoke(
        app, ["criteria", "diff", "hanoi-spcncl", str(new), "--dossiers", str(SAMPLES), "--format", "json"]
    )
    data = json.loads(js.stdout)  # the criteria-applied lines go to stderr
    assert [c["file"] for c in data["outcome_changes"]] == ["hn13-thuc-pham-me-linh.xlsx"]
    fail = runner.invoke(app, ["criteria", "diff", "hanoi-spcncl", str(new), "--fail-on-change"])
    assert fail.exit_code == 1
    same = runner.invoke(app, ["criteria", "diff", "hanoi-spcncl", "hanoi-spcncl", "--fail-on-change", "--lang", "en"])
    assert same.exit_code == 0 and "No change in the criteria's meaning." in same.output
    same = runner.invoke(app, ["criteria", "diff", "hanoi-spcncl", "hanoi-spcncl"])
    assert "Ý nghĩa của bộ tiêu chí không thay đổi." in same.output


# -- explain, pinned -------------------------------------------------------------------------

EXPECTED_EXPLAIN_TAIL = """\
  d1_budget Contribution to the state budget: 6/10
      cells: 'Hồ sơ'!F29
      values: budget_contribution@0=7
      budget_latest = budget_contribution[N] = 7
      matched: [5, 20)
      self-score: 6
      → reach ≥ 20 (13 away) for +4 points
  d2_technology Level of production technology: 7/10
      cells: 'Tự chấm điểm'!D17
      self-score: 7
"""


def test_explain_pinned_for_the_sample_on_the_pass_mark():
    res = CliRunner().invoke(
        app, ["explain", str(SAMPLES / "hn13-thuc-pham-me-linh.xlsx"), "--cohort", str(SAMPLES), "--lang", "en"]
    )
    assert res.exit_code == 0, res.output
    out = res.stdout  # stderr names the criteria applied
    assert out.startswith(
        "hn13-thuc-pham-me-linh.xlsx: Công ty Cổ phần Chế biến Thực phẩm Mê Linh — Xúc xích "
        "tiệt trùng Mê Linh Food\n  a1_growth Production growth: 12/15\n"
        "      cells: 'Hồ sơ'!F26, 'Hồ sơ'!E26, 'Hồ sơ'!D26\n"
        "      values: revenue@0=250, revenue@1=225, revenue@2=200\n"
        "      revenue_growth = mean((revenue[t]/revenue[t-1] - 1) × 100) = 11.81\n"
        "      matched: [10, 15)\n      self-score: 12\n"
        "      → reach ≥ 15 (3.19 away) for +3 points\n"
    )
    assert EXPECTED_EXPLAIN_TAIL in out
    assert "      productivity = revenue_latest / workers_latest × 1000 = 500\n" in out
    assert out.endswith(
        "  Total: 60 · pass mark 60 · margin 0\n  Outcome: Recognised\n"
        "  Rank: 13/13 · separated by the total, no tie-break needed\n"
    )


def test_explain_alone_does_not_claim_a_top_n_place():
    res = CliRunner().invoke(app, ["explain", str(SAMPLES / "hn01-co-khi-chinh-xac-dong-anh.xlsx"), "--lang", "en"])
    assert "Outcome: Recognised (the Top 10 depends on the whole batch: use --cohort FOLDER)" in res.output


def test_explain_json():
    res = CliRunner().invoke(app, ["explain", str(SAMPLES / "hn14-giay-da-phu-xuyen.xlsx"), "--format", "json"])
    data = json.loads(res.stdout)
    assert data["total"] == 59.5 and data["margin_to_pass_mark"] == -0.5


@pytest.mark.parametrize("name", ["hanoi-spcncl", "ocop", "cnnt"])
def test_shipped_sets_load_without_issues(name):
    cs, issues = load_criteria(name)
    assert cs is not None and issues == []


def test_tiers_may_start_above_zero_and_a_product_below_them_has_none():
    """Issue #15: a scheme may rate only the products that reach its lowest tier."""
    from tests.helpers import build, crit, criteria_dict, fld, group, run

    no_first = OCOP_TEXT.replace('    - {id: star_1, label: {vi: 1 sao, en: 1 star}, range: "[0, 30)"}\n', "")
    assert no_first != OCOP_TEXT
    assert [m for m in rendered(no_first) if "tiers" in m] == []
    cs = build(
        criteria_dict(
            fields=[fld("x", min=0, max=10)],
            groups=[
                group(
                    "g",
                    crit(
                        "c",
                        10,
                        {"kind": "linear", "from": {"value": 0, "points": 0}, "to": {"value": 10, "points": 10}},
                        input="x",
                    ),
                )
            ],
            tiers=[
                {"id": "good", "label": {"vi": "Khá", "en": "Good"}, "range": "[5, 8)"},
                {"id": "best", "label": {"vi": "Tốt", "en": "Best"}, "range": "[8, 10]"},
            ],
        )
    )
    result, _, _ = run(
        cs,
        {
            d: {"ent": d, "tax": f"010000000{i}", "prod": d, "x": x}
            for i, (d, x) in enumerate((("low", 2), ("mid", 6), ("top", 10)))
        },
    )
    tiers = result.outcome["tier"]
    assert pd.isna(tiers["low"]) and tiers["mid"] == "good" and tiers["top"] == "best"


def test_a_knockout_criterion_that_never_scores_zero_is_a_warning():
    """Issue #15: a knock-out on a rule without a 0-point answer knocks out only a missing answer."""
    never = OCOP_TEXT.replace("rule: {kind: yes_no, if_yes: 4, if_no: 0}", "rule: {kind: yes_no, if_yes: 4, if_no: 1}")
    assert never != OCOP_TEXT
    found = [m for m in rendered(never) if "knockout-never-zero" in m]
    assert found == [
        f"c.yaml:{line_of(never, 'id: c2_safety_tests')} groups[2].criteria[4]: Criterion 'c2_safety_tests' is a "
        "knock-out (0 points fails the product), but no answer scores 0 on it (the lowest is 1): it knocks out "
        "only a missing answer. [criteria-knockout-never-zero]"
    ]
    assert [m for m in rendered(OCOP_TEXT) if "knockout-never-zero" in m] == []
