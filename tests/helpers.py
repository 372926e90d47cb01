"""Small builders shared by the tests: minimal criteria sets, scoring frames, a scoring run."""

from __future__ import annotations

import copy
import math
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd
import yaml

from spcncl_score.criteria.loader import parse_criteria
from spcncl_score.criteria.models import CriteriaSet
from spcncl_score.intake.names import input_slots
from spcncl_score.issues import Issue
from spcncl_score.scoring.engine import ScoreResult, score
from spcncl_score.scoring.ranking import rank

NUMERIC_FIELD_TYPES = ("number", "integer", "yes_no")
PROVISIONAL = {"status": "provisional", "confirm": "test fixture"}


def T(text: str) -> dict[str, str]:
    """A bilingual label with the same text in both languages."""
    return {"vi": text, "en": text}


def fld(fid: str, type: str = "number", **kw: Any) -> dict[str, Any]:
    return {"id": fid, "type": type, "label": T(fid), **kw}


def crit(cid: str, max: float, rule: Mapping[str, Any], input: str | None = None, **kw: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"id": cid, "title": T(cid), "max": max, "rule": dict(rule), **kw}
    if input is not None:
        out["input"] = input
    return out


def group(gid: str, *criteria: Mapping[str, Any], max: float | None = None, **kw: Any) -> dict[str, Any]:
    total = sum(float(c["max"]) for c in criteria)
    return {
        "id": gid,
        "title": T(gid),
        "max": total if max is None else max,
        "source": PROVISIONAL,
        "criteria": [dict(c) for c in criteria],
        **kw,
    }


def council(cid: str, max: float, **kw: Any) -> dict[str, Any]:
    return crit(cid, max, {"kind": "council"}, **kw)


IDENTITY_FIELDS = [fld("ent", "text"), fld("tax", "text"), fld("prod", "text")]


def criteria_dict(
    *,
    fields: Iterable[Mapping[str, Any]] = (),
    groups: Iterable[Mapping[str, Any]],
    indicators: Iterable[Mapping[str, Any]] = (),
    pass_mark: float = 0,
    tiers: list[Mapping[str, Any]] | None = None,
    gates: Mapping[str, Any] | None = None,
    ranking: Mapping[str, Any] | None = None,
    total_max: float | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A minimal valid criteria set as a plain mapping (the YAML format)."""
    groups = [dict(g) for g in groups]
    data: dict[str, Any] = {
        "id": "test-set",
        "version": "1",
        "title": T("Test set"),
        "effective": "2024-01-01",
        "identity": {"enterprise": "ent", "tax_code": "tax", "product": "prod"},
        "fields": [*copy.deepcopy(IDENTITY_FIELDS), *[dict(f) for f in fields]],
        "total_max": sum(float(g["max"]) for g in groups) if total_max is None else total_max,
        "groups": groups,
        "outcome": {"pass_mark": pass_mark, "source": PROVISIONAL},
    }
    if indicators:
        data["indicators"] = [dict(i) for i in indicators]
    if tiers is not None:
        data["outcome"]["tiers"] = [dict(t) for t in tiers]
    if gates is not None:
        data["gates"] = {"source": PROVISIONAL, **dict(gates)}
    if ranking is not None:
        data["ranking"] = {"source": PROVISIONAL, **dict(ranking)}
    data.update(extra)
    return data


def to_yaml(data: Mapping[str, Any]) -> str:
    return yaml.safe_dump(dict(data), allow_unicode=True, sort_keys=False)


def build(data: Mapping[str, Any] | str, file: str = "test.yaml") -> CriteriaSet:
    """Parse a criteria set (mapping or YAML text) through the loader; fail on any error."""
    text = data if isinstance(data, str) else to_yaml(data)
    cs, issues = parse_criteria(text, file)
    errors = [i.render("en") for i in issues if i.is_error]
    assert cs is not None and not errors, errors
    return cs


def as_cell(value: Any, numeric: bool) -> Any:
    if value is None:
        return math.nan if numeric else None
    if numeric:
        if isinstance(value, bool):
            return 1.0 if value else 0.0
        return float(value)
    return value


def make_frame(cs: CriteriaSet, rows: Mapping[str, Mapping[str, Any]]) -> pd.DataFrame:
    """Scoring frame like pipeline.build_frame: one column per input slot, numbers and yes/no as floats."""
    index = pd.Index(list(rows), name="dossier")
    cols: dict[str, list[Any]] = {}
    for _, fid, k in input_slots(cs):
        key = fid if k is None else f"{fid}@{k}"
        f = cs.field(fid)
        numeric = f is not None and f.type in NUMERIC_FIELD_TYPES
        cols[key] = [as_cell(rows[d].get(key), numeric) for d in rows]
    frame = pd.DataFrame(cols, index=index)
    for key, vals in cols.items():
        if all(isinstance(v, float) for v in vals):
            frame[key] = frame[key].astype(float)
    return frame


def make_self_scores(
    cs: CriteriaSet, index: pd.Index, selfs: Mapping[str, Mapping[str, float | None]] | None = None
) -> pd.DataFrame:
    selfs = selfs or {}
    ids = [c.id for _, c in cs.criteria()]
    data = {
        cid: [
            np.nan if selfs.get(d, {}).get(cid) is None else float(selfs[d][cid])  # type: ignore[arg-type]
            for d in index
        ]
        for cid in ids
    }
    return pd.DataFrame(data, index=index, dtype=float)


def run(
    cs: CriteriaSet,
    rows: Mapping[str, Mapping[str, Any]],
    selfs: Mapping[str, Mapping[str, float | None]] | None = None,
) -> tuple[ScoreResult, pd.DataFrame, list[Issue]]:
    """Score and rank ``rows`` (dossier name -> value key -> value); the enterprise is the tax code."""
    frame = make_frame(cs, rows)
    result = score(cs, frame, make_self_scores(cs, frame.index, selfs))
    enterprise = frame[cs.identity.tax_code]
    ranking, rank_issues = rank(cs, result, frame, enterprise)
    return result, ranking, rank_issues


def codes(issues: Iterable[Issue]) -> list[str]:
    return [i.code for i in issues]
