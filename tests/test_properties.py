"""Property-based tests (hypothesis): invariants of rules, scoring, ranking and number reading."""

from __future__ import annotations

import contextlib
import math
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from spcncl_score.criteria.models import CriteriaSet
from spcncl_score.criteria.rules import BandsRule, LinearRule
from spcncl_score.intake.names import input_slots
from spcncl_score.intake.numbers import NumberError, parse_number
from spcncl_score.scoring.engine import score
from spcncl_score.scoring.ranking import rank

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
FRAME_SETTINGS = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)

finite = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False)
values = st.one_of(finite, st.just(math.nan), st.sampled_from([0.0, -0.0, 1e-9, -1e-9]))
points = st.floats(min_value=0, max_value=100, allow_nan=False)


@st.composite
def band_tables(draw, monotone: bool = False):
    """Contiguous bands over (-inf, +inf) with random closed/open edges."""
    edges = sorted(set(draw(st.lists(finite, min_size=0, max_size=6))))
    pts = draw(st.lists(points, min_size=len(edges) + 1, max_size=len(edges) + 1))
    if monotone:
        pts = sorted(pts)
    bounds = [-math.inf, *edges, math.inf]
    bands = []
    closed_low = [draw(st.booleans()) for _ in edges]  # is edge i closed on its upper band?
    for i in range(len(bounds) - 1):
        lo, hi = bounds[i], bounds[i + 1]
        lo_b = "(" if i == 0 or not closed_low[i - 1] else "["
        hi_b = ")" if i == len(bounds) - 2 or closed_low[i] else "]"
        fmt = lambda v: "-inf" if v == -math.inf else "+inf" if v == math.inf else repr(v)  # noqa: E731
        bands.append({"range": f"{lo_b}{fmt(lo)}, {fmt(hi)}{hi_b}", "points": pts[i]})
    return BandsRule.model_validate({"kind": "bands", "bands": bands})


@SETTINGS
@given(band_tables(), st.lists(values, min_size=1, max_size=20))
def test_bands_points_within_zero_and_max(rule, xs):
    res = rule.score(np.array(xs, dtype=float))
    x = np.array(xs, dtype=float)
    assert np.array_equal(np.isnan(res.points), np.isnan(x))
    p = res.points[~np.isnan(res.points)]
    assert ((p >= 0) & (p <= rule.max_points())).all()
    assert res.in_range.all()  # a table over (-inf, +inf) leaves no finite value out


@SETTINGS
@given(band_tables(monotone=True), finite, finite)
def test_higher_monotone_bands_never_lower_points(rule, a, b):
    lo, hi = min(a, b), max(a, b)
    p = rule.score(np.array([lo, hi]))
    assert p.points[0] <= p.points[1]


@SETTINGS
@given(finite, finite, points, points, st.lists(values, min_size=1, max_size=20))
def test_linear_clipped_within_anchor_points(v0, v1, p0, p1, xs):
    assume(v0 < v1)
    rule = LinearRule.model_validate(
        {"kind": "linear", "from": {"value": v0, "points": p0}, "to": {"value": v1, "points": p1}}
    )
    x = np.array(xs, dtype=float)
    res = rule.score(x).points
    ok = ~np.isnan(x)
    assert np.array_equal(np.isnan(res), ~ok)
    assert (res[ok] >= min(p0, p1) - 1e-9).all() and (res[ok] <= max(p0, p1) + 1e-9).all()
    assert (res[ok & (x <= v0)] == p0).all() and (res[ok & (x >= v1)] == p1).all()


# -- whole Hanoi set ------------------------------------------------------------------------

AMOUNTS = st.one_of(
    st.sampled_from([0.0, 1.0, 10.0, 100.0, 100.0, 300.0, 1000.0, math.nan]),
    st.floats(min_value=0, max_value=5000, allow_nan=False),
)


def _cell(cs: CriteriaSet, fid: str):
    f = cs.field(fid)
    assert f is not None
    if f.type == "yes_no":
        return st.sampled_from([0.0, 1.0, 1.0, math.nan])
    if f.type == "choice":
        return st.sampled_from([*f.choice_values(), None])
    if f.type == "integer":
        return st.one_of(st.sampled_from([1.0, 10.0, 100.0, math.nan]), st.integers(1, 5000).map(float))
    if f.type == "number":
        if fid == "export_usd":
            return st.one_of(st.sampled_from([0.0, 1e6, math.nan]), st.floats(min_value=0, max_value=1e8))
        return AMOUNTS
    return st.sampled_from(["Công ty A", "Công ty B", "0100000001", "0100000002"])


@st.composite
def hanoi_dossiers(draw, cs: CriteriaSet):
    n = draw(st.integers(min_value=1, max_value=8))
    names = [f"d{i:02d}.xlsx" for i in range(n)]
    cols: dict[str, list] = {}
    for _, fid, k in input_slots(cs):
        key = fid if k is None else f"{fid}@{k}"
        cols[key] = [draw(_cell(cs, fid)) for _ in names]
    frame = pd.DataFrame(cols, index=pd.Index(names, name="dossier"))
    crit_ids = [c.id for _, c in cs.criteria()]
    self_score = st.one_of(st.just(math.nan), st.sampled_from([0.0, 5.0, 10.0]), st.floats(0, 12))
    selfs = pd.DataFrame({c: [draw(self_score) for _ in names] for c in crit_ids}, index=frame.index, dtype=float)
    return frame, selfs


