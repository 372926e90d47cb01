"""Scoring: fields -> indicators -> criterion points -> groups -> total -> gates -> outcome.

Pure and vectorised: every step works on whole columns; no file, no printing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from spcncl_score.criteria.gatetree import walk_with_keys
from spcncl_score.criteria.models import CriteriaSet
from spcncl_score.criteria.rules import first_match
from spcncl_score.i18n import Named, named
from spcncl_score.issues import Issue, Location, warning
from spcncl_score.scoring.frames import num
from spcncl_score.scoring.gates import compare, evaluate_gates

# How each criterion's points were obtained
BASIS_COMPUTED = "computed"
BASIS_SELF = "self_score"  # council-scored, the self-score stands in until council scores arrive
BASIS_COUNCIL = "council"
BASIS_MISSING = "missing"
BASIS_NO_BAND = "no_band"
BASES = (BASIS_COMPUTED, BASIS_SELF, BASIS_COUNCIL, BASIS_MISSING, BASIS_NO_BAND)
# the label table of a computed criterion's basis (codes 0, 1, 2)
_COMPUTED_BASIS = (BASIS_COMPUTED, BASIS_MISSING, BASIS_NO_BAND)

_EPS = 1e-9


ReasonSpec = tuple[str, "np.ndarray", dict[str, Any]]  # code, dossiers it applies to, parameters


@dataclass(frozen=True)
class Reason:
    """Why an outcome is what it is; rendered in the reader's language at the edge."""

    code: str
    params: dict[str, Any]


@dataclass(frozen=True)
class LabelColumns:
    """A short text per dossier and criterion, kept as small integer codes into a table per criterion.

    A million dossiers make 30 million Python strings, which cost more than all the scoring
    arithmetic; the texts are made when a reader first asks for them.
    """

    index: pd.Index
    codes: dict[str, np.ndarray]  # per criterion, an index into its table
    tables: dict[str, tuple[str, ...]]

    def frame(self) -> pd.DataFrame:
        """The texts as a frame of strings, one column per criterion."""
        columns = {cid: _text_column(codes, self.tables[cid]) for cid, codes in self.codes.items()}
        # the arrays are fresh: copying them would be waste (an empty frame is left as pandas makes it)
        return pd.DataFrame(columns, index=self.index, copy=False if len(self.index) else None)


def _text_column(codes: np.ndarray, table: tuple[str, ...]) -> Any:
    """``table[code]`` per row, as the same string array pandas makes of an object array of those texts."""
    texts = np.empty(len(table), dtype=object)
    texts[:] = table
    if not len(codes):
        return texts[codes]  # pandas keeps an empty column as object, whatever it is meant to hold
    # the string array is made (and its type inferred) once for the table, then taken per row
    return pd.Series(texts, copy=False).array.take(codes)


@dataclass
class ScoreResult:
    index: pd.Index
    indicators: pd.DataFrame
    # the value each criterion scored (NaN / object), per criterion; read as the frame ``inputs``
    input_columns: dict[str, pd.Series]
    points: pd.DataFrame
    matched_codes: LabelColumns  # what matched: the band, anchor or answer ("" when nothing did)
    basis_codes: LabelColumns  # how the points were obtained: one of the BASIS_ texts
    self_scores: pd.DataFrame
    groups: pd.DataFrame
    total: pd.Series
    gates: pd.DataFrame
    outcome: pd.DataFrame  # eligible, passed, recognised, tier
    issues: list[Issue] = field(default_factory=list)
    reason_specs: list[ReasonSpec] = field(default_factory=list)

    # inputs, matched and basis are read for the detail sheet and `explain`, not by scoring,
    # ranking or sensitivity: they are made on first use (at a million dossiers, stacking the
    # 30 input columns alone took 0.2-0.9 s)

    @cached_property
    def inputs(self) -> pd.DataFrame:
        return pd.DataFrame(self.input_columns, index=self.index)

    @cached_property
    def matched(self) -> pd.DataFrame:
        return self.matched_codes.frame()

    @cached_property
    def basis(self) -> pd.DataFrame:
        return self.basis_codes.frame()

    def reasons(self, dossier: Any) -> list[Reason]:
        """Why a dossier's outcome is what it is, with its own figures in the parameters."""
        pos = self.index.get_loc(dossier)
        return [
            Reason(code, {k: (float(v[pos]) if isinstance(v, np.ndarray) else v) for k, v in params.items()})
            for code, mask, params in self.reason_specs
            if mask[pos]
        ]


