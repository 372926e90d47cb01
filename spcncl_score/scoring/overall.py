"""The overall ranking of a set with categories: every category's products ranked together.

Each category is scored with its own criteria, on the same scale (a category changes criteria,
never a group's maximum), so totals compare; the tie-breaks are the overall ranking's own, read
from each category's scores.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from spcncl_score.criteria.models import CriteriaSet, Ranking
from spcncl_score.issues import Issue
from spcncl_score.scoring.engine import ScoreResult
from spcncl_score.scoring.ranking import key_columns, rank_by


def rank_overall(
    overall: Ranking, parts: list[tuple[CriteriaSet, ScoreResult, pd.DataFrame, pd.Series]]
) -> tuple[pd.DataFrame, list[Issue]]:
    """One ranking of every part's dossiers (``rank``'s columns, plus ``part``: the category id).

    ``parts``: each category's set, scores, scoring frame and enterprises (for the cap)."""
    if not parts:
        return pd.DataFrame(
            columns=["position", "rank", "tied", "separated_by", "top", "top_tie", "capped", "part"]
        ), []
    columns = [key_columns(cs, scores, frame, overall) for cs, scores, frame, _ in parts]
    keys = [(name, pd.concat([c[k][1] for c in columns]), desc) for k, (name, _, desc) in enumerate(columns[0])]
    index = pd.Index(np.concatenate([scores.index.to_numpy(dtype=object) for _, scores, _, _ in parts]), name="dossier")
    for k, (name, values, desc) in enumerate(keys):
        keys[k] = (name, pd.Series(values.to_numpy(dtype=float), index=index), desc)
    recognised = np.concatenate([scores.outcome["recognised"].to_numpy(dtype=bool) for _, scores, _, _ in parts])
    enterprise = pd.concat([e.reindex(scores.index) for _, scores, _, e in parts])
    enterprise.index = index
    ranked, issues = rank_by(overall, index, keys, recognised, enterprise)
    part_of = pd.Series(
        np.concatenate([[cs.category.id if cs.category else cs.id] * len(scores.index) for cs, scores, _, _ in parts]),
        index=index,
        dtype=object,
    )
    ranked["part"] = part_of.reindex(ranked.index).to_numpy()
    return ranked, issues
