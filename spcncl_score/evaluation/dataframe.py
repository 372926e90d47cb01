"""Scoring a pandas DataFrame of dossiers: one row per dossier, columns named as a table's.

Columns are field ids and ``<id>@<k>`` year keys (the columns of ``RunResult.frame``), or any
spelling a table's header may use (``f.revenue.y0``, a label, ``s.<criterion>`` for a self-score).
Each row is read as a table row (intake/table.py) with the form reader's rules, named
``NAME#<index>``; its cells are named as if the frame were a sheet with its header in row 1.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

import pandas as pd

from spcncl_score.criteria.models import CriteriaSet
from spcncl_score.evaluation.pipeline import DEFAULT_SENSITIVITY, Intake, check_identity, load_or_raise, score_intake
from spcncl_score.intake.discovery import FoundFile
from spcncl_score.intake.table import read_rows
from spcncl_score.issues import Issue, SpcnclError
from spcncl_score.scoring.result import RunResult
from spcncl_score.scoring.sensitivity import SensitivitySettings


def evaluate_frame(
    frame: pd.DataFrame,
    criteria: str | Path | CriteriaSet | None = None,
    *,
    name: str = "dataframe",
    sensitivity: SensitivitySettings | None = DEFAULT_SENSITIVITY,
) -> RunResult:
    """Score the dossiers of ``frame`` (one per row) as ``evaluate`` scores forms: the same RunResult.

    ``criteria``: a shipped set's name, a file, or a CriteriaSet already loaded (default: the
    default set). Raises SpcnclError if the criteria are unusable or the frame's columns cannot
    be read as dossiers (no field columns, or a required field without a column)."""
    criteria_issues: list[Issue] = []
    if isinstance(criteria, CriteriaSet):
        cs = criteria
    else:
        cs, criteria_issues = load_or_raise(criteria)
    rows: list[list[Any]] = [[str(c) for c in frame.columns]]
    rows += [[_plain(v) for v in row] for row in frame.itertuples(index=False, name=None)]
    sha = hashlib.sha256(frame.to_csv().encode("utf-8")).hexdigest()
    names = [f"{name}#{idx}" for idx in frame.index]
    got = read_rows(rows, cs, name, "DataFrame", sha, row_names=names)
    assert got is not None  # sure=True: a frame that is no table is refused, not passed over
    reads, issues = got
    if len(reads) == 1 and reads[0].dossier is None and reads[0].file == name:
        raise SpcnclError([i for i in reads[0].issues if i.is_error])
    check_identity(cs, reads)
    for r in reads:
        issues.extend(r.issues)
    files = [FoundFile(Path(name), r.file, "table_row") for r in reads]
    # a set with categories is scored category by category, as evaluate does
    intake = Intake(cs, criteria_issues, files, reads, issues, {(cs.id, cs.version): (cs, criteria_issues)})
    return score_intake(intake, sensitivity=sensitivity)


def _plain(value: Any) -> Any:
    """A cell of the frame as a spreadsheet cell would hold it: None for a missing value, Python
    numbers and dates instead of numpy's and pandas'."""
    if value is None or (not isinstance(value, str) and pd.api.types.is_scalar(value) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, dt.date | str | bool | int | float):
        return value
    item = getattr(value, "item", None)  # a numpy scalar
    return item() if callable(item) else value