def _score_and_rank(cs, frame, selfs):
    res = score(cs, frame, selfs)
    ranking, issues = rank(cs, res, frame, frame[cs.identity.tax_code])
    return res, ranking, issues


@FRAME_SETTINGS
@given(data=st.data())
def test_hanoi_total_within_zero_and_total_max(hanoi, data):
    frame, selfs = data.draw(hanoi_dossiers(hanoi))
    res = score(hanoi, frame, selfs)
    assert ((res.total >= 0) & (res.total <= hanoi.total_max)).all()
    for g in hanoi.groups:
        assert ((res.groups[g.id] >= 0) & (res.groups[g.id] <= g.max + 1e-9)).all()
    for _, c in hanoi.criteria():
        assert ((res.points[c.id] >= 0) & (res.points[c.id] <= c.max)).all()
    assert not res.total.isna().any()


@FRAME_SETTINGS
@given(data=st.data())
def test_shuffling_rows_changes_nobody(hanoi, data):
    frame, selfs = data.draw(hanoi_dossiers(hanoi))
    perm = data.draw(st.permutations(list(frame.index)))
    res1, rank1, issues1 = _score_and_rank(hanoi, frame, selfs)
    res2, rank2, issues2 = _score_and_rank(hanoi, frame.loc[perm], selfs.loc[perm])
    pd.testing.assert_frame_equal(res1.points, res2.points.loc[res1.points.index])
    pd.testing.assert_series_equal(res1.total, res2.total.loc[res1.total.index])
    pd.testing.assert_frame_equal(res1.outcome, res2.outcome.loc[res1.outcome.index])
    assert all(res1.reasons(d) == res2.reasons(d) for d in res1.index)
    # ranking: the same rows in the same report order, whatever the input order
    pd.testing.assert_frame_equal(rank1, rank2)
    assert sorted(i.render("en") for i in issues1) == sorted(i.render("en") for i in issues2)


@FRAME_SETTINGS
@given(data=st.data())
def test_ranking_is_deterministic_and_consistent(hanoi, data):
    frame, selfs = data.draw(hanoi_dossiers(hanoi))
    res, rank1, _ = _score_and_rank(hanoi, frame, selfs)
    _, rank2, _ = _score_and_rank(hanoi, frame, selfs)
    pd.testing.assert_frame_equal(rank1, rank2)
    rec = res.outcome["recognised"].loc[rank1.index].to_numpy(dtype=bool)
    ranks = rank1["rank"]
    assert ranks[~rec].isna().all() and ranks[rec].notna().all()
    # recognised first, then by total descending; ranks never decrease down the list
    assert list(rec) == sorted(rec, reverse=True)
    totals = res.total.loc[rank1.index][rec].to_numpy()
    assert (np.diff(totals) <= 1e-9).all()
    r = ranks[rec].to_numpy(dtype=int)
    assert (np.diff(r) >= 0).all()
    if len(r):
        assert r[0] == 1
    assert int(rank1["top"].sum()) <= (hanoi.ranking.top_n or len(rank1))


# -- numbers --------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.text(), st.sampled_from([None, "%", "USD", "tỷ đồng", "người", "triệu đồng", "kg"]))
def test_parse_number_raises_only_number_error(text, unit):
    try:
        value, notes = parse_number(text, unit)
    except NumberError:
        return
    assert isinstance(value, float)
    assert isinstance(notes, list)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789.,-+ %\u00a0\u202f$", max_size=16), st.sampled_from([None, "%", "USD"]))
def test_parse_number_number_like_text(text, unit):
    with contextlib.suppress(NumberError):
        parse_number(text, unit)


def test_number_error_is_a_value_error():
    assert issubclass(NumberError, ValueError)
    with pytest.raises(ValueError):
        parse_number("abc")


def vietnamese(d: Decimal) -> str:
    """Write a number the Vietnamese way: '.' between thousands, ',' before decimals."""
    sign = "-" if d < 0 else ""
    whole, _, frac = f"{abs(d):f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return sign + grouped + ("," + frac if frac else "")


@settings(max_examples=300, deadline=None)
@given(
    st.decimals(min_value=-(10**12), max_value=10**12, places=3, allow_nan=False, allow_infinity=False)
    | st.integers(min_value=-(10**12), max_value=10**12).map(Decimal)
)
def test_parse_number_round_trips_vietnamese_writing(d):
    text = vietnamese(d)
    value, _ = parse_number(text)
    assert value == float(d), text


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.234", 1234.0),
        ("1.234.567", 1234567.0),
        ("1.234,5", 1234.5),
        ("12,5", 12.5),
        ("0,001", 0.001),
        ("-1.000,25", -1000.25),
        ("1,234", 1.234),
    ],
)
def test_parse_number_examples(text, value):
    assert parse_number(text)[0] == value
