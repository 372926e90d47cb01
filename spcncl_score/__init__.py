"""spcncl-score: criteria as data, self-assessment workbooks in, ranked council reports out.

The Python API (the objects the command line uses)::

    from spcncl_score import evaluate, evaluate_frame, load_criteria

    result = evaluate(["ho-so-2025/"])            # forms and tables under folders -> RunResult
    result = evaluate_frame(df, "hanoi-spcncl")   # a pandas DataFrame, one row per dossier
    cs, issues = load_criteria("ocop")            # a criteria set (or None) and what was found

They are imported on first use, so that ``import spcncl_score`` stays cheap.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["__version__", "evaluate", "evaluate_frame", "load_criteria"]


def __getattr__(name: str) -> Any:
    if name == "evaluate":
        from spcncl_score.evaluation.pipeline import evaluate

        return evaluate
    if name == "evaluate_frame":
        from spcncl_score.evaluation.dataframe import evaluate_frame

        return evaluate_frame
    if name == "load_criteria":
        from spcncl_score.criteria.loader import load_criteria

        return load_criteria
    raise AttributeError(f"module 'spcncl_score' has no attribute {name!r}")
