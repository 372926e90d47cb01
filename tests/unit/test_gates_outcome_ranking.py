"""Gates, outcome (pass mark, minimums, knockout, tiers) and ranking on small inline sets."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from spcncl_score.criteria.loader import parse_criteria
from spcncl_score.criteria.models import CriteriaSet
from spcncl_score.i18n import render_reason
from tests.helpers import T, build, codes, council, criteria_dict, fld, group, run, to_yaml

nan = math.nan

GATE_FIELDS = [
    fld("n", "number"),
    fld("m", "number"),
    fld("yn", "yes_no"),
    fld("yn2", "yes_no"),
    fld("k", "choice", choices=[{"value": v, "label": T(v)} for v in ("a", "b", "c")]),
    fld("t", "text"),
]


def gate_set(gates: dict, **kw) -> CriteriaSet:
    return build(criteria_dict(fields=GATE_FIELDS, groups=[group("g", council("c", 10))], gates=gates, **kw))


def gate_columns(gates: dict, rows: dict[str, dict]) -> pd.DataFrame:
    res, _, _ = run(gate_set(gates), rows)
    return res.gates


def root(gates: dict, rows: dict[str, dict]) -> list[bool]:
    return gate_columns(gates, rows).iloc[:, 0].tolist()


N_ROWS = {"four": {"n": 4}, "five": {"n": 5}, "six": {"n": 6}, "none": {"n": None}}


@pytest.mark.parametrize(
    ("op", "expected"),
    [
        ("eq", [False, True, False, False]),
        ("ne", [True, False, True, False]),  # missing never passes, not even 'ne'
        ("gt", [False, False, True, False]),
        ("ge", [False, True, True, False]),
        ("lt", [True, False, False, False]),
        ("le", [True, True, False, False]),
    ],
)
def test_numeric_ops(op, expected):
    assert root({"ref": "n", "op": op, "value": 5}, N_ROWS) == expected


def test_numeric_op_with_decimal_value():
    rows = {"a": {"n": 2.4999}, "b": {"n": 2.5}}
    assert root({"ref": "n", "op": "ge", "value": 2.5}, rows) == [False, True]


K_ROWS = {"a": {"k": "a"}, "b": {"k": "b"}, "c": {"k": "c"}, "none": {"k": None}}


@pytest.mark.parametrize(
    ("op", "value", "expected"),
    [
        ("in", ["a", "c"], [True, False, True, False]),
        ("not_in", ["a", "c"], [False, True, False, False]),  # missing never passes
        ("in", ["b"], [False, True, False, False]),
        ("not_in", ["b"], [True, False, True, False]),
        ("eq", "b", [False, True, False, False]),
        ("ne", "b", [True, False, True, False]),
    ],
)
def test_choice_ops(op, value, expected):
    assert root({"ref": "k", "op": op, "value": value}, K_ROWS) == expected


YN_ROWS = {"yes": {"yn": True}, "no": {"yn": False}, "none": {"yn": None}}


@pytest.mark.parametrize(
    ("op", "value", "expected"),
    [
        ("eq", True, [True, False, False]),
        ("eq", False, [False, True, False]),
        ("ne", True, [False, True, False]),
        ("ne", False, [True, False, False]),
    ],
)
def test_yes_no_ops(op, value, expected):
    assert root({"ref": "yn", "op": op, "value": value}, YN_ROWS) == expected


def test_text_ops():
    rows = {"hn": {"t": "Hà Nội"}, "hcm": {"t": "TP HCM"}, "none": {"t": None}}
    assert root({"ref": "t", "op": "eq", "value": "Hà Nội"}, rows) == [True, False, False]
    assert root({"ref": "t", "op": "ne", "value": "Hà Nội"}, rows) == [False, True, False]


ANY_OF = {
    "id": "where",
    "title": T("location"),
    "any": [
        {"ref": "yn", "op": "eq", "value": True},
        {"ref": "yn2", "op": "eq", "value": True},
    ],
}


def test_any_of_with_missing_values():
    rows = {
        "both": {"yn": True, "yn2": True},
        "first": {"yn": True, "yn2": None},
        "second": {"yn": None, "yn2": True},
        "no_and_missing": {"yn": False, "yn2": None},
        "all_missing": {"yn": None, "yn2": None},
    }
    cols = gate_columns(ANY_OF, rows)
    assert list(cols.columns) == ["where", "where/yn eq true", "where/yn2 eq true"]
    assert cols["where"].tolist() == [True, True, True, False, False]
    assert cols["where/yn2 eq true"].tolist() == [True, False, True, False, False]


def test_all_of_with_missing_values_and_nesting():
    gates = {
        "id": "eligible",
        "all": [
            ANY_OF,
            {"id": "big", "title": T("big"), "ref": "n", "op": "ge", "value": 100},
            {"id": "kind", "ref": "k", "op": "in", "value": ["a", "b"]},
        ],
    }
    rows = {
        "ok": {"yn": True, "n": 100, "k": "a"},
        "small": {"yn": True, "n": 99.99, "k": "a"},
        "n_missing": {"yn2": True, "n": None, "k": "b"},
        "k_missing": {"yn": True, "n": 500},
        "nowhere": {"yn": False, "yn2": False, "n": 500, "k": "b"},
    }
    res, _, _ = run(gate_set(gates), rows)
    cols = res.gates
    assert cols.columns[0] == "eligible"  # the root first, then every node by id or by its derived key
    assert list(cols.columns[1:]) == ["where", "where/yn eq true", "where/yn2 eq true", "big", "kind"]
    assert cols["eligible"].tolist() == [True, False, False, False, False]
    assert res.outcome["eligible"].tolist() == [True, False, False, False, False]
    # reasons name the failed gates one level below the root
    failed = [
        [r.params["gate"] for r in rs if r.code == "reason-gate-failed"] for rs in [res.reasons(d) for d in res.index]
    ]
    assert failed == [[], ["big"], ["big"], ["kind"], ["where"]]
    reason = next(r for r in res.reasons(res.index[1]) if r.code == "reason-gate-failed")
    assert render_reason(reason.code, reason.params, "en") == "Fails eligibility: big"
    kind = next(r for r in res.reasons(res.index[3]) if r.code == "reason-gate-failed")
    assert render_reason(kind.code, kind.params, "en") == "Fails eligibility: kind"  # no title: the id


def test_leaf_root_gate_is_named_in_reasons():
    res, _, _ = run(gate_set({"id": "big", "ref": "n", "op": "gt", "value": 0}), {"a": {"n": 1}, "b": {"n": 0}})
    assert res.outcome["eligible"].tolist() == [True, False]
    assert [[r.params.get("gate") for r in rs] for rs in [res.reasons(d) for d in res.index]] == [[], ["big"]]


def test_ineligible_dossier_can_pass_but_is_not_recognised():
    res, ranking, _ = run(
        gate_set({"ref": "n", "op": "ge", "value": 1}, pass_mark=5),
        {"a": {"n": 0}, "b": {"n": 1}},
        {"a": {"c": 9}, "b": {"c": 6}},
    )
    out = res.outcome
    assert out["eligible"].tolist() == [False, True]
    assert out["passed"].tolist() == [True, True]
    assert out["recognised"].tolist() == [False, True]
    assert ranking.index.tolist() == ["b", "a"]
    assert ranking.loc["b", "rank"] == 1 and pd.isna(ranking.loc["a", "rank"])


def gate_load_errors(gate: dict) -> list[tuple[str, str | None, str]]:
    text = to_yaml(criteria_dict(fields=GATE_FIELDS, groups=[group("g", council("c", 10))], gates=gate))
    cs, issues = parse_criteria(text, "t.yaml")
    errors = [(i.code, i.location.yaml_path, i.message("en")) for i in issues if i.is_error]
    assert (cs is None) == bool(errors)
    return errors


NUMBER_HINT = "(YAML reads 1e6 as text: write 1000000 or 1.0e+6)"


@pytest.mark.parametrize(
    ("gate", "message"),
    [
        (
            {"ref": "k", "op": "lt", "value": "a"},
            "Gate on 'k': value 'a' must be compared with eq, ne, in or not_in: "
            "'k' is a choice field, and 'lt' compares numbers.",
        ),
        (
            {"ref": "t", "op": "gt", "value": "a"},
            "Gate on 't': value 'a' must be compared with eq, ne, in or not_in: "
            "'t' is a text field, and 'gt' compares numbers.",
        ),
        ({"ref": "n", "op": "ge", "value": "1e6"}, f"Gate on 'n': value '1e6' must be a number {NUMBER_HINT}."),
        (
            {"ref": "k", "op": "in", "value": ["a", "zz"]},
            "Gate on 'k': value ['a', 'zz'] must be a list of choice values that 'k' can take (not ['zz']).",
        ),
        ({"ref": "yn", "op": "eq", "value": "yes"}, "Gate on 'yn': value 'yes' must be true or false."),
        ({"ref": "n", "op": "eq", "value": "abc"}, "Gate on 'n': value 'abc' must be a number."),
    ],
)
def test_gate_value_must_suit_the_field(gate, message):
    assert gate_load_errors(gate) == [("criteria-gate-value", "gates.value", message)]


@pytest.mark.parametrize("key", ["any", "all"])
def test_empty_all_or_any_is_rejected(key):
    assert gate_load_errors({key: []}) == [("criteria-schema", f"gates.{key}", f"'{key}' needs at least one item")]


def test_in_list_of_text_on_number_field_is_rejected():
    assert gate_load_errors({"ref": "n", "op": "in", "value": ["5"]}) != []


# -- outcome ------------------------------------------------------------------------------


def outcome_set(g1_min=None, c3_min=None, knockout=False, pass_mark=50.0, tiers=None) -> CriteriaSet:
    g1_kw = {"minimum": g1_min} if g1_min else {}
    c3_kw = {"minimum": c3_min} if c3_min else {}
    return build(
        criteria_dict(
            groups=[
                group("g1", council("c1", 20), council("c2", 20, knockout=knockout), **g1_kw),
                group("g2", council("c3", 60, **c3_kw)),
            ],
            pass_mark=pass_mark,
            tiers=tiers,
        )
    )


def selfs(**dossiers: tuple[float, float, float]) -> dict[str, dict[str, float]]:
    return {d: {"c1": a, "c2": b, "c3": c} for d, (a, b, c) in dossiers.items()}


def score_outcome(cs, scores):
    res, _, _ = run(cs, {d: {} for d in scores}, scores)
    return res


def reason_codes(res) -> list[list[str]]:
    return [[r.code for r in rs] for rs in [res.reasons(d) for d in res.index]]


def test_pass_mark_exactly_met_passes():
    res = score_outcome(outcome_set(), selfs(at=(10, 10, 30), below=(10, 10, 29.99), above=(20, 20, 60)))
    assert res.total.tolist() == [50, 49.99, 100]
    assert res.outcome["passed"].tolist() == [True, False, True]
    assert res.outcome["recognised"].tolist() == [True, False, True]
    assert reason_codes(res) == [[], ["reason-below-pass-mark"], []]
    r = res.reasons(res.index[1])[0]
    assert r.params == {"total": 49.99, "pass_mark": 50.0}
    assert render_reason(r.code, r.params, "en") == "Total 49.99 is below the pass mark 50"
    assert render_reason(r.code, r.params, "vi") == "Tổng điểm 49,99 thấp hơn điểm đạt 50"


def test_pass_mark_met_through_float_noise():
    # 12.2 + 19.9 + 17.9 is 49.99999999999999 in floats: it must still count as 50
    cs = build(
        criteria_dict(
            groups=[group("g1", council("c1", 20)), group("g2", council("c2", 20)), group("g3", council("c3", 60))],
            pass_mark=50,
        )
    )
    res = score_outcome(cs, selfs(d=(12.2, 19.9, 17.9)))
    assert res.total.iloc[0] == 50
    assert res.outcome["passed"].tolist() == [True]


@pytest.mark.parametrize("minimum", [{"points": 10}, {"percent": 25}])  # 25 % of 40 = 10
def test_group_minimum(minimum):
    res = score_outcome(
        outcome_set(g1_min=minimum, pass_mark=0), selfs(at=(5, 5, 0), below=(5, 4.99, 60), above=(20, 0.5, 0))
    )
    assert res.groups["g1"].tolist() == [10, 9.99, 20.5]
    assert res.outcome["passed"].tolist() == [True, False, True]
    assert reason_codes(res) == [[], ["reason-group-minimum"], []]
    r = res.reasons(res.index[1])[0]
    assert r.params == {"group": "g1", "points": 9.99, "minimum": 10.0}
    assert render_reason(r.code, r.params, "en") == "Group g1: 9.99 points, below its minimum 10"


@pytest.mark.parametrize("minimum", [{"points": 30}, {"percent": 50}])  # 50 % of 60 = 30
def test_criterion_minimum(minimum):
    res = score_outcome(outcome_set(c3_min=minimum, pass_mark=0), selfs(at=(0, 0, 30), below=(20, 20, 29.5)))
    assert res.outcome["passed"].tolist() == [True, False]
    assert reason_codes(res) == [[], ["reason-criterion-minimum"]]
    r = res.reasons(res.index[1])[0]
    assert r.params == {"criterion": "c3", "points": 29.5, "minimum": 30.0}
    assert render_reason(r.code, r.params, "en") == "Criterion c3: 29.5 points, below its minimum 30"


def test_knockout():
    res = score_outcome(
        outcome_set(knockout=True), selfs(zero=(20, 0, 60), tiny=(20, 0.01, 60), missing=(20, None, 60))
    )
    assert res.total.tolist() == [80, 80.01, 80]
    assert res.outcome["passed"].tolist() == [False, True, False]
    assert reason_codes(res) == [["reason-knockout"], [], ["reason-knockout"]]
    r = res.reasons(res.index[0])[0]
    assert render_reason(r.code, r.params, "en") == "Knock-out criterion c2 scored 0"


def test_several_reasons_accumulate():
    res = score_outcome(outcome_set(g1_min={"points": 10}, c3_min={"points": 30}, knockout=True), selfs(bad=(1, 0, 2)))
    assert sorted(reason_codes(res)[0]) == [
        "reason-below-pass-mark",
        "reason-criterion-minimum",
        "reason-group-minimum",
        "reason-knockout",
    ]


OCOP_TIERS = [
    {"id": "star_1", "label": T("1"), "range": "[0, 30)"},
    {"id": "star_2", "label": T("2"), "range": "[30, 50)"},
    {"id": "star_3", "label": T("3"), "range": "[50, 70)"},
    {"id": "star_4", "label": T("4"), "range": "[70, 90)"},
    {"id": "star_5", "label": T("5"), "range": "[90, 100]"},
]


def test_tiers_at_the_ocop_edges():
    cs = build(criteria_dict(groups=[group("g", council("c", 100))], pass_mark=50, tiers=OCOP_TIERS))
    values = [0, 29.99, 30, 49.99, 50, 69.99, 70, 89.99, 90, 100]
    res, _, _ = run(cs, {f"d{i}": {} for i in range(len(values))}, {f"d{i}": {"c": v} for i, v in enumerate(values)})
    assert res.total.tolist() == values
    assert res.outcome["tier"].tolist() == [
        "star_1",
        "star_1",
        "star_2",
        "star_2",
        "star_3",
        "star_3",
        "star_4",
        "star_4",
        "star_5",
        "star_5",
    ]
    assert res.outcome["recognised"].tolist() == [v >= 50 for v in values]


def test_tier_and_pass_mark_agree_despite_float_noise():
    cs = build(
        criteria_dict(
            groups=[group("g1", council("c1", 20)), group("g2", council("c2", 20)), group("g3", council("c3", 60))],
            pass_mark=50,
            tiers=OCOP_TIERS,
        )
    )
    res = score_outcome(cs, selfs(d=(12.2, 19.9, 17.9)))
    assert res.outcome["tier"].tolist() == ["star_3"]
    assert res.outcome["passed"].tolist() == [True]


def test_no_tiers_gives_none():
    res = score_outcome(outcome_set(), selfs(d=(20, 20, 60)))
    assert res.outcome["tier"].tolist() == [None]


# -- ranking ------------------------------------------------------------------------------


def ranking_set(**ranking) -> CriteriaSet:
    ranking.setdefault("tie_breaks", [{"ref": "g1", "order": "desc"}, {"ref": "x", "order": "asc"}])
    return build(
        criteria_dict(
            fields=[fld("x")],
            groups=[group("g1", council("c1", 50)), group("g2", council("c2", 50))],
            pass_mark=10,
            ranking=ranking,
        )
    )


def rank_run(cs, dossiers: dict[str, tuple[float, float, float | None]], tax: dict[str, str] | None = None):
    rows = {
        d: {"x": x, "tax": (tax or {}).get(d, f"tax-{d}"), "ent": d, "prod": d} for d, (_, _, x) in dossiers.items()
    }
    scores = {d: {"c1": a, "c2": b} for d, (a, b, _) in dossiers.items()}
    return run(cs, rows, scores)


def ranks(ranking: pd.DataFrame) -> dict[str, int | None]:
    return {d: (None if pd.isna(r) else int(r)) for d, r in ranking["rank"].items()}


def test_rank_by_total_descending():
    _, ranking, issues = rank_run(ranking_set(), {"a": (30, 30, 1), "b": (45, 45, 1), "c": (35, 35, 1)})
    assert ranking.index.tolist() == ["b", "c", "a"]
    assert ranks(ranking) == {"b": 1, "c": 2, "a": 3}
    assert ranking["position"].tolist() == [1, 2, 3]
    assert not ranking["tied"].any()
    assert ranking["separated_by"].tolist() == ["", "", ""]
    assert issues == []


def test_tie_broken_by_first_tie_break():
    _, ranking, issues = rank_run(ranking_set(), {"a": (30, 40, 1), "b": (40, 30, 9)})
    assert ranking.index.tolist() == ["b", "a"]
    assert ranks(ranking) == {"b": 1, "a": 2}
    assert ranking["separated_by"].tolist() == ["g1", "g1"]
    assert not ranking["tied"].any()
    assert issues == []


def test_tie_broken_by_second_tie_break_ascending():
    _, ranking, issues = rank_run(ranking_set(), {"a": (35, 35, 5), "b": (35, 35, 3)})
    assert ranking.index.tolist() == ["b", "a"]  # lower x first
    assert ranks(ranking) == {"b": 1, "a": 2}
    assert ranking["separated_by"].tolist() == ["x", "x"]
    assert issues == []


def test_missing_tie_break_value_ranks_last():
    _, ranking, _ = rank_run(ranking_set(), {"a": (35, 35, None), "b": (35, 35, 1e9)})
    assert ranks(ranking) == {"b": 1, "a": 2}


@pytest.mark.parametrize("names", [("a.xlsx", "z.xlsx"), ("z.xlsx", "a.xlsx"), ("0.xlsx", "Ω.xlsx")])
def test_unbroken_tie_keeps_the_same_rank(names):
    first, second = names
    _, ranking, issues = rank_run(ranking_set(), {first: (35, 35, 2), second: (35, 35, 2), "low.xlsx": (10, 10, 1)})
    r = ranks(ranking)
    assert r[first] == r[second] == 1  # never decided by the file name
    assert r["low.xlsx"] == 3  # competition ranking: 1, 1, 3
    assert ranking.loc[[first, second], "tied"].tolist() == [True, True]
    assert not ranking.loc["low.xlsx", "tied"]
    assert codes(issues) == ["rank-unbroken-tie"]
    assert sorted(issues[0].params["dossiers"]) == sorted([first, second])
    shown = ", ".join(str(d) for d in ranking.index[:2])
    assert issues[0].render("en") == (
        f"Dossiers {shown} are equal on every declared ranking key; the council must decide. [rank-unbroken-tie]"
    )


def test_unbroken_tie_with_both_tie_break_values_missing():
    _, ranking, issues = rank_run(ranking_set(), {"a": (35, 35, None), "b": (35, 35, None)})
    assert ranks(ranking) == {"a": 1, "b": 1}
    assert codes(issues) == ["rank-unbroken-tie"]


def test_unrecognised_dossiers_have_no_rank_and_come_last():
    _, ranking, issues = rank_run(ranking_set(top_n=5), {"low1": (2, 2, 1), "ok": (20, 20, 1), "low2": (2, 2, 1)})
    assert ranking.index[0] == "ok"
    assert ranks(ranking) == {"ok": 1, "low1": None, "low2": None}
    assert ranking["top"].tolist() == [True, False, False]
    assert not ranking["tied"].any()  # equal unrecognised dossiers are not reported as ties
    assert issues == []


def test_top_n_with_a_tie_straddling_the_boundary():
    cs = ranking_set(top_n=2)
    _, ranking, issues = rank_run(cs, {"a": (45, 45, 1), "b": (40, 40, 1), "c": (40, 40, 1), "d": (35, 35, 1)})
    assert ranks(ranking) == {"a": 1, "b": 2, "c": 2, "d": 4}
    assert ranking["top"].to_dict() == {"a": True, "b": False, "c": False, "d": False}
    assert ranking["top_tie"].to_dict() == {"a": False, "b": True, "c": True, "d": False}
    assert codes(issues) == ["rank-tie-at-top-n", "rank-unbroken-tie"]
    assert issues[0].params == {"n": 2, "dossiers": ["b", "c"]}
    assert issues[0].render("en") == "Tie at the Top-2 boundary: b, c; the council must decide. [rank-tie-at-top-n]"


def test_top_n_with_a_tie_fully_inside():
    _, ranking, issues = rank_run(
        ranking_set(top_n=3), {"a": (45, 45, 1), "b": (40, 40, 1), "c": (40, 40, 1), "d": (35, 35, 1)}
    )
    assert ranking["top"].to_dict() == {"a": True, "b": True, "c": True, "d": False}
    assert not ranking["top_tie"].any()
    assert codes(issues) == ["rank-unbroken-tie"]


def test_per_enterprise_cap_lets_the_next_product_in():
    dossiers = {"p1": (45, 45, 1), "p2": (43, 42, 1), "p3": (40, 40, 1), "p4": (30, 30, 1)}
    tax = {"p1": "E1", "p2": "E1", "p3": "E2", "p4": "E3"}
    _, capped, issues = rank_run(ranking_set(top_n=2, per_enterprise_cap=1), dossiers, tax)
    assert ranks(capped) == {"p1": 1, "p2": 2, "p3": 3, "p4": 4}  # the cap changes the Top N, not the rank
    assert capped["capped"].to_dict() == {"p1": False, "p2": True, "p3": False, "p4": False}
    assert capped["top"].to_dict() == {"p1": True, "p2": False, "p3": True, "p4": False}
    assert issues == []

    _, uncapped, _ = rank_run(ranking_set(top_n=2), dossiers, tax)
    assert uncapped["top"].to_dict() == {"p1": True, "p2": True, "p3": False, "p4": False}
    assert not uncapped["capped"].any()


def test_cap_of_two_keeps_two_per_enterprise():
    dossiers = {"p1": (45, 45, 1), "p2": (44, 44, 1), "p3": (43, 43, 1), "p4": (30, 30, 1)}
    tax = {"p1": "E1", "p2": "E1", "p3": "E1", "p4": "E2"}
    _, ranking, _ = rank_run(ranking_set(top_n=3, per_enterprise_cap=2), dossiers, tax)
    assert ranking["capped"].to_dict() == {"p1": False, "p2": False, "p3": True, "p4": False}
    assert ranking["top"].to_dict() == {"p1": True, "p2": True, "p3": False, "p4": True}


def test_float_noise_does_not_split_a_tie():
    cs = build(
        criteria_dict(
            groups=[group("g1", council("c1", 20)), group("g2", council("c2", 20)), group("g3", council("c3", 60))]
        )
    )
    res, ranking, issues = run(
        cs, {"a": {}, "b": {}}, {"a": {"c1": 12.2, "c2": 19.9, "c3": 17.9}, "b": {"c1": 20, "c2": 20, "c3": 10}}
    )
    assert res.total.tolist() == [50, 50]
    assert ranks(ranking) == {"a": 1, "b": 1}
    assert codes(issues) == ["rank-unbroken-tie"]
