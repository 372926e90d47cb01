"""The documented Python API (issue #15): the README's example runs as written, and scoring a
DataFrame of the forms' own inputs gives the forms' results."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from spcncl_score.issues import SpcnclError

ROOT = Path(__file__).resolve().parent.parent


def readme_example() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    marker = text.index("<!-- the example below is run as written by tests/test_api.py -->")
    block = re.search(r"```python\n(.*?)```", text[marker:], re.S)
    assert block is not None
    return block.group(1)


def test_the_readme_example_runs_as_written(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    space: dict[str, object] = {}
    exec(compile(readme_example(), "README.md", "exec"), space)
    forms, what_if = space["forms"], space["what_if"]
    assert len(what_if.ranking) == 17  # type: ignore[attr-defined]
    # higher revenue: no total falls, and the scale criterion lifts some
    before = forms.scores.total.to_numpy()  # type: ignore[attr-defined]
    after = what_if.scores.total.to_numpy()  # type: ignore[attr-defined]
    assert (after >= before).all() and (after > before).any()
    printed = capsys.readouterr().out
    assert "dataframe#hn01-co-khi-chinh-xac-dong-anh.xlsx" in printed


def test_a_frame_of_the_forms_inputs_scores_as_the_forms() -> None:
    from spcncl_score import evaluate, evaluate_frame

    forms = evaluate(["samples/hanoi"], sensitivity=None)
    same = evaluate_frame(forms.frame.join(forms.scores.self_scores.add_prefix("s.")), sensitivity=None)
    assert same.scores.total.tolist() == forms.scores.total.tolist()
    assert same.ranking["rank"].tolist() == forms.ranking["rank"].tolist()
    assert same.scores.outcome.to_numpy().tolist() == forms.scores.outcome.to_numpy().tolist()
    assert same.ranking.index[0] == "dataframe#hn01-co-khi-chinh-xac-dong-anh.xlsx"


def test_a_frame_without_field_columns_raises_with_the_reason() -> None:
    from spcncl_score import evaluate_frame

    with pytest.raises(SpcnclError) as caught:
        evaluate_frame(pd.DataFrame({"a": [1], "b": [2]}))
    assert [i.code for i in caught.value.issues] == ["table-no-columns"]


def test_importing_the_package_loads_nothing_heavy() -> None:
    code = (
        "import sys, spcncl_score; "
        "heavy = [m for m in ('pandas', 'spcncl_score.evaluation.pipeline', 'pydantic') if m in sys.modules]; "
        "print(heavy); from spcncl_score import load_criteria; print(load_criteria('ocop')[0].id)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT).stdout
    assert out.splitlines() == ["[]", "ocop"]
