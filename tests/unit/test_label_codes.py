"""What matched and how each criterion was scored, kept as small integer codes with a label table.

The engine keeps these texts as codes (a million dossiers would otherwise make 30 million Python
strings per table) and makes the frames of strings only when a reader asks for them: the frames
must be the ones the engine made before, when it built them from object arrays of strings.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from spcncl_score.criteria.rules import BandsRule, ChoiceRule, LinearRule, YesNoRule, decode
from spcncl_score.evaluation.pipeline import evaluate
from spcncl_score.scoring.engine import (
    BASIS_COMPUTED,
    BASIS_COUNCIL,
    BASIS_MISSING,
    BASIS_NO_BAND,
    BASIS_SELF,
    LabelColumns,
)

ROOT = Path(__file__).resolve().parents[2]
SETS = [("hanoi", "hanoi-spcncl"), ("ocop", "ocop"), ("cnnt", "cnnt")]
nan = math.nan


def _bands(*pairs: tuple[str, float]) -> BandsRule:
    return BandsRule.model_validate({"kind": "bands", "bands": [{"range": r, "points": p} for r, p in pairs]})


def _as_before(lc: LabelColumns) -> pd.DataFrame:
    """The frame as the engine used to build it: one object array of strings per criterion."""
    return pd.DataFrame({cid: decode(codes, lc.tables[cid]) for cid, codes in lc.codes.items()}, index=lc.index)


RULES = [
    (_bands(("(-inf, 0)", 0), ("[0, 5)", 4), ("[5, +inf)", 8)), [-1, 0, 4.9, 5, nan, 1e9]),
    (
        LinearRule.model_validate(
            {"kind": "linear", "from": {"value": 0, "points": 0}, "to": {"value": 10, "points": 5}}
        ),
        [-1, 0, 5, 10, 11, nan],
    ),
    (YesNoRule.model_validate({"kind": "yes_no", "if_yes": 3}), [1, 0, nan, 0.5, 0.51]),
]


@pytest.mark.parametrize(("rule", "values"), RULES)
def test_codes_index_a_table_that_starts_with_nothing_matched(rule, values):
    res = rule.score(np.array(values, dtype=float))
    assert res.texts[0] == "" and len(set(res.texts)) == len(res.texts)
    assert res.codes.dtype == np.int8
    assert list(res.matched) == [res.texts[c] for c in res.codes]
    assert all(res.codes[np.isnan(np.array(values, dtype=float))] == 0)


def test_choice_codes():
    rule = ChoiceRule.model_validate({"kind": "choice", "points": {"low": 1, "high": 5}})
    res = rule.score(np.array(["high", None, "other", "low"], dtype=object))
    assert res.texts == ("", "low", "high")
    assert res.codes.tolist() == [2, 0, 0, 1]


def test_bands_written_with_the_same_range_share_one_label():
    res = _bands(("[0, 10]", 3), ("[0, 10]", 7), ("(10, +inf)", 1)).score(np.array([5, 20, nan]))
    assert res.texts == ("", "[0, 10]", "(10, +inf)")
    assert list(res.matched) == ["[0, 10]", "(10, +inf)", ""]
    assert list(res.points[:2]) == [3, 1]  # the first band still decides the points


@pytest.mark.parametrize(("folder", "criteria"), SETS)
def test_sample_frames_are_the_frames_built_from_strings(folder, criteria):
    run = evaluate([ROOT / "samples" / folder], criteria, jobs=1, sensitivity=None)
    for result in run.parts or [run]:  # a set with categories: each category's own scores
        _check_frames(result)


def _check_frames(result: Any) -> None:
    sc = result.scores
    assert sc is not None
    for frame, lc in ((sc.matched, sc.matched_codes), (sc.basis, sc.basis_codes)):
        pd.testing.assert_frame_equal(frame, _as_before(lc))
        assert frame.columns.tolist() == [c.id for _, c in result.criteria.criteria()]
        assert all(isinstance(v, str) for col in frame.columns for v in frame[col].tolist())
    assert set(sc.basis.stack().tolist()) <= {BASIS_COMPUTED, BASIS_SELF, BASIS_COUNCIL, BASIS_MISSING, BASIS_NO_BAND}
    # every text read back is the rule's own label for the value the criterion scored
    for _, c in result.criteria.criteria():
        if c.council:
            assert set(sc.matched[c.id]) <= {"", "self_score", "council"}
            continue
        expected = c.rule.score(sc.inputs[c.id].to_numpy()).matched  # type: ignore[union-attr]
        assert sc.matched[c.id].tolist() == list(expected)


def test_an_empty_run_gives_empty_frames_as_before():
    lc = LabelColumns(pd.Index([], name="dossier"), {"c": np.zeros(0, dtype=np.int8)}, {"c": ("", "x")})
    pd.testing.assert_frame_equal(lc.frame(), _as_before(lc))
