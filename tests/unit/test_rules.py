"""Rule kinds at and around their edges: Interval, bands, linear, yes_no, choice, council."""

from __future__ import annotations

import math

import numpy as np
import pytest
from pydantic import ValidationError

from spcncl_score.criteria.rules import (
    RULES,
    BandsRule,
    ChoiceRule,
    CouncilRule,
    Interval,
    LinearRule,
    YesNoRule,
)
from spcncl_score.scoring.engine import BASIS_MISSING, BASIS_NO_BAND
from tests.helpers import build, codes, crit, criteria_dict, fld, group, run

EPS = 1e-9
nan = math.nan


def bands(*pairs: tuple[str, float], **kw) -> BandsRule:
    return BandsRule.model_validate({"kind": "bands", "bands": [{"range": r, "points": p} for r, p in pairs], **kw})


def linear(v0: float, p0: float, v1: float, p1: float) -> LinearRule:
    return LinearRule.model_validate(
        {"kind": "linear", "from": {"value": v0, "points": p0}, "to": {"value": v1, "points": p1}}
    )


def arr(*xs: float) -> np.ndarray:
    return np.array(xs, dtype=float)


# -- Interval parsing ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lo", "hi", "lo_closed", "hi_closed", "rendered"),
    [
        ("[10, 50)", 10, 50, True, False, "[10, 50)"),
        ("(10, 50]", 10, 50, False, True, "(10, 50]"),
        ("[10,50]", 10, 50, True, True, "[10, 50]"),
        ("  ( 10 , 50 )  ", 10, 50, False, False, "(10, 50)"),
        ("(-inf, 0)", -math.inf, 0, False, False, "(-inf, 0)"),
        ("[15, +inf)", 15, math.inf, True, False, "[15, +inf)"),
        ("[15, inf)", 15, math.inf, True, False, "[15, +inf)"),
        ("(-∞, ∞)", -math.inf, math.inf, False, False, "(-inf, +inf)"),
        ("(-INF, +Inf)", -math.inf, math.inf, False, False, "(-inf, +inf)"),
        ("[5, 5]", 5, 5, True, True, "[5, 5]"),
        ("[1e3, 2.5e3)", 1000, 2500, True, False, "[1000, 2500)"),
        ("[-2.5, -0.5]", -2.5, -0.5, True, True, "[-2.5, -0.5]"),
    ],
)
def test_interval_parse_valid(text, lo, hi, lo_closed, hi_closed, rendered):
    iv = Interval.parse(text)
    assert (iv.lo, iv.hi, iv.lo_closed, iv.hi_closed) == (lo, hi, lo_closed, hi_closed)
    assert iv.render() == rendered
    assert Interval.parse(iv.render()) == iv  # render round-trips


SHAPE_HELP = (
    "is not a range such as '[10, 50)': '[' or ']' includes an edge, '(' or ')' excludes it, -inf/+inf for open ends"
)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[10; 50)", f"'[10; 50)' {SHAPE_HELP}"),
        ("10, 50", f"'10, 50' {SHAPE_HELP}"),
        ("[10, 50", f"'[10, 50' {SHAPE_HELP}"),
        ("[1, 2, 3]", f"'[1, 2, 3]' {SHAPE_HELP}"),
        ("", f"'' {SHAPE_HELP}"),
        ("{10, 50}", f"'{{10, 50}}' {SHAPE_HELP}"),
        ("[a, 5)", "'a' is not a number (in a range such as '[10, 50)')"),
        ("[0, 1.2.3)", "'1.2.3' is not a number (in a range such as '[10, 50)')"),
        ("[50, 10)", "'[50, 10)' is empty: the lower edge must be below the upper edge"),
        ("[5, 5)", "'[5, 5)' is empty: the lower edge must be below the upper edge"),
        ("(5, 5]", "'(5, 5]' is empty: the lower edge must be below the upper edge"),
        ("(5, 5)", "'(5, 5)' is empty: the lower edge must be below the upper edge"),
        ("[inf, 5)", "'[inf, 5)' is empty: the lower edge must be below the upper edge"),
        ("[-inf, 0)", "'[-inf, 0)': an infinite edge must be open, as in '(-inf, 0)'"),
        ("(0, +inf]", "'(0, +inf]': an infinite edge must be open, as in '(-inf, 0)'"),
    ],
)
def test_interval_parse_invalid_exact_message(text, message):
    with pytest.raises(ValueError) as exc:
        Interval.parse(text)
    assert str(exc.value) == message


