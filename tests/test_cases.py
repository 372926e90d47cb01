"""Data-driven scoring cases (sqlfluff style): tests/cases/*.yml, one pytest param per case.

Each file maps case names to cases; top-level keys starting with '_' hold YAML anchors only.
A case:

    case_name:
      description: what it shows                  # optional
      xfail: "BUG: ..."                           # optional: a strict xfail documenting a bug
      criteria: {...}                             # a full criteria set as a mapping,
                                                  # or the name of a shipped set ('hanoi-spcncl')
      dossiers:
        a.xlsx:                                   # dossier name -> value key -> value
          x: 12                                   # numbers, yes/no (true/false) become floats
          rev@0: 100                              # yearly values by 'field@offset'
          self_scores: {c2: 5}                    # optional
      expect:                                     # every key optional
        points: {a.xlsx: {c1: 5}}                 # per criterion
        basis: {a.xlsx: {c1: computed}}
        indicators: {a.xlsx: {growth: 10}}        # null for NaN
        groups: {a.xlsx: {g: 5}}
        totals: {a.xlsx: 5}
        eligible / passed / recognised: {a.xlsx: true}
        tiers: {a.xlsx: star_3}
        reasons: {a.xlsx: [reason-knockout]}      # reason codes, any order
        ranks: {a.xlsx: 1, b.xlsx: null}          # null: not ranked
        order: [a.xlsx, b.xlsx]                   # report order
        top / top_tie / capped / tied: {a.xlsx: true}
        separated_by: {a.xlsx: g1}
        issues: [rank-unbroken-tie]               # issue codes from scoring and ranking, any order
        issue_texts: ["..."]                      # rendered in English; each must appear

Text identity fields a dossier does not give default to the dossier's name.
"""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml

from spcncl_score.criteria.loader import load_criteria, parse_criteria
from spcncl_score.criteria.models import CriteriaSet
from tests.helpers import run

CASES_DIR = Path(__file__).parent / "cases"
EXPECT_KEYS = {
    "points",
    "basis",
    "indicators",
    "groups",
    "totals",
    "eligible",
    "passed",
    "recognised",
    "tiers",
    "reasons",
    "ranks",
    "order",
    "top",
    "top_tie",
    "capped",
    "tied",
    "separated_by",
    "issues",
    "issue_texts",
}


def _load_cases() -> list[Any]:
    params = []
    for path in sorted(CASES_DIR.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert isinstance(data, dict), path
        for name, case in data.items():
            if str(name).startswith("_"):
                continue
            marks = []
            if case.get("xfail"):
                marks.append(pytest.mark.xfail(reason=case["xfail"], strict=True))
            params.append(pytest.param(case, id=f"{path.stem}-{name}", marks=marks))
    return params


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "case" in metafunc.fixturenames:
        metafunc.parametrize("case", _load_cases())


def test_there_are_enough_cases():
    files = sorted(CASES_DIR.glob("*.yml"))
    assert len(files) >= 3
    assert len(_load_cases()) >= 12


def _criteria(spec: Any) -> CriteriaSet:
    if isinstance(spec, str):
        cs, issues = load_criteria(spec)
    else:
        cs, issues = parse_criteria(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), "case.yaml")
    errors = [i.render("en") for i in issues if i.is_error]
    assert cs is not None and not errors, errors
    return cs


def _rows(cs: CriteriaSet, dossiers: dict[str, dict[str, Any]]) -> tuple[dict, dict]:
    rows, selfs = {}, {}
    ident = cs.identity
    for name, given in dossiers.items():
        given = dict(given or {})
        selfs[name] = given.pop("self_scores", {}) or {}
        for role in (ident.enterprise, ident.tax_code, ident.product):
            given.setdefault(role, name)
        rows[name] = given
    return rows, selfs


def _same(got: Any, want: Any) -> bool:
    if want is None:
        return got is None or (isinstance(got, float) and math.isnan(got)) or got is pd.NA
    if isinstance(want, bool) or isinstance(got, bool):
        return bool(got) == want
    if isinstance(want, (int, float)):
        try:
            return math.isclose(float(got), float(want), rel_tol=0, abs_tol=1e-9)
        except (TypeError, ValueError):
            return False
    return got == want


def _check_table(label: str, frame: pd.DataFrame, expected: dict[str, dict[str, Any]]) -> None:
    for dossier, cols in expected.items():
        for col, want in cols.items():
            got = frame.loc[dossier, col]
            got = got.item() if hasattr(got, "item") else got
            assert _same(got, want), f"{label}[{dossier}][{col}]: got {got!r}, expected {want!r}"


def _check_column(label: str, series: pd.Series, expected: dict[str, Any]) -> None:
    for dossier, want in expected.items():
        got = series.loc[dossier]
        got = got.item() if hasattr(got, "item") else got
        assert _same(got, want), f"{label}[{dossier}]: got {got!r}, expected {want!r}"


def test_case(case: dict[str, Any]) -> None:
    expect = case.get("expect") or {}
    assert set(expect) <= EXPECT_KEYS, set(expect) - EXPECT_KEYS
    cs = _criteria(case["criteria"])
    rows, selfs = _rows(cs, case["dossiers"])
    result, ranking, rank_issues = run(cs, rows, selfs)

    _check_table("points", result.points, expect.get("points", {}))
    _check_table("basis", result.basis, expect.get("basis", {}))
    _check_table("indicators", result.indicators, expect.get("indicators", {}))
    _check_table("groups", result.groups, expect.get("groups", {}))
    _check_column("totals", result.total, expect.get("totals", {}))
    for key in ("eligible", "passed", "recognised"):
        _check_column(key, result.outcome[key], expect.get(key, {}))
    _check_column("tiers", result.outcome["tier"], expect.get("tiers", {}))
    for dossier, want in expect.get("reasons", {}).items():
        got = sorted(r.code for r in result.reasons(dossier))
        assert got == sorted(want), f"reasons[{dossier}]: {got}"

    _check_column("ranks", ranking["rank"], expect.get("ranks", {}))
    for key in ("top", "top_tie", "capped", "tied", "separated_by"):
        _check_column(key, ranking[key], expect.get(key, {}))
    if "order" in expect:
        assert ranking.index.tolist() == expect["order"]

    issues = result.issues + rank_issues
    if "issues" in expect:
        assert Counter(i.code for i in issues) == Counter(expect["issues"]), [i.render("en") for i in issues]
    rendered = [i.render("en") for i in issues]
    for text in expect.get("issue_texts", []):
        assert text in rendered, rendered
