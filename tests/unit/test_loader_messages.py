"""Exact rendered loader messages (render('en')): they are the contract with criteria authors.

Each case edits one line of BASE (line numbers are 1-based, shown in the comments) and pins the
errors exactly as rendered now. Messages noted "UX:" are pinned although they could be better;
see the report that came with these tests.
"""

from __future__ import annotations

import pytest

from spcncl_score.criteria.loader import parse_criteria

# line numbers:   1 id, 3 title, 10 field x, 11 yearly field rev, 14 total_max, 16 group g, 18 its max,
# 20 criterion c1, 23 its input, 24 its rule, 25 kind, 27 'to' anchor, 28 criterion c2, 31 its input,
# 32 its rule, 34 bands, 36 second band, 38 pass_mark, 41 the tie-break
BASE = """\
id: t
version: "1"
title: {vi: T, en: T}
effective: 2024-01-01
identity: {enterprise: ent, tax_code: tax, product: prod}
fields:
  - {id: ent, type: text, label: {vi: E, en: E}}
  - {id: tax, type: text, label: {vi: T, en: T}}
  - {id: prod, type: text, label: {vi: P, en: P}}
  - {id: x, type: number, label: {vi: X, en: X}}
  - {id: rev, type: number, years: 3, label: {vi: R, en: R}}
indicators:
  - {id: rev_n, kind: latest, field: rev, label: {vi: R, en: R}}
total_max: 20
groups:
  - id: g
    title: {vi: G, en: G}
    max: 20
    criteria:
      - id: c1
        title: {vi: C1, en: C1}
        max: 10
        input: x
        rule:
          kind: linear
          from: {value: 0, points: 0}
          to: {value: 10, points: 10}
      - id: c2
        title: {vi: C2, en: C2}
        max: 10
        input: rev_n
        rule:
          kind: bands
          bands:
            - {range: "(-inf, 100)", points: 0}
            - {range: "[100, +inf)", points: 10}
outcome:
  pass_mark: 10
ranking:
  tie_breaks:
    - {ref: g}
"""


def edit(line: int, new: str) -> str:
    """BASE with 1-based ``line`` replaced by ``new`` (which may hold several lines, or none)."""
    lines = BASE.splitlines(keepends=True)
    lines[line - 1] = new
    return "".join(lines)


def drop(first: int, last: int) -> str:
    lines = BASE.splitlines(keepends=True)
    return "".join(lines[: first - 1] + lines[last:])


def errors(text: str) -> list[str]:
    cs, issues = parse_criteria(text, "t.yaml")
    rendered = [i.render("en") for i in issues if i.is_error]
    assert (cs is None) == bool(rendered)
    return rendered


def test_base_is_valid():
    assert errors(BASE) == []


# -- YAML syntax --------------------------------------------------------------------------


def test_yaml_syntax_unclosed_flow_mapping():
    # the line PyYAML gave up on (4), and where the brace was opened (3)
    assert errors(edit(3, "title: {vi: T, en: T\n")) == [
        "t.yaml:4: YAML syntax error: did not find expected ',' or '}' (while parsing a flow mapping at line 3) "
        "[criteria-yaml-syntax]"
    ]


def test_yaml_syntax_bad_indentation():
    assert errors(edit(22, "        max: 10\n       oops: 1\n")) == [
        "t.yaml:23: YAML syntax error: did not find expected '-' indicator (while parsing a block collection at "
        "line 20); check the indentation of this line against the lines above it [criteria-yaml-syntax]"
    ]


def test_yaml_syntax_tab_indentation():
    assert errors(edit(22, "\tmax: 10\n")) == [
        "t.yaml:22: YAML syntax error: the line is indented with a tab; YAML needs spaces [criteria-yaml-syntax]"
    ]


@pytest.mark.parametrize("text", ["", "- a\n- b\n", "just a string\n"])
def test_not_a_mapping(text):
    assert errors(text) == ["t.yaml:1: A criteria file must be a YAML mapping. [criteria-not-mapping]"]


