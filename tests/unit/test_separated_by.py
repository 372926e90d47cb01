"""Which tie-break separated a product from an equal-total neighbour, for all neighbours at once."""

from __future__ import annotations

import numpy as np
import pytest

from spcncl_score.scoring.ranking import _separated_by


def _one_by_one(mat: np.ndarray, names: list[str], rec: np.ndarray) -> list[str]:
    """The neighbour above first, then the one below; one that is equal on every key separates nothing."""
    out = [""] * len(mat)
    for i in range(len(mat)):
        for j in (i - 1, i + 1):
            if 0 <= j < len(mat) and rec[i] == rec[j] and mat[i, 0] == mat[j, 0]:
                diff = np.flatnonzero(mat[i] != mat[j])
                if len(diff):
                    out[i] = names[diff[0]]
                    break
    return out


@pytest.mark.parametrize("seed", range(20))
def test_separated_by_matches_asking_each_neighbour_in_turn(seed):
    rng = np.random.default_rng(seed)
    for _ in range(20):
        rows, keys = int(rng.integers(0, 30)), int(rng.integers(1, 5))
        mat = rng.integers(0, 3, (rows, keys)).astype(float)
        mat[rng.random((rows, keys)) < 0.1] = -np.inf  # a missing tie-break value
        mat = mat[np.lexsort(mat.T[::-1])[::-1]]  # ranked: equal totals next to each other
        rec = rng.random(rows) < 0.7
        names = ["total", *(f"k{i}" for i in range(1, keys))]
        assert _separated_by(mat, names, rec).tolist() == _one_by_one(mat, names, rec)
