from __future__ import annotations

import os
from pathlib import Path

import pytest

# The commands' default language follows the environment (SPCNCL_LANG, else the locale): the tests
# pin the Vietnamese default whatever the machine's locale; tests of the rule pass their own environ.
os.environ["SPCNCL_LANG"] = "vi"

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """The commands' default language set to English, for tests that pin English messages."""
    monkeypatch.setenv("SPCNCL_LANG", "en")


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def hanoi():
    from spcncl_score.criteria.loader import load_criteria

    cs, issues = load_criteria("hanoi-spcncl")
    assert cs is not None, [i.render("en") for i in issues]
    return cs
