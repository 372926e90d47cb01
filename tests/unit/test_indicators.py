"""Every indicator kind, worked out by hand on a small frame."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from pydantic import TypeAdapter, ValidationError

from spcncl_score.criteria.indicators import INDICATORS, Indicator, year_column
from spcncl_score.criteria.rules import Interval
from spcncl_score.scoring.engine import compute_indicators
from tests.helpers import T, build, crit, criteria_dict, fld, group, make_frame

nan = math.nan
_ADAPTER = TypeAdapter(Indicator)

# rev@0 is the reporting year, rev@2 two years before
ROWS = {
    #            rev@0  rev@1  rev@2
    "steady": (121.0, 110.0, 100.0),  # +10 % a year
    "zero_old": (100.0, 50.0, 0.0),  # oldest year zero
    "neg_old": (40.0, 20.0, -10.0),  # oldest year negative
    "zero_mid": (50.0, 0.0, 100.0),  # a zero base in the middle
    "neg_new": (-10.0, 50.0, 100.0),  # newest negative
    "to_zero": (0.0, 50.0, 100.0),  # fell to nothing
    "gap": (30.0, nan, 10.0),  # a year missing
}


@pytest.fixture
def frame() -> pd.DataFrame:
    data = {f"rev@{k}": [v[k] for v in ROWS.values()] for k in range(3)}
    data["num"] = [10.0, 5.0, -6.0, 0.0, 7.0, nan, 1.0]
    data["den"] = [4.0, 0.0, 3.0, 0.0, -0.0, 2.0, nan]
    return pd.DataFrame(data, index=list(ROWS))


def resolver(frame: pd.DataFrame):
    def resolve(ref: str) -> pd.Series:
        return frame[ref].astype(float)

    return resolve


def indicator(kind: str, **kw):
    return _ADAPTER.validate_python({"id": "i", "label": T("i"), "kind": kind, **kw})


def compute(frame, kind, available=3, **kw) -> dict[str, float]:
    series = indicator(kind, **kw).compute(frame, resolver(frame), available)
    assert list(series.index) == list(frame.index)
    return series.to_dict()


def check(got: dict[str, float], expected: dict[str, float]) -> None:
    for key, want in expected.items():
        if math.isnan(want):
            assert math.isnan(got[key]), (key, got[key])
        else:
            assert got[key] == pytest.approx(want, rel=1e-12, abs=1e-12), (key, got[key], want)


def test_year_column():
    assert year_column("revenue", 0) == "revenue@0"
    assert year_column("revenue", 2) == "revenue@2"


def test_latest(frame):
    check(
        compute(frame, "latest", field="rev"), {"steady": 121, "zero_old": 100, "neg_new": -10, "to_zero": 0, "gap": 30}
    )


@pytest.mark.parametrize(
    ("offset", "expected"),
    [
        (0, {"steady": 121, "gap": 30}),
        (1, {"steady": 110, "zero_mid": 0, "gap": nan}),
        (2, {"steady": 100, "neg_old": -10, "gap": 10}),
    ],
)
def test_value_at(frame, offset, expected):
    check(compute(frame, "value_at", field="rev", offset=offset), expected)


def test_value_at_needs_offset_plus_one_years():
    assert indicator("value_at", field="rev", offset=2).yearly() == ("rev", 3)


def test_mean_all_years_and_window(frame):
    check(
        compute(frame, "mean", field="rev"),
        {"steady": 331 / 3, "zero_old": 50, "neg_old": 50 / 3, "to_zero": 50, "gap": nan},
    )
    check(compute(frame, "mean", field="rev", years=2), {"steady": 115.5, "zero_old": 75, "neg_new": 20, "gap": nan})
    check(compute(frame, "mean", field="rev", years=1), {"steady": 121, "gap": 30})


def test_sum_of_years(frame):
    check(compute(frame, "sum", field="rev"), {"steady": 331, "neg_old": 50, "to_zero": 150, "gap": nan})
    check(compute(frame, "sum", field="rev", years=2), {"steady": 231, "zero_mid": 50, "gap": nan})


def test_sum_of_values(frame):
    check(
        compute(frame, "sum", of=["num", "den"]),
        {"steady": 14, "zero_old": 5, "neg_old": -3, "zero_mid": 0, "to_zero": nan, "gap": nan},
    )


def test_sum_needs_exactly_one_form():
    for kw in ({}, {"field": "rev", "of": ["a"]}):
        with pytest.raises(ValidationError) as exc:
            indicator("sum", **kw)
        assert "give either 'field' (a yearly field) or 'of' (a list of values), not both" in str(exc.value)


def test_avg_growth(frame):
    # mean of year-on-year growth in percent; any base <= 0 makes the whole indicator NaN
    check(
        compute(frame, "avg_growth", field="rev"),
        {
            "steady": 10.0,  # (121/110 - 1) and (110/100 - 1), both 10 %
            "zero_old": nan,  # 50 / 0
            "neg_old": nan,  # 20 / -10
            "zero_mid": nan,  # 50 / 0
            "neg_new": -85.0,  # (-10/50 - 1) = -120 %, (50/100 - 1) = -50 %
            "to_zero": -75.0,  # -100 %, -50 %
            "gap": nan,
        },
    )
    check(
        compute(frame, "avg_growth", field="rev", years=2),
        {"steady": 10.0, "zero_old": 100.0, "neg_old": 100.0, "zero_mid": nan, "neg_new": -120.0},
    )


def test_cagr(frame):
    check(
        compute(frame, "cagr", field="rev"),
        {
            "steady": 10.0,  # (121/100)^(1/2) - 1
            "zero_old": nan,  # zero base
            "neg_old": nan,  # negative base
            "zero_mid": (math.sqrt(0.5) - 1) * 100,  # only the ends count
            "neg_new": nan,  # negative newest value
            "to_zero": -100.0,
            "gap": math.sqrt(3) * 100 - 100,  # the missing middle year does not matter
        },
    )
    check(
        compute(frame, "cagr", field="rev", years=2),
        {"steady": 10.0, "zero_old": 100.0, "neg_old": 100.0, "zero_mid": nan, "gap": nan},
    )


def test_ratio(frame):
    check(
        compute(frame, "ratio", numerator="num", denominator="den"),
        {
            "steady": 2.5,
            "zero_old": nan,  # 5 / 0
            "neg_old": -2.0,
            "zero_mid": nan,  # 0 / 0
            "neg_new": nan,  # 7 / -0.0
            "to_zero": nan,  # NaN numerator
            "gap": nan,  # NaN denominator
        },
    )
    check(compute(frame, "ratio", numerator="num", denominator="den", scale=1000), {"steady": 2500, "neg_old": -2000})


def test_formulas():
    assert indicator("latest", field="rev").formula() == "rev[N]"
    assert indicator("value_at", field="rev", offset=2).formula() == "rev[N-2]"
    assert indicator("mean", field="rev").formula() == "mean(rev, all years)"
    assert indicator("mean", field="rev", years=2).formula() == "mean(rev, 2 years)"
    assert indicator("sum", of=["a", "b"]).formula() == "a + b"
    assert indicator("sum", field="rev").formula() == "sum(rev)"
    assert indicator("ratio", numerator="a", denominator="b").formula() == "a / b"
    assert indicator("ratio", numerator="a", denominator="b", scale=0.0025).formula() == "a / b × 0.0025"


def test_registry():
    assert set(INDICATORS) == {"latest", "value_at", "mean", "sum", "avg_growth", "cagr", "ratio"}


# -- through the engine: chaining and the default window ----------------------------------


@pytest.fixture(scope="module")
def chained():
    return build(
        criteria_dict(
            fields=[fld("rev", years=3), fld("workers", "integer", years=3)],
            indicators=[
                {"id": "rev_n", "kind": "latest", "field": "rev", "label": T("r")},
                {"id": "workers_n", "kind": "latest", "field": "workers", "label": T("w")},
                {
                    "id": "per_worker",
                    "kind": "ratio",
                    "numerator": "rev_n",
                    "denominator": "workers_n",
                    "scale": 1000,
                    "label": T("p"),
                },
                {"id": "rev_mean", "kind": "mean", "field": "rev", "label": T("m")},
                {"id": "rev_cagr2", "kind": "cagr", "field": "rev", "years": 2, "label": T("c")},
                {"id": "both", "kind": "sum", "of": ["rev_n", "workers_n"], "label": T("s")},
            ],
            groups=[
                group(
                    "g",
                    crit(
                        "c",
                        10,
                        {"kind": "linear", "from": {"value": 0, "points": 0}, "to": {"value": 100, "points": 10}},
                        input="per_worker",
                    ),
                )
            ],
        )
    )


def test_engine_chains_indicators_and_uses_field_years(chained):
    rows = {
        "a": {"rev@0": 12, "rev@1": 10, "rev@2": 5, "workers@0": 200, "workers@1": 150, "workers@2": 100},
        "b": {"rev@0": 7, "rev@1": 7, "rev@2": None, "workers@0": 0, "workers@1": 1, "workers@2": 1},
    }
    ind = compute_indicators(chained, make_frame(chained, rows))
    assert list(ind.columns) == ["rev_n", "workers_n", "per_worker", "rev_mean", "rev_cagr2", "both"]
    a, b = ind.loc["a"], ind.loc["b"]
    assert a["per_worker"] == pytest.approx(60.0)  # 12 / 200 × 1000
    assert a["rev_mean"] == pytest.approx(9.0)  # all 3 declared years by default
    assert a["rev_cagr2"] == pytest.approx(20.0)  # 12 / 10 over one year
    assert a["both"] == 212
    assert math.isnan(b["per_worker"])  # zero workers
    assert math.isnan(b["rev_mean"])  # a missing year
    assert b["rev_cagr2"] == pytest.approx(0.0)


def test_avg_growth_of_exact_percentages_lands_on_the_band_edge(hanoi):
    # the raw float is 14.999999999999991; the engine rounds indicators so the band edge holds
    from spcncl_score.scoring.engine import compute_indicators

    cols = {f"{f}@{k}": [1.0] for f in ("export_usd", "workers", "budget_contribution") for k in range(3)}
    frame = pd.DataFrame({**cols, "revenue@0": [132.25], "revenue@1": [115.0], "revenue@2": [100.0]})
    value = compute_indicators(hanoi, frame)["revenue_growth"].iloc[0]
    assert Interval.parse("[15, +inf)").contains(value), value


def test_cagr_window_covers_oldest_year_only(frame):
    # cagr uses only rev@0 and rev@(n-1); the middle year being NaN must not matter
    got = compute(frame, "cagr", field="rev")
    assert not np.isnan(got["gap"])
