from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def hanoi():
    from spcncl_score.criteria.loader import load_criteria

    cs, issues = load_criteria("hanoi-spcncl")
    assert cs is not None, [i.render("en") for i in issues]
    return cs