# -- schema ---------------------------------------------------------------------------------


def test_unknown_key_misspelt_weight():
    assert errors(edit(18, "    max: 20\n    weigth: 2\n")) == [
        "t.yaml:19 groups[0].weigth: unknown key 'weigth' (misspelt?) [criteria-schema]"
    ]


def test_missing_required_top_level_key():
    # the line of a missing top-level key is the start of the document
    assert errors(edit(2, "")) == ["t.yaml:1 version: required key 'version' is missing [criteria-schema]"]


def test_missing_required_nested_key():
    assert errors(edit(21, "")) == [
        "t.yaml:20 groups[0].criteria[0].title: required key 'title' is missing [criteria-schema]"
    ]
    assert errors(edit(38, "  overclaim_tolerance: 1\n")) == [
        "t.yaml:37 outcome.pass_mark: required key 'pass_mark' is missing [criteria-schema]"
    ]


def test_unknown_rule_kind():
    # UX: points at 'rule:' (line 24), not at the misspelt 'kind:' (line 25)
    assert errors(edit(25, "          kind: linaer\n")) == [
        "t.yaml:24 groups[0].criteria[0].rule: unknown kind 'linaer'; expected one of: "
        "'bands', 'linear', 'yes_no', 'choice', 'council' [criteria-schema]"
    ]


YES_NO_RULE = "          kind: yes_no\n"
ANCHORS = "          from: {value: 0, points: 0}\n          to: {value: 10, points: 10}\n"


KEYS_HINT = (
    "t.yaml:24 groups[0].criteria[0].rule[{}]: keys must be text; YAML reads bare yes/no/on/off as "
    "true/false (use if_yes / if_no in yes_no rules) [criteria-schema]"
)


BOOL_KEY = (
    "t.yaml:{}: YAML syntax error: key '{}' is read by YAML as true/false; quote it, or in a yes_no "
    "rule use if_yes / if_no [criteria-yaml-syntax]"
)


def test_bare_yes_key_in_yes_no_rule():
    # YAML 1.1 reads a bare 'yes:' key as the boolean True (and 'no:' as False): one error, at the key
    text = edit(25, YES_NO_RULE).replace(ANCHORS, "          yes: 10\n", 1)
    assert errors(text) == [BOOL_KEY.format(26, "yes")]


def test_bare_yes_and_no_keys_in_yes_no_rule():
    text = edit(25, YES_NO_RULE).replace(ANCHORS, "          yes: 10\n          no: 0\n", 1)
    assert errors(text) == [BOOL_KEY.format(26, "yes")]


def test_quoted_yes_key_is_an_unknown_key():
    text = edit(25, YES_NO_RULE).replace(ANCHORS, "          if_yes: 10\n          'yes': 10\n", 1)
    assert errors(text) == ["t.yaml:27 groups[0].criteria[0].rule.yes: unknown key 'yes' (misspelt?) [criteria-schema]"]


def test_linear_anchors_reversed():
    assert errors(edit(26, "          from: {value: 20, points: 0}\n")) == [
        "t.yaml:24 groups[0].criteria[0].rule: the 'from' anchor's value must be below the 'to' anchor's value "
        "[criteria-schema]"
    ]


def test_invalid_band_range_text():
    assert errors(edit(36, '            - {range: "[100, +inf]", points: 10}\n')) == [
        "t.yaml:36 groups[0].criteria[1].rule.bands[1].range: '[100, +inf]': an infinite edge must be open, "
        "as in '(-inf, 0)' [criteria-schema]"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (drop(34, 36), "t.yaml:32 groups[0].criteria[1].rule.bands: required key 'bands' is missing [criteria-schema]"),
        (
            edit(36, '            - {range: "[100, +inf)", points: -10}\n'),
            "t.yaml:36 groups[0].criteria[1].rule.bands[1].points: points must be 0 or more [criteria-schema]",
        ),
    ],
)
def test_band_errors_name_the_bands_key(text, expected):
    assert errors(text) == [expected]


