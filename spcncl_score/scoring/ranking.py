"""Ranking: total first, then the declared tie-breaks; Top N among recognised products.

A tie that the declared keys cannot break stays a tie (same rank) and is reported;
file order never decides.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from spcncl_score.criteria.models import CriteriaSet, Ranking
from spcncl_score.issues import Issue, Location, warning
from spcncl_score.scoring.engine import ScoreResult

TOTAL_KEY = "total"


def key_columns(
    cs: CriteriaSet, scores: ScoreResult, frame: pd.DataFrame, ranking: Ranking | None = None
) -> list[tuple[str, pd.Series, bool]]:
    """(name, values, descending) for the total and each tie-break of ``ranking`` (default: the set's)."""
    keys: list[tuple[str, pd.Series, bool]] = [(TOTAL_KEY, scores.total, True)]
    for tb in (ranking or cs.ranking).tie_breaks:
        ref = tb.ref
        if ref in scores.groups.columns:
            col = scores.groups[ref]
        elif ref in scores.points.columns:
            col = scores.points[ref]
        elif ref in scores.indicators.columns:
            col = scores.indicators[ref]
        else:
            col = pd.to_numeric(frame[ref], errors="coerce")
        keys.append((ref, col.astype(float), tb.order == "desc"))
    return keys


def rank(
    cs: CriteriaSet, scores: ScoreResult, frame: pd.DataFrame, enterprise: pd.Series
) -> tuple[pd.DataFrame, list[Issue]]:
    """Return one row per dossier in report order, with rank and Top-N status.

    Columns: rank (among recognised, else NA), tied (bool), separated_by (the key that
    separated it from an equal-total neighbour), top (bool), top_tie (bool),
    capped (bool: left out of the Top N by the per-enterprise cap), position.
    """
    keys = key_columns(cs, scores, frame)
    return rank_by(cs.ranking, scores.index, keys, scores.outcome["recognised"].to_numpy(dtype=bool), enterprise)


def rank_by(
    ranking: Ranking,
    index: pd.Index,
    keys: list[tuple[str, pd.Series, bool]],
    recognised: np.ndarray,
    enterprise: pd.Series,
) -> tuple[pd.DataFrame, list[Issue]]:
    """``rank`` on given keys: also the overall ranking of several categories, whose keys are
    each category's own."""
    # numpy lexsort: last key is primary; NaN sorts as the worst value in either order
    sort_keys: list[np.ndarray] = [np.asarray(index.astype(str))]  # display order only, never a rank
    for _, col, desc in reversed(keys):
        v = col.to_numpy(dtype=float)
        v = np.where(np.isnan(v), np.inf, -v if desc else v)
        sort_keys.append(v)
    sort_keys.append(~recognised)  # recognised first
    order = np.lexsort(sort_keys)
    ordered = index[order]
    mat = np.column_stack([np.nan_to_num(c.to_numpy(dtype=float)[order], nan=-np.inf) for _, c, _ in keys])
    rec = recognised[order]
    n = len(order)
    same_prev = np.zeros(n, dtype=bool)
    if n > 1:
        same_prev[1:] = np.all(mat[1:] == mat[:-1], axis=1) & (rec[1:] == rec[:-1])
    # competition ranking ("1, 2, 2, 4") among recognised products
    position = np.arange(1, n + 1)
    rank_arr = np.maximum.accumulate(np.where(same_prev, 0, position)) if n else position
    tied = same_prev.copy()
    tied[:-1] |= same_prev[1:]
    separated = _separated_by(mat, [k for k, _, _ in keys], rec)

    top = np.zeros(n, dtype=bool)
    top_tie = np.zeros(n, dtype=bool)
    capped = np.zeros(n, dtype=bool)
    issues: list[Issue] = []  # filled below; declared before the cap so it can report ties
    top_n = ranking.top_n
    if top_n:
        ent = enterprise.reindex(ordered).fillna("").astype(str).to_numpy()
        allowed = rec.copy()
        cap = ranking.per_enterprise_cap
        if cap:
            # products of each enterprise counted in ranking order, among the recognised only
            counts = pd.Series(np.where(rec, ent, "")).groupby(np.where(rec, ent, "")).cumcount().to_numpy() + 1
            capped = rec & (counts > cap)
            allowed &= ~capped
            # which of an enterprise's equal products is capped must not depend on file names
            for i in np.flatnonzero(capped):
                twins = np.flatnonzero(allowed & (ent == ent[i]) & np.all(mat == mat[i], axis=1))
                if len(twins):
                    issues.append(
                        warning(
                            "rank-cap-tie",
                            Location(),
                            enterprise=str(ent[i]),
                            dossiers=[str(x) for x in ordered[np.r_[twins, i]]],
                        )
                    )
        # rank again among the products allowed into the Top N
        sub = np.flatnonzero(allowed)
        sub_same = np.zeros(len(sub), dtype=bool)
        if len(sub) > 1:
            sub_same[1:] = np.all(mat[sub[1:]] == mat[sub[:-1]], axis=1)
        sub_pos = np.arange(1, len(sub) + 1)
        sub_rank = np.maximum.accumulate(np.where(sub_same, 0, sub_pos)) if len(sub) else sub_pos
        # size of each tie group, so a tie across the boundary is seen as a whole
        group_last = (
            pd.Series(np.arange(len(sub))).groupby(sub_rank).transform("max").to_numpy() + 1 if len(sub) else sub_rank
        )
        inside = (sub_rank <= top_n) & (group_last <= top_n)
        straddle = (sub_rank <= top_n) & (group_last > top_n)
        top[sub[inside]] = True
        top_tie[sub[straddle]] = True
        if straddle.any():
            issues.append(
                warning("rank-tie-at-top-n", Location(), n=top_n, dossiers=[str(x) for x in ordered[sub[straddle]]])
            )
    # ties that no declared key breaks, among recognised products
    names = ordered.to_numpy()  # plain numpy: indexing a pandas Index per tie group is slow
    for grp in _tie_groups(same_prev & rec):
        issues.append(warning("rank-unbroken-tie", Location(), dossiers=[str(x) for x in names[grp]]))
    out = pd.DataFrame(
        {
            "position": position,
            "rank": pd.array(np.where(rec, rank_arr, 0), dtype="Int64"),
            "tied": tied & rec,
            "separated_by": separated,
            "top": top,
            "top_tie": top_tie,
            "capped": capped,
        },
        index=ordered,
    )
    out.loc[~rec, "rank"] = pd.NA
    return out, issues


def _separated_by(mat: np.ndarray, names: list[str], rec: np.ndarray) -> np.ndarray:
    """Name the tie-break key that separated a product from a neighbour with an equal total.

    The neighbour above is asked first, then the one below; a neighbour equal on every key
    separates nothing. Worked out for all neighbour pairs at once: a loop per product took
    ~3 s at a million products.
    """
    n = len(mat)
    if n < 2:
        return np.full(n, "", dtype=object)
    # pair i is (product i, product i + 1): the first key on which it differs, -1 if none separates it
    differs = mat[1:] != mat[:-1]
    separated = (rec[1:] == rec[:-1]) & ~differs[:, 0] & differs.any(axis=1)
    pair = np.where(separated, differs.argmax(axis=1), -1)
    above, below = np.full(n, -1), np.full(n, -1)
    above[1:] = pair
    below[:-1] = pair
    chosen = np.where(above >= 0, above, below)
    # texts: "" for none, then the key names
    texts = np.empty(len(names) + 1, dtype=object)
    texts[:] = ["", *names]
    return np.asarray(texts[chosen + 1])


def _tie_groups(same_prev: np.ndarray) -> list[list[int]]:
    groups: list[list[int]] = []
    for i in np.flatnonzero(same_prev):
        if groups and groups[-1][-1] == i - 1:
            groups[-1].append(int(i))
        else:
            groups.append([int(i) - 1, int(i)])
    return groups