@pytest.mark.parametrize("text", ["[nan, 5)", "[0, nan]"])
def test_interval_parse_rejects_nan_edge(text):
    with pytest.raises(ValueError):
        Interval.parse(text)


def test_loader_rejects_nan_band_edge():
    from spcncl_score.criteria.loader import parse_criteria
    from tests.helpers import to_yaml

    rule = {
        "kind": "bands",
        "bands": [
            {"range": "(-inf, 0)", "points": 0},
            {"range": "[0, nan)", "points": 5},
            {"range": "[5, +inf)", "points": 10},
        ],
    }
    text = to_yaml(criteria_dict(fields=[fld("x")], groups=[group("g", crit("c", 10, rule, input="x"))]))
    cs, _ = parse_criteria(text)
    assert cs is None


# each bracket combination, at exactly the edge and 1e-9 either side
@pytest.mark.parametrize(
    ("text", "expect_lo", "expect_hi"),
    [
        # (below lo, at lo, above lo), (below hi, at hi, above hi)
        ("[10, 50)", (False, True, True), (True, False, False)),
        ("(10, 50]", (False, False, True), (True, True, False)),
        ("[10, 50]", (False, True, True), (True, True, False)),
        ("(10, 50)", (False, False, True), (True, False, False)),
    ],
)
def test_interval_edges(text, expect_lo, expect_hi):
    iv = Interval.parse(text)
    assert tuple(iv.contains(x) for x in (10 - EPS, 10, 10 + EPS)) == expect_lo
    assert tuple(iv.contains(x) for x in (50 - EPS, 50, 50 + EPS)) == expect_hi
    mask = iv.mask(arr(10 - EPS, 10, 10 + EPS, 50 - EPS, 50, 50 + EPS))
    assert tuple(mask) == expect_lo + expect_hi


def test_interval_open_ends_and_nan():
    iv = Interval.parse("(-inf, +inf)")
    assert iv.contains(-1e300) and iv.contains(1e300) and iv.contains(0)
    assert not iv.contains(nan)
    assert not iv.contains(math.inf)  # an open infinite edge excludes infinity itself
    assert not Interval.parse("[0, 1]").contains(nan)


# -- bands ------------------------------------------------------------------------------

GROWTH = (("(-inf, 0)", 0), ("[0, 5)", 4), ("[5, 10)", 8), ("[10, 15)", 12), ("[15, +inf)", 15))


def test_bands_each_edge():
    rule = bands(*GROWTH)
    x = arr(-EPS, 0, 5 - EPS, 5, 10 - EPS, 10, 15 - EPS, 15, 15 + EPS, -1e9, 1e9)
    res = rule.score(x)
    assert list(res.points) == [0, 4, 4, 8, 8, 12, 12, 15, 15, 0, 15]
    assert list(res.matched) == [
        "(-inf, 0)",
        "[0, 5)",
        "[0, 5)",
        "[5, 10)",
        "[5, 10)",
        "[10, 15)",
        "[10, 15)",
        "[15, +inf)",
        "[15, +inf)",
        "(-inf, 0)",
        "[15, +inf)",
    ]
    assert res.in_range.all()
    assert res.points.dtype == np.float64 and res.matched.dtype == object


def test_bands_nan_input_gives_nan_points():
    res = bands(*GROWTH).score(arr(nan, 7))
    assert math.isnan(res.points[0]) and res.points[1] == 8
    assert list(res.matched) == ["", "[5, 10)"]
    assert list(res.in_range) == [True, True]  # missing is not "out of range"


def test_bands_value_in_no_band():
    rule = bands(("[0, 5)", 2), ("[10, 20]", 6))
    res = rule.score(arr(7, 5, 20 + EPS, -1, 20, nan))
    assert list(res.points[:5]) == [0, 0, 0, 0, 6]
    assert math.isnan(res.points[5])
    assert list(res.in_range) == [False, False, False, False, True, True]
    assert list(res.matched) == ["", "", "", "", "[10, 20]", ""]