def compute_indicators(cs: CriteriaSet, frame: pd.DataFrame) -> pd.DataFrame:
    cols: dict[str, pd.Series] = {}
    fields = {f.id: f for f in cs.fields}

    def resolve(ref: str) -> pd.Series:
        if ref in cols:
            return cols[ref]
        return pd.to_numeric(frame[ref], errors="coerce").astype(float)

    for ind in cs.indicators:
        yearly = ind.yearly()
        available = fields[yearly[0]].years or 1 if yearly else 1
        values = ind.compute(frame, resolve, available).astype(float)
        # 100 -> 115 -> 132.25 is 15 % growth, not 14.999999999999991: round away float noise
        # so that a value exactly on a band edge lands in the band the criteria file means
        finite = values.where(np.isfinite(values))
        # (rounding a figure near the float limit would overflow: such figures are left as they are)
        with np.errstate(over="ignore", invalid="ignore"):
            cols[ind.id] = finite.where(finite.abs() > 1e15, finite.round(9))
    return pd.DataFrame(cols, index=frame.index)


def score(
    cs: CriteriaSet,
    frame: pd.DataFrame,
    self_scores: pd.DataFrame,
    council: pd.DataFrame | None = None,
    quorum: pd.DataFrame | None = None,
) -> ScoreResult:
    """Score every dossier (rows of ``frame``) under ``cs``.

    ``council`` holds aggregated council points per council-scored criterion when
    available; otherwise the dossier's self-score stands in, marked as such.
    ``quorum`` (columns ok, present, needed) withholds recognition where the council
    had no quorum.
    """
    index = frame.index
    if not self_scores.index.equals(index):
        # self-scores are read by row position below: line them up with the dossiers first
        self_scores = self_scores.reindex(index)
    indicators = compute_indicators(cs, frame)

    def resolve(ref: str) -> pd.Series:
        if ref in indicators.columns:
            return indicators[ref]
        col = frame[ref]
        f = cs.field(ref)
        if f is not None and f.type in ("number", "integer", "yes_no"):
            return pd.to_numeric(col, errors="coerce").astype(float)
        return col

    crits = [crit for _group, crit in cs.criteria()]
    n = len(index)
    # one row per criterion, handed to pandas as one block: a dict of columns would be copied
    points = np.empty((len(crits), n), dtype=float)
    matched: dict[str, np.ndarray] = {}
    matched_tables: dict[str, tuple[str, ...]] = {}
    basis: dict[str, np.ndarray] = {}
    basis_tables: dict[str, tuple[str, ...]] = {}
    inputs: dict[str, pd.Series] = {}
    issues: list[Issue] = []
    ids = index.to_numpy()
    for j, crit in enumerate(crits):
        if crit.council:
            given = council[crit.id] if council is not None and crit.id in council else None
            self_col = self_scores[crit.id].to_numpy(dtype=float) if crit.id in self_scores else np.full(n, np.nan)
            if given is not None:
                pts = given.to_numpy(dtype=float)
                source = BASIS_COUNCIL
            else:
                pts = self_col
                source = BASIS_SELF
                used = int((~np.isnan(pts)).sum())
                if used:
                    # one note for the run: the detail sheet marks every such row
                    issues.append(
                        warning(
                            "score-self-score-used",
                            Location(field=crit.id),
                            criterion=named(crit.id, crit.title),
                            count=used,
                        )
                    )
                for i in np.flatnonzero(np.isnan(pts)):
                    issues.append(
                        warning(
                            "score-self-score-missing",
                            Location(file=str(ids[i]), field=crit.id),
                            criterion=named(crit.id, crit.title),
                        )
                    )
            missing = np.isnan(pts)
            _clip_points(pts, crit.max, points[j])
            basis[crit.id] = missing.view(np.int8)
            basis_tables[crit.id] = (source, BASIS_MISSING)
            # matched holds the basis where the points were given, "" where they are missing
            matched[crit.id] = (~missing).view(np.int8)
            matched_tables[crit.id] = ("", source)
            inputs[crit.id] = pd.Series(np.where(missing, np.nan, points[j]), index=index)
            continue
        assert crit.input is not None
        values = resolve(crit.input)
        inputs[crit.id] = values
        result = crit.rule.score(values.to_numpy())  # type: ignore[union-attr]
        missing = pd.isna(values).to_numpy()
        no_band = ~missing & ~result.in_range
        for i in np.flatnonzero(no_band):
            issues.append(
                warning(
                    "score-no-band",
                    Location(file=str(ids[i]), field=crit.id),
                    criterion=named(crit.id, crit.title),
                    value=_plain(values.iloc[i]),
                )
            )
        for i in np.flatnonzero(missing):
            issues.append(
                warning(
                    "score-missing-input",
                    Location(file=str(ids[i]), field=crit.id),
                    criterion=named(crit.id, crit.title),
                    ref=Named(crit.input, cs.label_of(crit.input, "vi"), cs.label_of(crit.input, "en")),
                )
            )
        _clip_points(result.points, crit.max, points[j])
        matched[crit.id] = result.codes
        matched_tables[crit.id] = result.texts
        basis[crit.id] = first_match(n, [missing, no_band])
        basis_tables[crit.id] = _COMPUTED_BASIS

    # rounding to 1e-6 keeps float noise (7.6000000000000005) from splitting true ties
    # (np.round is what DataFrame.round calls: one pass over the block instead of per column)
    np.round(points, 6, out=points)
    pts_df = pd.DataFrame(points.T, index=index, columns=[c.id for c in crits], copy=False)
    groups = pd.DataFrame({g.id: pts_df[[c.id for c in g.criteria]].sum(axis=1) for g in cs.groups}, index=index).round(
        6
    )
    total = groups.sum(axis=1).round(6)
    gates = evaluate_gates(cs.gates, resolve, index) if cs.gates else pd.DataFrame(index=index)
    sc = self_scores.reindex(columns=[c.id for _, c in cs.criteria()]).astype(float)
    outcome, reasons = _outcome(cs, pts_df, groups, total, gates, index, quorum)
    _check_plausibility(cs, resolve, index, issues)
    _flag_overclaims(cs, pts_df, sc, issues)
    return ScoreResult(
        index,
        indicators,
        inputs,
        pts_df,
        LabelColumns(index, matched, matched_tables),
        LabelColumns(index, basis, basis_tables),
        sc,
        groups,
        total,
        gates,
        outcome,
        issues,
        reasons,
    )


