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


class Cells:
    """Fast repeated lookups into a DataFrame (``cells[row, column]``) or a Series (``cells[label]``).

    ``.at`` costs microseconds per call; a report reads hundreds of thousands of values. The
    columns are turned into Python lists once (values as ``tolist`` gives them: Python scalars).
    """

    def __init__(self, obj: pd.DataFrame | pd.Series) -> None:
        self._pos: dict[Any, int] = {k: i for i, k in enumerate(obj.index)}
        if isinstance(obj, pd.DataFrame):
            self._cols: dict[Any, list[Any]] | None = {c: obj[c].tolist() for c in obj.columns}
            self._values: list[Any] = []
        else:
            self._cols = None
            self._values = obj.tolist()

    def __getitem__(self, key: Any) -> Any:
        if self._cols is not None:
            row, column = key
            return self._cols[column][self._pos[row]]
        return self._values[self._pos[key]]
