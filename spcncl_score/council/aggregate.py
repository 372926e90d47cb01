"""Aggregating members' scores: conflicts out, quorum, mean/median/trimmed mean, disagreement,
optional leniency normalisation. Pure: DataFrames in, DataFrames and issues out."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from spcncl_score.council.conflicts import ConflictFound
from spcncl_score.council.model import Council
from spcncl_score.criteria.models import CriteriaSet
from spcncl_score.i18n import L, named
from spcncl_score.issues import Issue, Location, info, warning


@dataclass
class CouncilResult:
    council: Council
    raw: pd.DataFrame  # one row per member score kept: member, dossier, criterion, score, comment, z
    points: pd.DataFrame  # dossier x council criterion: the aggregate used for scoring
    stats: pd.DataFrame  # dossier, criterion, n, mean, median, std, min, max, spread, aggregate, normalised
    member_totals: pd.DataFrame  # dossier x member: each member's view of the total
    quorum: pd.Series  # dossier -> bool
    present: pd.Series  # dossier -> number of voting members who scored
    disagreements: pd.DataFrame  # dossier, spread, members
    conflicts: list[ConflictFound]
    issues: list[Issue] = field(default_factory=list)
    # consensus decisions of the minutes applied over the aggregate: dossier, criterion, decision,
    # aggregate (the members' figure it replaced), cell; None when no minutes were read
    decisions: pd.DataFrame | None = None
    # each member's changes since the preliminary round (member, dossier, criterion, preliminary,
    # official, change) and how many scores stayed the same; None when no preliminary round was read
    round_changes: pd.DataFrame | None = None
    unchanged: int = 0


def trimmed_mean(values: np.ndarray, fraction: float) -> float:
    v = np.sort(values[~np.isnan(values)])
    if len(v) == 0:
        return float("nan")
    k = int(np.floor(len(v) * fraction))
    return float(v[k : len(v) - k].mean()) if len(v) - 2 * k > 0 else float(v.mean())


def aggregate(
    council: Council,
    cs: CriteriaSet,
    dossiers: list[str],
    computed: pd.DataFrame,
    scores: pd.DataFrame,
    conflicts: list[ConflictFound],
    attending: set[str],
) -> CouncilResult:
    """Aggregate members' council points.

    ``computed``: dossier x criterion points of the computed criteria; ``scores``: long member
    scores; ``attending``: voting members who returned a valid form (present at the meeting).
    A member conflicted with a dossier counts as absent for it.
    """
    issues: list[Issue] = []
    crit_ids = [c.id for _, c in cs.criteria() if c.council]
    cols = ["member", "dossier", "criterion", "score", "comment"]
    df = scores[cols].copy() if len(scores) else pd.DataFrame(columns=cols)
    df["score"] = df["score"].astype(float)
    # conflicted members' scores never count, whatever the form says
    bad = {(f.member, f.dossier) for f in conflicts}
    if bad:
        keep = [(m, d) not in bad for m, d in zip(df["member"], df["dossier"], strict=True)]
        df = df[np.asarray(keep, dtype=bool)]
    # a score for a criterion the member is not assigned to is ignored, and said so
    allowed = {cid: {m.id for m in council.scorers(cs, cid)} for cid in crit_ids}
    ok = np.array([m in allowed.get(c, set()) for m, c in zip(df["member"], df["criterion"], strict=True)], dtype=bool)
    for _, r in df[~ok].iterrows():
        issues.append(
            warning(
                "council-not-assigned",
                Location(file=str(r["dossier"]), field=str(r["criterion"])),
                member=_member(council, str(r["member"])),
                criterion=_criterion(cs, str(r["criterion"])),
            )
        )
    df = df[ok].reset_index(drop=True)
    df["z"] = np.nan
    if council.normalisation.enabled and len(df):
        df = _normalise(council, cs, df, issues)

    idx = pd.Index(dossiers, name="dossier")
    voting = [m.id for m in council.voting]
    # present for a dossier: returned a form, not conflicted with it, and, when the member has
    # criteria to score, scored at least one of them there (a blank form is not a presence)
    scorers = {m.id for cid in crit_ids for m in council.scorers(cs, cid)}
    scored_pairs = set(zip(df["member"], df["dossier"], strict=True))

    def is_present(m: str, d: str) -> bool:
        return m in attending and (m, d) not in bad and (m not in scorers or (m, d) in scored_pairs)

    present = pd.Series([sum(1 for m in voting if is_present(m, d)) for d in idx], index=idx, dtype=int)
    needed = council.quorum_size()
    chair = council.chair
    chair_ok = pd.Series(True, index=idx)
    if council.quorum.chair_required and chair is not None:
        # a chair conflicted with a dossier is absent for it, like any member
        chair_ok = pd.Series([is_present(chair.id, d) for d in idx], index=idx)
    quorum = (present >= needed) & chair_ok
    for d in idx[~quorum.to_numpy()]:
        chair_txt = L(" và Chủ tịch", " and the chair") if council.quorum.chair_required else ""
        issues.append(
            warning(
                "council-quorum",
                Location(file=str(d)),
                dossier=str(d),
                present=int(present[d]),
                voting=len(voting),
                needed=needed,
                chair=chair_txt,
            )
        )

    stat_rows = []
    points = pd.DataFrame(np.nan, index=idx, columns=crit_ids)
    for key, grp in df.groupby(["dossier", "criterion"], sort=True):
        d, cid = str(key[0]), str(key[1])
        v = grp["score"].to_numpy(dtype=float)
        agg = _agg(council, v)
        # normalised figures inform the council; the decision stays on the raw scores
        norm = _agg(council, grp["z_score"].to_numpy(dtype=float)) if "z_score" in grp else float("nan")
        points.at[d, cid] = agg
        stat_rows.append(
            {
                "dossier": d,
                "criterion": cid,
                "n": len(v),
                "mean": float(v.mean()),
                "median": float(np.median(v)),
                "std": float(v.std(ddof=1)) if len(v) > 1 else 0.0,
                "min": float(v.min()),
                "max": float(v.max()),
                "spread": float(v.max() - v.min()),
                "aggregate": agg,
                "normalised": norm,
            }
        )
    stats = pd.DataFrame(
        stat_rows,
        columns=[
            "dossier",
            "criterion",
            "n",
            "mean",
            "median",
            "std",
            "min",
            "max",
            "spread",
            "aggregate",
            "normalised",
        ],
    )
    points = points.round(6)
    # each member's view of the total: computed points + their own council points
    # (+ the aggregate where they were not assigned), the figure councils compare
    base = computed.reindex(idx).sum(axis=1) if len(computed.columns) else pd.Series(0.0, index=idx)
    totals = pd.DataFrame(index=idx)
    for m in voting:
        mine = df[df["member"] == m].pivot_table(index="dossier", columns="criterion", values="score", aggfunc="first")
        mine = mine.reindex(index=idx, columns=crit_ids)
        if mine.notna().to_numpy().any():
            filled = mine.where(mine.notna(), points)
            scored_any = mine.notna().any(axis=1)
            totals[m] = (base + filled.fillna(0).sum(axis=1)).where(scored_any)
    spread = (totals.max(axis=1) - totals.min(axis=1)).fillna(0.0) if len(totals.columns) else pd.Series(0.0, index=idx)
    flagged = spread > council.disagreement_threshold + 1e-9
    dis = pd.DataFrame({"dossier": idx[flagged.to_numpy()], "spread": spread[flagged].to_numpy()})
    for d in dis["dossier"]:
        issues.append(
            warning(
                "council-disagreement",
                Location(file=str(d)),
                dossier=str(d),
                spread=float(spread[d]),
                threshold=council.disagreement_threshold,
            )
        )
    for f in conflicts:
        code = "council-conflict-declared" if f.declared else "council-conflict-detected"
        issues.append(
            info(
                code,
                Location(file=f.dossier),
                member=_member(council, f.member),
                tax_code=f.tax_code,
                reason=f.why,
                organisation=f.why,
            )
        )
    return CouncilResult(council, df, points, stats, totals.round(6), quorum, present, dis, conflicts, issues)


def _member(council: Council, mid: str) -> str:
    """A member id that messages show by the member's name."""
    m = council.member(mid)
    return named(mid, m.name) if m is not None else mid