def _clip_points(points: np.ndarray, maximum: float, out: np.ndarray) -> None:
    """Missing points count 0, and points are held within 0..maximum.

    The same numbers as ``np.clip(np.nan_to_num(points, nan=0.0), 0.0, maximum)``, in half the
    time: nan_to_num also makes masked copies for the infinities, which clipping to a finite
    maximum settles alike.
    """
    np.clip(np.where(np.isnan(points), 0.0, points), 0.0, min(maximum, np.finfo(float).max), out=out)


def _plain(v: Any) -> Any:
    return float(v) if isinstance(v, (int, float, np.floating)) else str(v)


def _outcome(
    cs: CriteriaSet,
    pts: pd.DataFrame,
    groups: pd.DataFrame,
    total: pd.Series,
    gates: pd.DataFrame,
    index: pd.Index,
    quorum: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, list[ReasonSpec]]:
    n = len(index)
    reasons: list[ReasonSpec] = []

    def add(mask: np.ndarray, code: str, **params: Any) -> None:
        # kept as whole columns: Reason objects are made only for the dossiers a reader looks at
        if mask.any():
            reasons.append((code, np.asarray(mask, dtype=bool), params))

    eligible = np.ones(n, dtype=bool)
    if cs.gates is not None and len(gates.columns):
        eligible = gates.iloc[:, 0].to_numpy(dtype=bool)
        # name the failed gates one level below the root: the ones an officer can act on
        for key, node, depth in walk_with_keys(cs.gates):
            if depth == 1 or (depth == 0 and not cs.gates.children()):
                failed = ~gates[key].to_numpy(dtype=bool)
                title = node.title or None
                add(
                    failed,
                    "reason-gate-failed",
                    gate=key,
                    title_vi=title.vi if title else key,
                    title_en=title.en if title else key,
                )
    t = total.to_numpy(dtype=float)
    passed = t + _EPS >= cs.outcome.pass_mark
    add(~passed, "reason-below-pass-mark", total=t, pass_mark=cs.outcome.pass_mark)
    floors = np.ones(n, dtype=bool)  # minimums and knock-outs, apart from the pass mark
    for g in cs.groups:
        if g.minimum is not None:
            floor = g.minimum.threshold(g.max)
            low = groups[g.id].to_numpy(dtype=float) + _EPS < floor
            add(low, "reason-group-minimum", group=named(g.id, g.title), points=groups[g.id].to_numpy(), minimum=floor)
            floors &= ~low
        for c in g.criteria:
            col = pts[c.id].to_numpy(dtype=float)
            if c.minimum is not None:
                floor = c.minimum.threshold(c.max)
                low = col + _EPS < floor
                add(low, "reason-criterion-minimum", criterion=named(c.id, c.title), points=col, minimum=floor)
                floors &= ~low
            if c.knockout:
                ko = col <= _EPS
                add(ko, "reason-knockout", criterion=named(c.id, c.title))
                floors &= ~ko
    if quorum is not None:
        q = quorum.reindex(index)
        no_q = ~q["ok"].fillna(False).to_numpy(dtype=bool)
        add(
            no_q,
            "reason-no-quorum",
            present=q["present"].fillna(0).to_numpy(dtype=float),
            needed=q["needed"].fillna(0).to_numpy(dtype=float),
        )
        floors &= ~no_q
    ok = passed & floors
    recognised = eligible & ok
    # a tier rates an eligible product that meets its minimums and knock-outs, whatever the pass mark
    rated = eligible & floors
    tier = np.full(n, None, dtype=object)
    for tr in cs.outcome.tiers or []:
        hit = tr.interval.mask(t) & rated
        tier = np.where((tier == None) & hit, tr.id, tier)  # noqa: E711 - elementwise
    frame = pd.DataFrame({"eligible": eligible, "passed": ok, "recognised": recognised, "tier": tier}, index=index)
    return frame, reasons