def test_bands_first_band_wins_when_bands_overlap():
    res = bands(("[0, 10]", 3), ("[10, 20]", 7)).score(arr(10))
    assert res.points[0] == 3 and res.matched[0] == "[0, 10]"


def test_bands_lower_is_better_table():
    rule = bands(("(-inf, 10]", 10), ("(10, 20]", 5), ("(20, +inf)", 0), direction="lower")
    assert list(rule.score(arr(10, 10 + EPS, 20, 20 + EPS)).points) == [10, 5, 5, 0]


def test_bands_empty_input():
    res = bands(*GROWTH).score(arr())
    assert res.points.shape == (0,) and res.in_range.shape == (0,)


def test_bands_max_points_and_describe():
    rule = bands(*GROWTH)
    assert rule.max_points() == 15
    assert rule.describe() == "(-inf, 0) → 0; [0, 5) → 4; [5, 10) → 8; [10, 15) → 12; [15, +inf) → 15"
    assert rule.describe("en") == rule.describe("vi")
    assert bands(("[0.5, 1.25]", 2.5)).describe() == "[0.5, 1.25] → 2.5"


def test_band_points_must_not_be_negative():
    with pytest.raises(ValidationError):
        bands(("[0, 5)", -1))


def test_band_invalid_range_is_a_validation_error():
    with pytest.raises(ValidationError) as exc:
        bands(("[5, 0)", 1))
    assert "'[5, 0)' is empty: the lower edge must be below the upper edge" in str(exc.value)


def _one_criterion_set(rule: dict, ftype: str = "number", **field_kw):
    return build(
        criteria_dict(fields=[fld("x", ftype, **field_kw)], groups=[group("g", crit("c", 10, rule, input="x"))])
    )


def test_engine_treats_nan_band_points_as_missing():
    cs = _one_criterion_set(
        {"kind": "bands", "bands": [{"range": "(-inf, 5)", "points": 0}, {"range": "[5, +inf)", "points": 10}]}
    )
    res, _, _ = run(cs, {"a.xlsx": {"x": None}, "b.xlsx": {"x": 5}})
    assert res.points["c"].tolist() == [0, 10]
    assert res.basis["c"].tolist() == [BASIS_MISSING, "computed"]
    assert res.matched["c"].tolist() == ["", "[5, +inf)"]
    assert codes(res.issues) == ["score-missing-input"]
    assert res.issues[0].render("en") == (
        "a.xlsx [c]: Criterion 'c': 'x' could not be computed from the figures given; scored 0. [score-missing-input]"
    )


def test_engine_reports_value_in_no_band():
    cs = _one_criterion_set(
        {
            "kind": "bands",
            "domain": "[0, 100]",
            "bands": [{"range": "[0, 50)", "points": 5}, {"range": "[50, 100]", "points": 10}],
        }
    )
    res, _, _ = run(cs, {"a.xlsx": {"x": 150}, "b.xlsx": {"x": 100}})
    assert res.points["c"].tolist() == [0, 10]
    assert res.basis["c"].tolist() == [BASIS_NO_BAND, "computed"]
    assert codes(res.issues) == ["score-no-band"]
    assert res.issues[0].render("en") == (
        "a.xlsx [c]: Criterion 'c': value 150 falls in no band; scored 0. [score-no-band]"
    )


# -- linear -----------------------------------------------------------------------------


def test_linear_at_below_above_anchors():
    rule = linear(10, 0, 20, 10)
    res = rule.score(arr(5, 10, 10 + EPS, 15, 20 - EPS, 20, 25, nan))
    assert res.points[:7] == pytest.approx([0, 0, 1e-9, 5, 10 - 1e-9, 10, 10])
    assert math.isnan(res.points[7])
    assert list(res.matched) == [
        "≤ 10",
        "≤ 10",
        "nội suy / interpolated",
        "nội suy / interpolated",
        "nội suy / interpolated",
        "≥ 20",
        "≥ 20",
        "",
    ]
    assert res.in_range.all()


def test_linear_decreasing_lower_is_better():
    rule = linear(0, 10, 100, 0)
    res = rule.score(arr(-5, 0, 25, 50, 100, 150))
    assert list(res.points) == [10, 10, 7.5, 5, 0, 0]
    assert rule.max_points() == 10


