"""Eligibility gates: a boolean tree evaluated over all dossiers at once.

Every node has a key: its `id`, or, for a node without one, a readable key derived from the
criteria (documented in criteria/README.md, "Gate keys"): the parent's key, '/', then the leaf's
comparison (`track_a/revenue_latest ge 10`) or, for an unnamed all/any node, its kind and position
(`eligible/any 2`). A root without an id is `gates`. Keys are stable for a given criteria file.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from spcncl_score.criteria.gatetree import walk_with_keys
from spcncl_score.criteria.models import Gate

Resolve = Callable[[str], pd.Series]


def evaluate_gates(root: Gate, resolve: Resolve, index: pd.Index) -> pd.DataFrame:
    """One boolean column per gate node (named by its key, see `walk_with_keys`), root first."""
    keys = {id(node): key for key, node, _ in walk_with_keys(root)}
    out: dict[str, np.ndarray] = {}

    def visit(node: Gate) -> np.ndarray:
        if node.ref is not None:
            result = _leaf(node, resolve(node.ref))
        else:
            parts = [visit(c) for c in node.children()]
            stack = np.vstack(parts) if parts else np.ones((1, len(index)), dtype=bool)
            result = np.asarray(stack.all(axis=0) if node.all is not None else stack.any(axis=0))
        out[keys[id(node)]] = result
        return result

    visit(root)
    return pd.DataFrame({key: out[key] for key in keys.values()}, index=index)


def compare(series: pd.Series, op: str, value: object) -> np.ndarray:
    """A leaf comparison over a column; a missing value never satisfies it."""
    return _leaf(Gate.model_validate({"ref": "x", "op": op, "value": value}), series)


def _leaf(node: Gate, series: pd.Series) -> np.ndarray:
    value = node.value
    x = series.to_numpy()
    if isinstance(value, bool):
        value = 1.0 if value else 0.0
    if node.op in ("in", "not_in"):
        assert isinstance(value, list)
        hit = np.isin(x.astype(object), value)
        present = pd.notna(series).to_numpy()
        return present & (hit if node.op == "in" else ~hit)
    if isinstance(value, (int, float)):
        xf = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float)
        with np.errstate(invalid="ignore"):
            ops = {
                "eq": xf == value,
                "ne": xf != value,
                "gt": xf > value,
                "ge": xf >= value,
                "lt": xf < value,
                "le": xf <= value,
            }
        # a missing value never satisfies a gate, whatever the operator
        return np.asarray(ops[node.op or "eq"]) & ~np.isnan(xf)
    present = pd.notna(series).to_numpy()
    xs = x.astype(object)
    res = xs == value if node.op == "eq" else xs != value
    return present & np.asarray(res, dtype=bool)
