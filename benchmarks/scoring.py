"""The scoring maths alone: ``engine.score`` on 1,000,000 synthetic rows x 30 criteria.

The criteria set is synthetic (built here as YAML and loaded with ``parse_criteria``): 30
criteria in 6 groups, 16 bands rules (10 higher-is-better, 6 lower-is-better), 8 linear rules
and 6 yes/no rules, one indicator-free input field each, pass mark 50, no gates. The frame has
one float column per field (uniform values across all bands), a string dossier index, and
self-scores all NaN.

``issues=False`` (the target case): no council criterion and no missing value, so the engine
raises no per-dossier issue. ``issues=True``: criterion 30 becomes council-scored with the
self-score given (one ``score-self-score-used`` warning per dossier) and 1 % of one band input is
missing (one ``score-missing-input`` warning each) -- what a real batch looks like, measured to
show the cost of per-dossier Issue objects.
"""

from __future__ import annotations

import time
from typing import Any

N_CRITERIA = 30


def criteria_yaml(council: bool = False) -> str:
    lines = [
        "id: bench",
        'version: "1"',
        "title: {vi: Bench, en: Bench}",
        "effective: 2025-01-01",
        "identity: {enterprise: ent, tax_code: tax, product: prod}",
        "fields:",
        "  - {id: ent, type: text, label: {vi: ent, en: ent}}",
        "  - {id: tax, type: text, label: {vi: tax, en: tax}}",
        "  - {id: prod, type: text, label: {vi: prod, en: prod}}",
    ]
    kinds = []
    for i in range(N_CRITERIA):
        kind = "bands_hi" if i < 10 else "bands_lo" if i < 16 else "linear" if i < 24 else "yes_no"
        kinds.append(kind)
        ftype = "yes_no" if kind == "yes_no" else "number"
        lines.append(f"  - {{id: x{i:02d}, type: {ftype}, label: {{vi: x{i:02d}, en: x{i:02d}}}}}")
    lines += ["total_max: 100", "groups:"]
    per_group = N_CRITERIA // 6
    # 30 criteria: max 3 or 4 points so the total is 100 (10 x 4 + 20 x 3)
    for g in range(6):
        crits = []
        gmax = 0
        for i in range(g * per_group, (g + 1) * per_group):
            m = 4 if i % 3 == 0 else 3
            gmax += m
            kind = kinds[i]
            if council and i == N_CRITERIA - 1:
                rule = "{kind: council}"
                inp = ""
            elif kind == "bands_hi":
                rule = (
                    "{kind: bands, direction: higher, bands: ["
                    f"{{range: '(-inf, 25)', points: 0}}, {{range: '[25, 50)', points: {m / 2:g}}}, "
                    f"{{range: '[50, 75)', points: {m * 3 / 4:g}}}, {{range: '[75, +inf)', points: {m}}}]}}"
                )
                inp = f"input: x{i:02d}, "
            elif kind == "bands_lo":
                rule = (
                    "{kind: bands, direction: lower, bands: ["
                    f"{{range: '(-inf, 25]', points: {m}}}, {{range: '(25, 50]', points: {m * 3 / 4:g}}}, "
                    f"{{range: '(50, 75]', points: {m / 2:g}}}, {{range: '(75, +inf)', points: 0}}]}}"
                )
                inp = f"input: x{i:02d}, "
            elif kind == "linear":
                rule = f"{{kind: linear, from: {{value: 10, points: 0}}, to: {{value: 90, points: {m}}}}}"
                inp = f"input: x{i:02d}, "
            else:
                rule = f"{{kind: yes_no, if_yes: {m}, if_no: 0}}"
                inp = f"input: x{i:02d}, "
            title = f"{{vi: c{i:02d}, en: c{i:02d}}}"
            crits.append(f"      - {{id: c{i:02d}, title: {title}, max: {m}, {inp}rule: {rule}}}")
        lines += [f"  - id: g{g}", f"    title: {{vi: g{g}, en: g{g}}}", f"    max: {gmax}", "    criteria:", *crits]
    lines += ["outcome: {pass_mark: 50}"]
    return "\n".join(lines) + "\n"


def build(rows: int, issues: bool = False, seed: int = 7) -> tuple[Any, Any, Any]:
    import numpy as np
    import pandas as pd

    from spcncl_score.criteria.loader import parse_criteria

    cs, problems = parse_criteria(criteria_yaml(council=issues), "bench.yaml")
    if cs is None:
        raise RuntimeError("; ".join(p.render("en") for p in problems))
    rng = np.random.default_rng(seed)
    index = pd.Index([f"d{i:07d}.xlsx" for i in range(rows)], name="dossier")
    cols: dict[str, Any] = {}
    for i in range(N_CRITERIA):
        fid = f"x{i:02d}"
        if cs.field(fid).type == "yes_no":  # type: ignore[union-attr]
            cols[fid] = rng.integers(0, 2, rows).astype(float)
        else:
            cols[fid] = rng.uniform(0, 100, rows)
    if issues:
        cols["x00"][rng.random(rows) < 0.01] = np.nan
    frame = pd.DataFrame(cols, index=index)
    selfs = pd.DataFrame({c.id: np.full(rows, np.nan) for _, c in cs.criteria()}, index=index)
    if issues:
        selfs[f"c{N_CRITERIA - 1:02d}"] = rng.integers(0, 4, rows).astype(float)
    return cs, frame, selfs


def measure(rows: int, issues: bool = False, repeat: int = 1) -> dict[str, Any]:
    """Time ``engine.score`` (and, separately, ``ranking.rank``) on ``rows`` synthetic dossiers."""
    import pandas as pd

    from spcncl_score.scoring.engine import score
    from spcncl_score.scoring.ranking import rank

    cs, frame, selfs = build(rows, issues)
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = score(cs, frame, selfs)
        times.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    rank(cs, result, frame, pd.Series("", index=frame.index))
    t_rank = time.perf_counter() - t0
    return {
        "rows": rows,
        "criteria": N_CRITERIA,
        "score_s": sorted(times)[len(times) // 2],
        "rank_s": t_rank,
        "issues_raised": len(result.issues),
        "recognised": int(result.outcome["recognised"].sum()),
    }


def profile(rows: int, issues: bool = False, top: int = 15) -> str:
    import cProfile
    import io
    import pstats

    from spcncl_score.scoring.engine import score

    cs, frame, selfs = build(rows, issues)
    pr = cProfile.Profile()
    pr.enable()
    score(cs, frame, selfs)
    pr.disable()
    s = io.StringIO()
    pstats.Stats(pr, stream=s).sort_stats("cumulative").print_stats(top)
    return s.getvalue()
