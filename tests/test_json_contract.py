"""`evaluate --format json` is a versioned contract: strict JSON, the shipped schema, named gates.

jsonschema is not installed in the project's environment, so the output is checked against the
shipped schema by `conforms` below: a small interpreter of the keywords that schema uses (type,
const, enum, required, properties, additionalProperties, items, minimum, $ref). A keyword it
does not know fails the test, so the schema cannot grow beyond what is checked.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from spcncl_score.cli.commands import app
from spcncl_score.criteria.gatetree import walk_with_keys
from spcncl_score.criteria.models import Gate
from spcncl_score.report.jsonout import SCHEMA_VERSION, _text, dumps, result_schema

ROOT = Path(__file__).resolve().parent.parent
SETS = [("hanoi", "hanoi-spcncl"), ("ocop", "ocop"), ("cnnt", "cnnt")]
KNOWN = {
    "$schema", "$id", "$defs", "title", "description", "type", "const", "enum", "required",
    "properties", "additionalProperties", "items", "minimum", "$ref",
}  # fmt: skip
TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, float),  # the contract: scores are floats, never ints
    "null": lambda v: v is None,
}


def conforms(value: Any, schema: dict[str, Any], root: dict[str, Any], where: str = "$") -> list[str]:
    unknown = set(schema) - KNOWN
    assert not unknown, f"schema keyword(s) {unknown} at {where} are not checked by this test"
    if "$ref" in schema:
        node: Any = root
        for part in schema["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        return conforms(value, node, root, where)
    out: list[str] = []
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(TYPES[t](value) for t in types):
            return [f"{where}: {value!r} is not {types}"]
    if "const" in schema and value != schema["const"]:
        out.append(f"{where}: {value!r} != {schema['const']!r}")
    if "enum" in schema and value not in schema["enum"]:
        out.append(f"{where}: {value!r} not in {schema['enum']}")
    if "minimum" in schema and isinstance(value, (int, float)) and value < schema["minimum"]:
        out.append(f"{where}: {value} < {schema['minimum']}")
    if isinstance(value, dict):
        props = schema.get("properties", {})
        out += [f"{where}: missing '{k}'" for k in schema.get("required", []) if k not in value]
        extra = schema.get("additionalProperties", True)
        for k, v in value.items():
            if k in props:
                out += conforms(v, props[k], root, f"{where}.{k}")
            elif extra is False:
                out.append(f"{where}: unexpected key '{k}'")
            elif isinstance(extra, dict):
                out += conforms(v, extra, root, f"{where}.{k}")
    if isinstance(value, list) and "items" in schema:
        for i, v in enumerate(value):
            out += conforms(v, schema["items"], root, f"{where}[{i}]")
    return out


def _reject(constant: str) -> None:
    raise ValueError(f"non-standard JSON constant {constant}")


def _run_json(folder: str, criteria: str) -> dict[str, Any]:
    args = ["evaluate", str(ROOT / "samples" / folder), "-c", criteria, "--no-report", "--format", "json"]
    result = CliRunner().invoke(app, [*args, "--mc-runs", "0"])
    assert result.exit_code in (0, 1), result.output
    data: dict[str, Any] = json.loads(result.stdout, parse_constant=_reject)
    return data


@pytest.fixture(scope="module", params=SETS, ids=[s[0] for s in SETS])
def output(request) -> dict[str, Any]:
    return _run_json(*request.param)


def test_the_output_is_strict_json_and_follows_the_shipped_schema(output):
    schema = result_schema()
    assert output["schema_version"] == SCHEMA_VERSION == schema["properties"]["schema_version"]["enum"][-1]
    assert conforms(output, schema, schema) == []
    assert output["results"], "every sample set has scored dossiers"


def test_every_dossier_states_its_decision_and_its_named_gates(output):
    for r in output["results"]:
        assert r["recognised"] == (r["eligible"] and r["passed"])
        assert isinstance(r["total"], float)
        assert all(not k.startswith("gates.") and "[" not in k for k in r["gates"])


def test_the_conformance_check_can_fail():
    schema = result_schema()
    bad = {"schema_version": "1.0", "run": {}, "results": [{"total": 60}], "not_ranked": [], "issues": []}
    found = conforms(bad, schema, schema)
    assert "$: missing 'summary'" in found
    assert "$.run: missing 'criteria_id'" in found
    assert "$.results[0]: missing 'passed'" in found
    assert "$.results[0].total: 60 is not ['number']" in found


def test_a_missing_tier_or_tie_break_is_null_and_nan_is_refused():
    assert _text(math.nan) is None and _text(None) is None and _text("") is None
    assert _text("star_4") == "star_4"
    with pytest.raises(ValueError):
        dumps({"tier": math.nan})


def test_gates_without_an_id_get_readable_keys_derived_from_the_criteria():
    root = Gate.model_validate(
        {
            "all": [
                {"id": "g0", "any": [{"ref": "a", "op": "eq", "value": True}, {"ref": "b", "op": "ge", "value": 10.0}]},
                {"any": [{"ref": "c", "op": "in", "value": ["x", "y"]}, {"ref": "c", "op": "in", "value": ["x", "y"]}]},
            ]
        }
    )
    assert [k for k, _, _ in walk_with_keys(root)] == [
        "gates",
        "g0",
        "g0/a eq true",
        "g0/b ge 10",
        "gates/any 2",
        "gates/any 2/c in [x, y]",
        "gates/any 2/c in [x, y] #2",
    ]


def test_hanoi_gates_are_keyed_by_their_names():
    data = _run_json("hanoi", "hanoi-spcncl")
    gates = data["results"][0]["gates"]
    assert {"eligible", "g0_location", "g1_compliance", "tracks", "track_a", "track_b"} <= set(gates)
    assert "track_a/revenue_latest ge 10" in gates
