"""Eligibility gates: a boolean tree evaluated over all dossiers at once."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from spcncl_score.criteria.models import Gate, gate_key

Resolve = Callable[[str], pd.Series]


def evaluate_gates(root: Gate, resolve: Resolve, index: pd.Index) -> pd.DataFrame:
    """One boolean column per gate node (named by id, or by its path), root first."""
    out: dict[str, np.ndarray] = {}

    def visit(node: Gate, path: str) -> np.ndarray:
        if node.ref is not None:
            result = _leaf(node, resolve(node.ref))
        else:
            key = "all" if node.all is not None else "any"
            parts = [visit(c, f"{path}.{key}[{i}]") for i, c in enumerate(node.children())]
            stack = np.vstack(parts) if parts else np.ones((1, len(index)), dtype=bool)
            result = np.asarray(stack.all(axis=0) if node.all is not None else stack.any(axis=0))
        out[gate_key(node, path)] = result
        return result

    visit(root, "gates")
    root_key = gate_key(root, "gates")
    ordered = {root_key: out.pop(root_key), **out}
    return pd.DataFrame(ordered, index=index)


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


def passed_children(root: Gate, gates: pd.DataFrame) -> dict[str, list[str]]:
    """For every any-of node, the ids of children passed (e.g. which track), per node key."""
    found: dict[str, list[str]] = {}

    def visit(node: Gate, path: str) -> None:
        key = "all" if node.all is not None else "any"
        for i, c in enumerate(node.children()):
            visit(c, f"{path}.{key}[{i}]")
        if node.any is not None:
            found[gate_key(node, path)] = [gate_key(c, f"{path}.any[{i}]") for i, c in enumerate(node.any)]

    visit(root, "gates")
    return found