def test_duplicate_yaml_key_is_an_error():
    errs = errors(edit(22, "        max: 10\n        max: 5\n"))
    assert any("max" in e and "23" in e.split(" ")[0] for e in errs), errs


def test_duplicate_yaml_key_as_rendered_now():
    assert errors(edit(22, "        max: 10\n        max: 5\n")) == [
        "t.yaml:23: YAML syntax error: key 'max' is repeated (first at line 22) [criteria-yaml-syntax]"
    ]


# -- semantics --------------------------------------------------------------------------------


def test_duplicate_id_between_criteria():
    # UX: 'first at' gives a YAML path, not a line
    assert errors(edit(28, "      - id: c1\n")) == [
        "t.yaml:28 groups[0].criteria[1].id: Id 'c1' is used twice (first at groups[0].criteria[0].id). "
        "[criteria-duplicate-id]"
    ]


def test_duplicate_id_between_field_and_group():
    text = edit(10, "  - {id: g, type: number, label: {vi: X, en: X}}\n").replace("input: x", "input: g")
    assert errors(text) == [
        "t.yaml:16 groups[0].id: Id 'g' is used twice (first at fields[3].id). [criteria-duplicate-id]"
    ]


def test_unknown_reference_in_criterion_input():
    assert errors(edit(23, "        input: revenue\n")) == [
        "t.yaml:23 groups[0].criteria[0].input: 'revenue' is not a declared field or indicator. [criteria-unknown-ref]"
    ]


def test_yearly_field_used_directly_as_input():
    assert errors(edit(31, "        input: rev\n")) == [
        "t.yaml:31 groups[0].criteria[1].input: 'rev' must be a single-value field or an indicator, "
        "but it is a yearly field (use an indicator such as 'latest'). [criteria-ref-kind]"
    ]


def test_group_max_not_sum_of_criteria():
    assert errors(edit(18, "    max: 25\n").replace("total_max: 20", "total_max: 25")) == [
        "t.yaml:18 groups[0].max: The criteria of group 'g' add up to 20 points, not the declared maximum 25. "
        "[criteria-group-sum]"
    ]


def test_group_max_wrong_also_breaks_total():
    assert errors(edit(18, "    max: 25\n")) == [
        "t.yaml:18 groups[0].max: The criteria of group 'g' add up to 20 points, not the declared maximum 25. "
        "[criteria-group-sum]",
        "t.yaml:14 total_max: The groups add up to 25 points, not the declared total 20. [criteria-total-sum]",
    ]


def test_total_max_mismatch():
    assert errors(edit(14, "total_max: 30\n")) == [
        "t.yaml:14 total_max: The groups add up to 20 points, not the declared total 30. [criteria-total-sum]"
    ]


def test_points_above_criterion_max():
    assert errors(edit(27, "          to: {value: 10, points: 12}\n")) == [
        "t.yaml:24 groups[0].criteria[0].rule: The rule can give 12 points, above the maximum 10 of criterion 'c1'. "
        "[criteria-points-above-max]"
    ]


def test_unknown_tie_break_ref():
    assert errors(edit(41, "    - {ref: nope}\n")) == [
        "t.yaml:41 ranking.tie_breaks[0].ref: Tie-break key 'nope' is not a group, criterion, indicator or "
        "numeric field. [criteria-tie-break-ref]"
    ]


def test_text_field_as_tie_break():
    assert errors(edit(41, "    - {ref: ent}\n")) == [
        "t.yaml:41 ranking.tie_breaks[0].ref: Tie-break key 'ent' is not a group, criterion, indicator or "
        "numeric field. [criteria-tie-break-ref]"
    ]


def test_vietnamese_rendering_of_a_semantic_error():
    _, issues = parse_criteria(edit(14, "total_max: 30\n"), "t.yaml")
    assert [i.render("vi") for i in issues if i.is_error] == [
        "t.yaml:14 total_max: Tổng điểm tối đa của các nhóm là 20, khác với tổng khai báo 30. [criteria-total-sum]"
    ]