def _flag_overclaims(cs: CriteriaSet, pts: pd.DataFrame, selfs: pd.DataFrame, issues: list[Issue]) -> None:
    # column by column: a whole-frame difference is another points-sized matrix for a handful of hits;
    # rows are taken by position, as the self-scores of council criteria are (same dossiers, same order)
    limit = cs.outcome.overclaim_tolerance + _EPS
    titles = {c.id: c.title for _, c in cs.criteria()}
    hits: list[tuple[np.ndarray, int, np.ndarray, np.ndarray, np.ndarray]] = []
    for c, cid in enumerate(pts.columns):
        crit = cs.criterion(str(cid))
        if crit is not None and crit.council:
            continue  # the self-score stands in for council points: no difference to flag
        self_col = selfs[cid].to_numpy(dtype=float)
        pts_col = pts[cid].to_numpy(dtype=float)
        diff = self_col - pts_col
        rows = np.flatnonzero(diff > limit)
        if len(rows):
            hits.append((rows, c, self_col[rows], pts_col[rows], diff[rows]))
    if not hits:
        return
    # one issue per cell in row order, then column order: the order a reader scans the sheet in
    rows = np.concatenate([h[0] for h in hits])
    cols = np.concatenate([np.full(len(h[0]), h[1]) for h in hits])
    values = np.concatenate([np.column_stack(h[2:]) for h in hits])
    for i in np.lexsort((cols, rows)).tolist():
        cid = str(pts.columns[cols[i]])
        issues.append(
            warning(
                "score-overclaim",
                Location(file=str(pts.index[rows[i]]), field=cid),
                criterion=named(cid, titles[cid]),
                self=num(values[i, 0]),
                points=num(values[i, 1]),
                diff=num(values[i, 2]),
            )
        )


def _check_plausibility(cs: CriteriaSet, resolve: Any, index: pd.Index, issues: list[Issue]) -> None:
    ids = index.to_numpy()
    for pc in cs.plausibility:
        values = resolve(pc.ref)
        ok = compare(values, pc.op, pc.value)
        bad = ~ok & pd.notna(values).to_numpy()
        for i in np.flatnonzero(bad):
            issues.append(
                warning(
                    "implausible-value",
                    Location(file=str(ids[i]), field=pc.ref),
                    check=pc.id,
                    message_vi=pc.message.vi,
                    message_en=pc.message.en,
                    ref=pc.ref,
                    value=float(values.iloc[i]),
                )
            )
