"""How close each outcome is to flipping: exact margins, and a seeded Monte-Carlo perturbation.

Pure and vectorised: the points matrix is perturbed for many runs at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from spcncl_score.criteria.models import CriteriaSet
from spcncl_score.scoring.engine import ScoreResult

DEFAULT_RUNS = 1000
DEFAULT_SPREAD = 10.0  # ± percent of each criterion's points
FRAGILE_BELOW = 0.90  # an outcome that holds in fewer runs than this is fragile
# perturbed points held at once (runs x dossiers x criteria): 2 MB, so the in-place passes over
# them stay in the CPU cache (the runs' results do not depend on how they are grouped)
_CHUNK_VALUES = 262_144


@dataclass(frozen=True)
class SensitivitySettings:
    runs: int = DEFAULT_RUNS
    spread_percent: float = DEFAULT_SPREAD
    seed: int = 20231107
    fragile_below: float = FRAGILE_BELOW


def margins(cs: CriteriaSet, scores: ScoreResult, ranking: pd.DataFrame) -> pd.DataFrame:
    """Exact distance of each total to the pass mark and to the Top-N line (points)."""
    total = scores.total.reindex(ranking.index)
    to_pass = total - cs.outcome.pass_mark
    n = cs.ranking.top_n
    line = pd.Series(np.nan, index=ranking.index)
    if n:
        allowed = ranking[
            scores.outcome["recognised"].reindex(ranking.index).to_numpy(dtype=bool)
            & ~ranking["capped"].to_numpy(dtype=bool)
        ]
        inside = total.reindex(allowed.index)[allowed["top"].to_numpy(dtype=bool)]
        outside = total.reindex(allowed.index)[~allowed["top"].to_numpy(dtype=bool)]
        lowest_in = float(inside.min()) if len(inside) else np.nan
        highest_out = float(outside.max()) if len(outside) else np.nan
        is_top = ranking["top"].to_numpy(dtype=bool)
        # inside: how much it may lose before the best outsider catches it; outside: what it lacks
        line = pd.Series(
            np.where(is_top, total - (highest_out if not np.isnan(highest_out) else 0.0), total - lowest_in),
            index=ranking.index,
        )
    return pd.DataFrame({"to_pass_mark": to_pass.round(6), "to_top_line": line.round(6)})


Progress = Callable[[int, int, str], None]


def monte_carlo(
    cs: CriteriaSet,
    scores: ScoreResult,
    ranking: pd.DataFrame,
    settings: SensitivitySettings = SensitivitySettings(),
    progress: Progress | None = None,
) -> pd.DataFrame:
    """Share of runs in which each dossier keeps its outcome when every criterion's points move ±x %.

    ``progress`` hears (runs done, runs, "") after each group of runs: at 30,000 dossiers the runs
    take seconds, and a progress display must not stand still that long.
    """
    idx = ranking.index
    pts = scores.points.reindex(idx).to_numpy(dtype=float)
    maxes = np.array([c.max for _, c in cs.criteria()], dtype=float)
    eligible = scores.outcome["eligible"].reindex(idx).to_numpy(dtype=bool)
    base_rec = scores.outcome["recognised"].reindex(idx).to_numpy(dtype=bool)
    base_top = ranking["top"].to_numpy(dtype=bool)
    # floors other than the pass mark (minimums, knock-outs, quorum) are held as they are
    floors_ok = base_rec | ~(scores.total.reindex(idx).to_numpy() + 1e-9 >= cs.outcome.pass_mark) & eligible
    floors_ok &= eligible
    rng = np.random.default_rng(settings.seed)
    n, k = pts.shape
    same_rec = np.zeros(n)
    same_top = np.zeros(n)
    top_n = cs.ranking.top_n or 0
    done = 0
    chunk = max(1, min(settings.runs, _CHUNK_VALUES // max(1, n * k)))
    buffer = np.empty((chunk, n, k))
    # the maximum per cell, not per column: broadcast over runs only, numpy walks n x k in one loop
    cell_max = np.ascontiguousarray(np.broadcast_to(maxes, (n, k)))
    while done < settings.runs:
        r = min(chunk, settings.runs - done)
        p = buffer[:r]
        # in place, the same numbers as clip(pts * (1 + uniform(-1, 1) * spread / 100), 0, max):
        # uniform(-1, 1) is -1 + 2 * random() from the same stream, and each step rounds as before
        rng.random(out=p)
        p *= 2.0
        p -= 1.0
        p *= settings.spread_percent
        p /= 100.0
        p += 1.0
        p *= pts
        np.clip(p, 0.0, cell_max, out=p)
        totals = p.sum(axis=2)  # (r, n)
        rec = floors_ok[None, :] & (totals + 1e-9 >= cs.outcome.pass_mark)
        same_rec += (rec == base_rec[None, :]).sum(axis=0)
        if top_n:
            # Top N by perturbed total among the recognised (exact ties are measure-zero here)
            top = rec & _first_n(np.where(rec, totals, -np.inf), top_n)
            same_top += (top == base_top[None, :]).sum(axis=0)
        done += r
        if progress is not None:
            progress(done, settings.runs, "")
    p_rec = same_rec / settings.runs
    p_top = same_top / settings.runs if top_n else np.ones(n)
    stability = np.minimum(p_rec, p_top)
    return pd.DataFrame(
        {
            "p_same_recognition": p_rec.round(4),
            "p_same_top": p_top.round(4),
            "stability": stability.round(4),
            "fragile": stability < settings.fragile_below,
        },
        index=idx,
    )


def _first_n(values: np.ndarray, n: int) -> np.ndarray:
    """Per row, whether a value is among the ``n`` largest, equal values taken in column order.

    What a stable descending sort of each row would put first, from one partition instead of a
    sort: every value above the n-th largest, and as many equal to it as still fit, leftmost first.
    """
    width = values.shape[1]
    if n >= width:
        return np.ones(values.shape, dtype=bool)
    line = np.partition(values, width - n, axis=1)[:, width - n : width - n + 1]
    above = values > line
    level = values == line
    room = n - above.sum(axis=1, keepdims=True)
    return above | (level & (np.cumsum(level, axis=1) <= room))


def sensitivity(
    cs: CriteriaSet,
    scores: ScoreResult,
    ranking: pd.DataFrame,
    settings: SensitivitySettings = SensitivitySettings(),
    progress: Progress | None = None,
) -> pd.DataFrame:
    if len(ranking) == 0:
        return pd.DataFrame(
            columns=["to_pass_mark", "to_top_line", "p_same_recognition", "p_same_top", "stability", "fragile"]
        )
    out = margins(cs, scores, ranking).join(monte_carlo(cs, scores, ranking, settings, progress))
    # an ineligible product has no Top-N line to speak of: the gates, not points, decide it
    eligible = scores.outcome["eligible"].reindex(out.index).to_numpy(dtype=bool)
    out.loc[~eligible, "to_top_line"] = np.nan
    return out
