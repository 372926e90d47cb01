"""Report tables about the council and the proposed decision (Vietnamese by default)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from spcncl_score.i18n import label
from spcncl_score.report.tables import Column, Table, ident, separated_text
from spcncl_score.scoring.engine import BASIS_SELF
from spcncl_score.scoring.frames import at
from spcncl_score.scoring.result import RunResult, outcomes


def recognition_table(result: RunResult, lang: str) -> Table:
    cs = result.criteria
    cols = [
        Column(label("no", lang), "int", 6),
        Column(label("enterprise", lang), "wrap", 38),
        Column(label("tax_code", lang), "code", 15),
        Column(label("product", lang), "wrap", 38),
        Column(label("total_points", lang), "total", 11),
        Column(label("rank", lang), "int", 7),
        Column(label("outcome", lang), "outcome", 16),
        Column(label("separated_by", lang), "wrap", 24),
    ]
    t = Table("recognition", label("sheet_recognition", lang), cols)
    if result.ranking is None or result.scores is None:
        return t
    no = 0
    rk = result.ranking
    recognised = result.scores.outcome["recognised"].reindex(rk.index).to_numpy(dtype=bool)
    totals = result.scores.total.reindex(rk.index).to_numpy(dtype=float)
    shown = outcomes(result, lang)
    for d, rec, total, rank, sep_by in zip(
        rk.index, recognised, totals, rk["rank"].tolist(), rk["separated_by"].tolist(), strict=True
    ):
        if not rec:
            continue
        no += 1
        ent, tax, prod, _ = ident(result, str(d))
        text, style = shown[str(d)]
        t.rows.append(
            [
                no,
                ent,
                tax,
                prod,
                float(total),
                int(rank),
                text,
                separated_text(cs, sep_by, lang),
            ]
        )
        t.styles.append(style)
    return t


def reconciliation_table(result: RunResult, lang: str) -> Table:
    """Where a self-score differs from the computed or council points: self-score, points, difference.

    Agreements are counted in the first row, not listed: the working group reads this sheet for what
    to query, and the detail sheet already holds every self-score beside its points.
    """
    cs = result.criteria
    cols = [
        Column(label("file", lang), "text", 26),
        Column(label("enterprise", lang), "wrap", 30),
        Column(label("criterion_id", lang), "text", 16),
        Column(label("self_score", lang), "points", 10),
        Column(label("council_or_computed", lang), "points", 12),
        Column(label("difference", lang), "points", 12),
        Column(label("basis", lang), "wrap", 24),
        Column(label("flag", lang), "text", 14),
    ]
    t = Table("reconciliation", label("sheet_reconciliation", lang), cols)
    sc = result.scores
    if sc is None or result.ranking is None:
        return t
    tol = cs.outcome.overclaim_tolerance
    ids = [c.id for _, c in cs.criteria()]
    order = result.ranking.index
    selfv = sc.self_scores.reindex(index=order, columns=ids).to_numpy(dtype=float)
    pts = sc.points.reindex(index=order, columns=ids).to_numpy(dtype=float)
    basis = sc.basis.reindex(index=order, columns=ids).to_numpy(dtype=object)
    # the self-score standing in for a council score is not compared with itself
    compared = ~np.isnan(selfv) & (basis != BASIS_SELF)
    diff = selfv - pts
    differs = compared & (np.abs(diff) > 1e-9)
    rows, cols_at = np.nonzero(differs)
    t.rows.append(
        [
            label(
                "reconciliation_note",
                lang,
                compared=int(compared.sum()),
                agree=int(compared.sum() - len(rows)),
                detail=label("sheet_detail", lang),
            )
        ]
        + [None] * (len(cols) - 1)
    )
    t.styles.append("group")
    for i, j in zip(rows.tolist(), cols_at.tolist(), strict=True):
        d = str(order[i])
        ent = ident(result, d)[0]
        over = bool(diff[i, j] > tol + 1e-9)
        t.rows.append(
            [
                d,
                ent,
                ids[j],
                float(selfv[i, j]),
                float(pts[i, j]),
                float(diff[i, j]),
                label(f"basis_{basis[i, j]}", lang),
                label("overclaim", lang) if over else "",
            ]
        )
        t.styles.append("overclaim" if over else "")
    return t


def council_tables(result: RunResult, lang: str) -> list[Table]:
    cr = result.council
    if cr is None:
        return []
    council = cr.council
    names = {m.id: m for m in council.members}
    # member scores, raw first; normalised beside them when asked for
    cols = [
        Column(label("file", lang), "text", 26),
        Column(label("enterprise", lang), "wrap", 28),
        Column(label("criterion_id", lang), "text", 15),
        Column(label("member", lang), "wrap", 24),
        Column(label("organisation", lang), "wrap", 26),
        Column(label("points", lang), "points", 9),
        Column(label("z_score", lang), "points", 12),
        Column(label("comment", lang), "wrap", 40),
    ]
    members = Table("members", label("sheet_members", lang), cols)
    raw = cr.raw.sort_values(["dossier", "criterion", "member"])
    for _, r in raw.iterrows():
        m = names.get(str(r["member"]))
        ent = ident(result, str(r["dossier"]))[0]
        z = r.get("z_score") if council.normalisation.enabled else None
        members.rows.append(
            [
                r["dossier"],
                ent,
                r["criterion"],
                m.name if m else r["member"],
                m.organisation if m else "",
                float(r["score"]),
                None if z is None or pd.isna(z) else float(z),
                r.get("comment", ""),
            ]
        )
        members.styles.append("")
    cols = [
        Column(label("file", lang), "text", 26),
        Column(label("criterion_id", lang), "text", 15),
        Column(label("n_scores", lang), "int", 9),
        Column(label("mean", lang), "points", 10),
        Column(label("median", lang), "points", 10),
        Column(label("std", lang), "points", 10),
        Column(label("spread", lang), "points", 12),
        Column(label("aggregate", lang), "points", 11),
    ]
    decided: dict[tuple[str, str], float] = {}
    if cr.decisions is not None:  # a column only when minutes were read: other reports stay as they were
        cols.append(Column(label("decision", lang), "points", 12))
        decided = {
            (str(d), str(c)): float(v)
            for d, c, v in zip(
                cr.decisions["dossier"], cr.decisions["criterion"], cr.decisions["decision"], strict=True
            )
        }
    stats = Table("council_stats", label("sheet_council_stats", lang), cols)
    for _, r in cr.stats.iterrows():
        stats.rows.append(
            [r["dossier"], r["criterion"], int(r["n"]), r["mean"], r["median"], r["std"], r["spread"], r["aggregate"]]
        )
        if cr.decisions is not None:
            stats.rows[-1].append(decided.get((str(r["dossier"]), str(r["criterion"]))))
        stats.styles.append("")
    voting = [m for m in council.voting if m.id in cr.member_totals.columns]
    cols = [
        Column(label("file", lang), "text", 26),
        Column(label("enterprise", lang), "wrap", 30),
        Column(label("spread", lang), "points", 12),
    ]
    cols += [Column(m.name, "points", 12) for m in voting]
    dis = Table("disagreement", label("sheet_disagreement", lang), cols)
    for _, r in cr.disagreements.iterrows():
        d = r["dossier"]
        ent = ident(result, str(d))[0]
        row: list[Any] = [d, ent, float(r["spread"])]
        row += [
            None if pd.isna(at(cr.member_totals, d, m.id)) else float(at(cr.member_totals, d, m.id)) for m in voting
        ]
        dis.rows.append(row)
        dis.styles.append("tie")
    # the minutes hold only what the council must settle, with room for the decision
    cols = [
        Column(label("no", lang), "int", 6),
        Column(label("file", lang), "text", 26),
        Column(label("enterprise", lang), "wrap", 30),
        Column(label("issue_item", lang), "wrap", 60),
        Column(label("decision", lang), "wrap", 50),
    ]
    minutes = Table("minutes", label("sheet_minutes", lang), cols)
    flagged = [
        i
        for i in result.issues
        if i.code
        in (
            "council-disagreement",
            "council-quorum",
            "rank-tie-at-top-n",
            "rank-unbroken-tie",
            "rank-cap-tie",
            "score-overclaim",
            "implausible-value",
        )
    ]
    for no, i in enumerate(flagged, 1):
        f = i.location.file or ""
        ent = ident(result, f)[0] if f else ""
        minutes.rows.append([no, f, ent, i.message(lang), ""])
        minutes.styles.append("")
    tables = [members, stats, dis, minutes]
    if cr.round_changes is not None:
        tables.insert(1, _round_changes_table(result, lang))
    return tables


def _round_changes_table(result: RunResult, lang: str) -> Table:
    """Each member's scores that moved between the preliminary and the official round."""
    cr = result.council
    names = {m.id: m.name for m in cr.council.members}
    cols = [
        Column(label("file", lang), "text", 26),
        Column(label("enterprise", lang), "wrap", 28),
        Column(label("criterion_id", lang), "text", 15),
        Column(label("member", lang), "wrap", 24),
        Column(label("score_preliminary", lang), "points", 11),
        Column(label("score_official", lang), "points", 11),
        Column(label("score_change", lang), "points", 10),
    ]
    t = Table("round_changes", label("sheet_round_changes", lang), cols)
    t.rows.append([None, label("round_changes_note", lang, unchanged=cr.unchanged)] + [None] * (len(cols) - 2))
    t.styles.append("group")
    for _, r in cr.round_changes.iterrows():
        d = str(r["dossier"])
        t.rows.append(
            [
                d,
                ident(result, d)[0],
                r["criterion"],
                names.get(str(r["member"]), r["member"]),
                None if pd.isna(r["preliminary"]) else float(r["preliminary"]),
                None if pd.isna(r["official"]) else float(r["official"]),
                None if pd.isna(r["change"]) else float(r["change"]),
            ]
        )
        t.styles.append("")
    return t
