"""The JSON Schema of the criteria format, generated from the pydantic models."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SCHEMA_FILE = Path(__file__).with_name("criteria.schema.json")


def criteria_schema() -> dict[str, Any]:
    from spcncl_score.criteria.models import CriteriaSet

    schema = CriteriaSet.model_json_schema(by_alias=True, mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://spcncl-score/criteria.schema.json"
    schema["title"] = "spcncl-score criteria set"
    return schema


def schema_text() -> str:
    return json.dumps(criteria_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
