"""The Monte-Carlo Top-N membership, taken from one partition per run instead of a sort."""

from __future__ import annotations

import numpy as np
import pytest

from spcncl_score.scoring.sensitivity import _first_n


def _by_stable_sort(values: np.ndarray, n: int) -> np.ndarray:
    """The first ``n`` of each row after a stable descending sort (how the runs were ranked before)."""
    order = np.argsort(-values, axis=1, kind="stable")
    ranks = np.empty_like(order)
    ranks[np.arange(len(values))[:, None], order] = np.arange(values.shape[1])[None, :]
    return ranks < n


@pytest.mark.parametrize("seed", range(20))
def test_first_n_is_the_head_of_a_stable_sort_ties_included(seed):
    rng = np.random.default_rng(seed)
    for _ in range(30):
        runs, width, n = int(rng.integers(1, 6)), int(rng.integers(1, 40)), int(rng.integers(1, 45))
        # few distinct values, signed zeros and left-out rows (-inf): ties everywhere, across the line too
        values = rng.integers(0, 4, (runs, width)) * rng.choice([1.0, 0.5], (runs, width))
        values[rng.random((runs, width)) < 0.2] = -0.0
        values[rng.random((runs, width)) < 0.3] = -np.inf
        assert (_first_n(values, n) == _by_stable_sort(values, n)).all()


def test_first_n_on_distinct_values():
    values = np.array([[3.0, 1.0, 4.0, 1.5, 5.0, 9.0, 2.0, 6.0]])
    assert np.flatnonzero(_first_n(values, 3)[0]).tolist() == [4, 5, 7]
