"""Typed access to single values of DataFrames and Series.

pandas-stubs types ``.at[...]`` as a wide union of every scalar pandas can hold; the report code
knows what each column holds, so it reads scalars through these helpers.
"""

from __future__ import annotations

from typing import Any

import pandas as pd


def at(obj: pd.DataFrame | pd.Series, *key: Any) -> Any:
    """``obj.at[row, column]`` (or ``obj.at[label]`` for a Series), typed as Any."""
    return obj.at[key if len(key) > 1 else key[0]]


def num(value: Any) -> float:
    """A scalar as float (NaN stays NaN)."""
    return float(value)


def opt_num(value: Any) -> float | None:
    """A scalar as float, or None when it is missing."""
    return None if value is None or pd.isna(value) else float(value)