def test_linear_anchor_points_not_starting_at_zero():
    rule = linear(500, 2, 3000, 10)
    assert list(rule.score(arr(0, 500, 1750, 3000, 1e9)).points) == [2, 2, 6, 10, 10]
    assert rule.max_points() == 10


@pytest.mark.parametrize(("v0", "v1"), [(10, 10), (20, 10)])
def test_linear_anchor_order_enforced(v0, v1):
    with pytest.raises(ValidationError) as exc:
        linear(v0, 0, v1, 10)
    assert "the 'from' anchor's value must be below the 'to' anchor's value" in str(exc.value)


def test_linear_describe():
    rule = linear(500, 0, 3000, 10)
    assert rule.describe() == "nội suy: 500 → 0, 3000 → 10"
    assert rule.describe("en") == "linear: 500 → 0, 3000 → 10"
    assert linear(0.5, 1.5, 2.25, 3).describe("en") == "linear: 0.5 → 1.5, 2.25 → 3"


# -- yes / no ---------------------------------------------------------------------------


def test_yes_no_scores():
    rule = YesNoRule.model_validate({"kind": "yes_no", "if_yes": 8, "if_no": 2})
    res = rule.score(arr(1, 0, nan, 0.5, 0.51))
    assert list(res.points[:2]) == [8, 2] and math.isnan(res.points[2])
    assert list(res.points[3:]) == [2, 8]  # 0.5 is not yes; anything above is
    assert list(res.matched) == ["Có / Yes", "Không / No", "", "Không / No", "Có / Yes"]
    assert res.in_range.all()
    assert rule.max_points() == 8


def test_yes_no_defaults_and_reverse_scoring():
    assert YesNoRule.model_validate({"kind": "yes_no", "if_yes": 5}).if_no == 0
    rule = YesNoRule.model_validate({"kind": "yes_no", "if_yes": 0, "if_no": 5})  # e.g. "has violations"
    assert list(rule.score(arr(1, 0)).points) == [0, 5]
    assert rule.max_points() == 5


def test_yes_no_bare_yes_key_is_rejected():
    # YAML 1.1 reads a bare 'yes:' key as True: the model must not silently accept it
    with pytest.raises(ValidationError):
        YesNoRule.model_validate({"kind": "yes_no", True: 5})


def test_yes_no_describe():
    rule = YesNoRule.model_validate({"kind": "yes_no", "if_yes": 8})
    assert rule.describe() == "Có → 8; Không → 0"
    assert rule.describe("en") == "Yes → 8; No → 0"


# -- choice -----------------------------------------------------------------------------


def test_choice_known_unknown_missing():
    rule = ChoiceRule.model_validate({"kind": "choice", "points": {"low": 1, "mid": 3, "high": 5}})
    x = np.array(["high", "low", "unheard_of", None, nan, "mid"], dtype=object)
    res = rule.score(x)
    assert list(res.points[[0, 1, 2, 5]]) == [5, 1, 0, 3]
    assert math.isnan(res.points[3]) and math.isnan(res.points[4])
    assert list(res.in_range) == [True, True, False, True, True, True]
    assert list(res.matched) == ["high", "low", "", "", "", "mid"]
    assert rule.max_points() == 5


def test_choice_describe():
    rule = ChoiceRule.model_validate({"kind": "choice", "points": {"a": 1, "b": 2.5}})
    assert rule.describe() == "a → 1; b → 2.5"


def test_choice_needs_at_least_one_value():
    with pytest.raises(ValidationError):
        ChoiceRule.model_validate({"kind": "choice", "points": {}})


# -- council ----------------------------------------------------------------------------


def test_council_describe_and_max():
    bare = CouncilRule.model_validate({"kind": "council"})
    assert bare.max_points() == math.inf
    assert bare.describe() == "Hội đồng chấm 0..tối đa"
    assert bare.describe("en") == "Scored 0..max by the council"
    rubric = CouncilRule.model_validate({"kind": "council", "rubric": {"vi": "0–3: thủ công", "en": "0–3: manual"}})
    assert rubric.describe() == "Hội đồng chấm 0..tối đa: 0–3: thủ công"
    assert rubric.describe("en") == "Scored 0..max by the council: 0–3: manual"


def test_rule_registry():
    assert set(RULES) == {"bands", "linear", "yes_no", "choice", "council"}
    assert RULES["bands"] is BandsRule and RULES["council"] is CouncilRule