def _criterion(cs: CriteriaSet, cid: str) -> str:
    """A criterion id that messages show by its title."""
    c = cs.criterion(cid)
    return named(cid, c.title) if c is not None else cid


def _agg(council: Council, v: np.ndarray) -> float:
    v = v[~np.isnan(v)]
    if len(v) == 0:
        return float("nan")
    if council.aggregation == "median":
        return float(np.median(v))
    if council.aggregation == "trimmed_mean":
        return trimmed_mean(v, council.trim_fraction)
    return float(v.mean())


def _normalise(council: Council, cs: CriteriaSet, df: pd.DataFrame, issues: list[Issue]) -> pd.DataFrame:
    """Per-member z-scores of score/max, mapped back to points with the panel's mean and spread."""
    maxes = {c.id: c.max for _, c in cs.criteria()}
    frac = df["score"] / df["criterion"].map(maxes)
    df = df.assign(frac=frac)
    g_mean, g_std = float(frac.mean()), float(frac.std(ddof=0)) or 1.0
    df["z_score"] = np.nan
    for m, grp in df.groupby("member"):
        n = grp["dossier"].nunique()
        if n < council.normalisation.min_dossiers:
            issues.append(
                warning(
                    "council-normalisation-refused",
                    Location(),
                    member=_member(council, str(m)),
                    count=n,
                    minimum=council.normalisation.min_dossiers,
                )
            )
            continue
        mu, sd = float(grp["frac"].mean()), float(grp["frac"].std(ddof=0))
        z = (grp["frac"] - mu) / (sd if sd > 0 else 1.0)
        df.loc[grp.index, "z"] = z
        adj = (g_mean + z * g_std).clip(0, 1) * grp["criterion"].map(maxes)
        df.loc[grp.index, "z_score"] = adj
    return df.drop(columns=["frac"])
