"""Canonical JSON of a run: sorted keys, rounded numbers, no timestamps or absolute paths.

It is both the machine output (`--format json`) and the golden-file format. The output is a
versioned contract: `schema_version` names the version of `result.schema.json` (beside this
module) it follows. Strict JSON always: a missing number is `null`, never NaN or Infinity.
Scores (`total`, `points`, `groups`, `self_scores`) are always numbers with a fraction
(`60.0`, not `60`), rounded to 6 decimals.
"""

from __future__ import annotations

import json
import math
from importlib import resources
from typing import Any

import pandas as pd

from spcncl_score.i18n import render_reason
from spcncl_score.printable import json_text
from spcncl_score.scoring.result import RunResult

# the version of result.schema.json the output follows: a new optional key is a minor step,
# a removed, renamed or retyped key a major one
SCHEMA_VERSION = "1.1"  # 1.1: a run in parts (categories, mixed sets): run.parts, results' part keys


def _score(v: Any) -> float | None:
    """A score as a float rounded to 6 decimals; None for a missing or non-finite one."""
    if v is None or isinstance(v, bool):
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return round(f, 6) if math.isfinite(f) else None


def _text(v: Any) -> str | None:
    """A label (tier id, tie-break key) or None: pandas hands a missing one back as NaN."""
    if v is None or (isinstance(v, float) and not math.isfinite(v)) or v is pd.NA or v == "":
        return None
    return str(v)


def result_schema() -> dict[str, Any]:
    """The JSON Schema of `result_to_dict`'s output, shipped inside the package."""
    text = resources.files("spcncl_score.report").joinpath("result.schema.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def result_to_dict(result: RunResult, lang: str = "vi") -> dict[str, Any]:
    info = result.run_info()
    out: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "run": info,
        "results": [],
        "not_ranked": [],
        "issues": [],
    }
    if result.parts:
        info["parts"] = [_part_info(p) for p in result.parts]
        overall = result.overall
        for part in result.parts:
            for r in _results(part, lang):
                r["part"] = part.part_key
                if overall is not None:
                    o = overall.loc[r["file"]]
                    r["overall_rank"] = None if pd.isna(o["rank"]) else int(o["rank"])
                    r["overall_top"] = bool(o["top"])
                out["results"].append(r)
    else:
        out["results"] = _results(result, lang)
    scored = {r["file"] for r in out["results"]}
    if result.previous is not None:  # only with a history, so that other outputs stay as they were
        for r in out["results"]:
            past = result.previous.get(r["file"])
            r["previous"] = None if past is None else past._asdict()
    for f in result.files:
        if f.display in scored:
            continue
        read = result.read_of(f.display)
        issues = (
            read.not_ranked_reasons()
            if read is not None
            else [i for i in result.issues if i.location.file == f.display]
        )
        out["not_ranked"].append(
            {
                "file": f.display,
                "kind": f.kind,
                "reasons": [i.to_dict(lang) for i in issues],
            }
        )
    out["issues"] = [i.to_dict(lang) for i in result.issues]
    out["summary"] = {
        "files": len(result.files),
        "dossiers": len(result.reads),
        "scored": len(scored),
        "recognised": sum(1 for r in out["results"] if r["recognised"]),
        "top": [r["file"] for r in out["results"] if r["top"]],
        "errors": sum(1 for i in result.issues if i.is_error),
        "warnings": sum(1 for i in result.issues if i.severity.value == "warning"),
    }
    return out


def _part_info(part: RunResult) -> dict[str, Any]:
    cs = part.criteria
    return {
        "part": part.part_key,
        "category": cs.category.id if cs.category is not None else None,
        "criteria_id": cs.id,
        "criteria_version": cs.version,
        "criteria_fingerprint": cs.fingerprint,
    }


def _results(result: RunResult, lang: str) -> list[dict[str, Any]]:
    """One entry per scored dossier of a run (or of a part), in ranking order."""
    cs = result.criteria
    out: list[dict[str, Any]] = []
    sc, rk = result.scores, result.ranking
    if sc is None or rk is None:
        return out
    outcome, gates = sc.outcome.to_dict("index"), sc.gates.to_dict("index")
    points, selfs, groups = sc.points.to_dict("index"), sc.self_scores.to_dict("index"), sc.groups.to_dict("index")
    totals = sc.total.to_dict()
    for dossier, r in rk.iterrows():
        d = str(dossier)
        read = result.read_of(d)
        assert read is not None and read.dossier is not None
        dv = read.dossier
        out.append(
            {
                "file": d,
                "enterprise": dv.text(cs.identity.enterprise),
                "tax_code": dv.text(cs.identity.tax_code),
                "product": dv.text(cs.identity.product),
                "industry_group": dv.text(cs.identity.industry_group) if cs.identity.industry_group else None,
                "eligible": bool(outcome[dossier]["eligible"]),
                "passed": bool(outcome[dossier]["passed"]),
                "gates": {k: bool(v) for k, v in gates[dossier].items()},
                "points": {c: _score(v) for c, v in points[dossier].items()},
                "self_scores": {c: _score(v) for c, v in selfs[dossier].items()},
                "groups": {g: _score(v) for g, v in groups[dossier].items()},
                "total": _score(totals[dossier]),
                "tier": _text(outcome[dossier]["tier"]),
                "recognised": bool(outcome[dossier]["recognised"]),
                "rank": None if pd.isna(r["rank"]) else int(r["rank"]),
                "tied": bool(r["tied"]),
                "top": bool(r["top"]),
                "top_tie": bool(r["top_tie"]),
                "separated_by": _text(r["separated_by"]),
                "reasons": [
                    {"code": x.code, "message": render_reason(x.code, x.params, lang)} for x in sc.reasons(dossier)
                ],
            }
        )
    return out


def dumps(data: Any) -> str:
    """Canonical text; refuses NaN and Infinity (a strict parser would reject the whole output)."""
    return (
        json_text(json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2, default=str, allow_nan=False)) + "\n"
    )


def golden_view(result: RunResult, lang: str = "vi") -> dict[str, Any]:
    """What a golden file pins: the results, not the tool version or the YAML's formatting."""
    data = result_to_dict(result, lang)
    data["run"] = {k: v for k, v in data["run"].items() if k not in ("tool_version", "criteria_sha256")}
    return data


def compare_golden(result: RunResult, expected_text: str, lang: str = "vi") -> list[str]:
    """Unified-diff lines between the expected golden JSON and this run (empty when equal)."""
    import difflib

    actual = dumps(golden_view(result, lang))
    if actual == expected_text:
        return []
    return list(
        difflib.unified_diff(expected_text.splitlines(), actual.splitlines(), "expected", "actual", lineterm="", n=2)
    )
