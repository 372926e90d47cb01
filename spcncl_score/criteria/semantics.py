"""Checks of a parsed criteria set that the schema alone cannot express.

Errors make the set unusable; warnings are shown but do not stop a run.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from typing import Any

from spcncl_score.criteria.models import NUMERIC_TYPES, CriteriaSet, Gate, InputField, Minimum
from spcncl_score.criteria.rules import BandsRule, ChoiceRule, CouncilRule, Interval
from spcncl_score.issues import Issue, Location, error, warning

_TOL = 1e-9


def check_semantics(cs: CriteriaSet) -> list[Issue]:
    issues: list[Issue] = []

    def loc(path: str) -> Location:
        return Location(file=cs.source_path, line=cs.line_of(path), yaml_path=path)

    # ids are one namespace, so that every reference is unambiguous
    seen: dict[str, str] = {}

    def claim(ident: str, path: str) -> None:
        if ident in seen:
            issues.append(error("criteria-duplicate-id", loc(path), id=ident, first=seen[ident]))
        else:
            seen[ident] = path

    for i, f in enumerate(cs.fields):
        claim(f.id, f"fields[{i}].id")
    for i, ind in enumerate(cs.indicators):
        claim(ind.id, f"indicators[{i}].id")
    for gi, g in enumerate(cs.groups):
        claim(g.id, f"groups[{gi}].id")
        for ci, c in enumerate(g.criteria):
            claim(c.id, f"groups[{gi}].criteria[{ci}].id")

    fields = {f.id: f for f in cs.fields}
    scalar_fields = {k for k, f in fields.items() if not f.yearly}
    defined_indicators: set[str] = set()

    def check_scalar_ref(ref: str, path: str) -> bool:
        if ref in scalar_fields or ref in defined_indicators:
            return True
        if ref in fields:
            issues.append(
                error(
                    "criteria-ref-kind",
                    loc(path),
                    ref=ref,
                    expected="a single-value field or an indicator",
                    found="a yearly field (use an indicator such as 'latest')",
                )
            )
        else:
            issues.append(error("criteria-unknown-ref", loc(path), ref=ref))
        return False

    for i, ind in enumerate(cs.indicators):
        base = f"indicators[{i}]"
        yearly = ind.yearly()
        if yearly is not None:
            fid, needed = yearly
            yf = fields.get(fid)
            if yf is None:
                issues.append(error("criteria-unknown-ref", loc(f"{base}.field"), ref=fid))
            elif not yf.yearly:
                issues.append(
                    error(
                        "criteria-ref-kind",
                        loc(f"{base}.field"),
                        ref=fid,
                        expected="a yearly field",
                        found="a single-value field",
                    )
                )
            elif yf.years is not None and needed > yf.years:
                issues.append(error("criteria-years-window", loc(f"{base}"), needed=needed, field=fid, years=yf.years))
            elif ind.kind in ("avg_growth", "cagr") and (ind.years or yf.years or 0) < 2:
                issues.append(error("criteria-years-window", loc(f"{base}"), needed=2, field=fid, years=yf.years))
        for ref in ind.refs():
            check_scalar_ref(ref, f"{base}")
        defined_indicators.add(ind.id)  # indicators may use those declared before them

    numeric_refs = {k for k in scalar_fields if fields[k].type in NUMERIC_TYPES} | defined_indicators

    for role, ref in cs.identity.model_dump().items():
        if ref is not None and (ref not in scalar_fields):
            issues.append(error("criteria-identity-field", loc(f"identity.{role}"), role=role, ref=ref))

    total = 0.0
    for gi, g in enumerate(cs.groups):
        gsum = 0.0
        for ci, c in enumerate(g.criteria):
            base = f"groups[{gi}].criteria[{ci}]"
            gsum += c.max
            if not isinstance(c.rule, CouncilRule):
                rule_max = c.rule.max_points()
                if rule_max > c.max + _TOL:
                    issues.append(
                        error(
                            "criteria-points-above-max", loc(f"{base}.rule"), points=rule_max, max=c.max, criterion=c.id
                        )
                    )
            if c.input is None:
                continue
            if not check_scalar_ref(c.input, f"{base}.input"):
                continue
            in_type = fields[c.input].type if c.input in fields else "number"
            wanted = c.rule.input_types
            if in_type not in wanted:
                issues.append(
                    error(
                        "criteria-rule-input",
                        loc(f"{base}.input"),
                        rule=c.rule.kind,
                        expected=" / ".join(wanted),
                        ref=c.input,
                        found=in_type,
                    )
                )
            elif isinstance(c.rule, ChoiceRule):
                allowed = fields[c.input].choice_values()
                for key in c.rule.points:
                    if key not in allowed:
                        issues.append(
                            error(
                                "criteria-unknown-choice", loc(f"{base}.rule.points.{key}"), choice=key, field=c.input
                            )
                        )
        if abs(gsum - g.max) > _TOL:
            issues.append(error("criteria-group-sum", loc(f"groups[{gi}].max"), group=g.id, sum=gsum, max=g.max))
        total += g.max
    if abs(total - cs.total_max) > _TOL:
        issues.append(error("criteria-total-sum", loc("total_max"), sum=total, max=cs.total_max))

    if cs.gates is not None:
        for _, node, path in _gate_paths(cs):
            if node.id:
                claim(node.id, f"{path}.id")
        _check_gate_refs(cs, issues, loc, scalar_fields | defined_indicators, check_scalar_ref, fields)
    for i, pc in enumerate(cs.plausibility):
        claim(pc.id, f"plausibility[{i}].id")
        if pc.ref not in numeric_refs:
            issues.append(error("criteria-unknown-ref", loc(f"plausibility[{i}].ref"), ref=pc.ref))
    if not any(i.is_error for i in issues):
        issues.extend(check_design(cs))

    groups_and_criteria = {g.id for g in cs.groups} | {c.id for _, c in cs.criteria()}
    for i, tb in enumerate(cs.ranking.tie_breaks):
        if tb.ref not in groups_and_criteria | numeric_refs:
            issues.append(error("criteria-tie-break-ref", loc(f"ranking.tie_breaks[{i}].ref"), ref=tb.ref))
    return issues


def _is_number(v: object) -> bool:
    # '5' in YAML quotes is text and never equals the number 5 at scoring time
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _gate_paths(cs: CriteriaSet) -> list[tuple[str, Gate, str]]:
    out: list[tuple[str, Gate, str]] = []

    def visit(node: Gate, path: str) -> None:
        out.append((node.id or path, node, path))
        key = "all" if node.all is not None else "any"
        for i, child in enumerate(node.children()):
            visit(child, f"{path}.{key}[{i}]")

    assert cs.gates is not None
    visit(cs.gates, "gates")
    return out


def _check_gate_refs(
    cs: CriteriaSet,
    issues: list[Issue],
    loc: Callable[[str], Location],
    known: set[str],
    check_scalar_ref: Callable[[str, str], bool],
    fields: Mapping[str, InputField],
) -> None:
    """Every leaf names a known value, with a value of the right type for its operator."""
    for _, node, path in _gate_paths(cs):
        ref = getattr(node, "ref", None)
        if ref is None:
            continue
        if not check_scalar_ref(ref, f"{path}.ref"):
            continue
        f = fields.get(ref)
        ftype = getattr(f, "type", "number")
        op, value = node.op, node.value
        expected: str | None = None
        if op in ("gt", "ge", "lt", "le") and ftype not in ("number", "integer"):
            expected = f"compared with eq, ne, in or not_in: '{ref}' is a {ftype} field, and '{op}' compares numbers"
        elif op in ("gt", "ge", "lt", "le") and (isinstance(value, (bool, str, list))):
            expected = "a number (YAML reads 1e6 as text: write 1000000 or 1.0e+6)"
        elif op in ("in", "not_in") and isinstance(value, list):
            wrong = [
                v
                for v in value
                if (ftype in ("number", "integer") and not _is_number(v))
                or (ftype in ("choice", "text") and not isinstance(v, str))
            ]
            if ftype == "choice" and f is not None:
                wrong += [v for v in value if isinstance(v, str) and v not in f.choice_values()]
            if wrong:
                expected = f"a list of {ftype} values that '{ref}' can take (not {wrong!r})"
        elif ftype == "yes_no" and not isinstance(value, bool):
            expected = "true or false"
        elif ftype in ("choice", "text") and op in ("eq", "ne") and not isinstance(value, str):
            expected = "a text value"
        elif ftype in ("number", "integer") and op in ("eq", "ne") and isinstance(value, (str, bool)):
            expected = "a number"
        if expected:
            issues.append(
                error(
                    "criteria-gate-value",
                    loc(f"{path}.value"),
                    ref=ref,
                    value=repr(value),
                    expected=expected,
                )
            )


# -- deeper checks: band tables, reachability, tiers, provenance -------------------------


def check_design(cs: CriteriaSet) -> list[Issue]:
    """Static analysis of the scoring design (run by `criteria check` and on every load)."""
    issues: list[Issue] = []

    def loc(path: str) -> Location:
        return Location(file=cs.source_path, line=cs.line_of(path), yaml_path=path)

    achievable = 0.0
    for gi, g in enumerate(cs.groups):
        gpath = f"groups[{gi}]"
        g_achievable = 0.0
        for ci, c in enumerate(g.criteria):
            base = f"{gpath}.criteria[{ci}]"
            rule = c.rule
            best = c.max if isinstance(rule, CouncilRule) else min(c.max, rule.max_points())
            g_achievable += best
            if isinstance(rule, BandsRule):
                issues.extend(_check_bands(rule, base, loc))
            issues.extend(_unreachable_minimum(c.minimum, c.max, best, c.id, loc(f"{base}.minimum")))
            if c.knockout and (lowest := _lowest_points(cs, c.rule, c.input)) > 0:
                issues.append(warning("criteria-knockout-never-zero", loc(base), criterion=c.id, lowest=lowest))
            if c.source is None and g.source is None:
                issues.append(warning("criteria-no-provenance", loc(base), what=f"criterion '{c.id}'"))
        issues.extend(_unreachable_minimum(g.minimum, g.max, g_achievable, g.id, loc(f"{gpath}.minimum")))
        achievable += g_achievable
    if cs.outcome.pass_mark > achievable + _TOL:
        issues.append(
            error(
                "criteria-unreachable-pass-mark",
                loc("outcome.pass_mark"),
                pass_mark=cs.outcome.pass_mark,
                best=achievable,
            )
        )
    if cs.outcome.source is None:
        issues.append(warning("criteria-no-provenance", loc("outcome"), what="the pass mark"))
    if cs.ranking.top_n and cs.ranking.source is None:
        issues.append(warning("criteria-no-provenance", loc("ranking"), what="the Top-N rule"))
    if cs.outcome.tiers:
        issues.extend(_check_tiers(cs, loc))
    if cs.gates is not None:
        _check_gate_provenance(cs, issues, loc)
    return issues


def _check_bands(rule: BandsRule, base: str, loc: Callable[[str], Location]) -> list[Issue]:
    out: list[Issue] = []
    bands = [(i, b.interval, b.points) for i, b in enumerate(rule.bands)]
    ordered = sorted(bands, key=lambda t: (t[1].lo, not t[1].lo_closed))
    if [i for i, _, _ in ordered] != [i for i, _, _ in bands]:
        out.append(error("criteria-bands-unsorted", loc(f"{base}.rule.bands")))
    for (_i, a, pa), (j, b, pb) in itertools.pairwise(ordered):
        path = f"{base}.rule.bands[{j}]"
        joint = adjacency(a, b)
        if joint is not None:
            out.append(error(f"criteria-bands-{joint}", loc(path), a=a.render(), b=b.render()))
        worse = pb < pa if rule.direction == "higher" else pb > pa
        if worse:
            out.append(
                error(
                    "criteria-bands-not-monotone",
                    loc(f"{path}.points"),
                    direction=rule.direction,
                    a=a.render(),
                    b=b.render(),
                    pa=pa,
                    pb=pb,
                )
            )
    dom = Interval.parse(rule.domain)
    first, last = ordered[0][1], ordered[-1][1]
    short = {
        "lower": first.lo > dom.lo or (first.lo == dom.lo and dom.lo_closed and not first.lo_closed),
        "upper": last.hi < dom.hi or (last.hi == dom.hi and dom.hi_closed and not last.hi_closed),
    }
    for edge, band in (("lower", first), ("upper", last)):
        if short[edge]:
            out.append(
                error(
                    "criteria-bands-uncovered",
                    loc(f"{base}.rule.bands"),
                    edge=edge,
                    domain=rule.domain,
                    band=band.render(),
                )
            )
    return out


def _lowest_points(cs: CriteriaSet, rule: Any, ref: str | None) -> float:
    """The fewest points any answer scores under ``rule`` (a missing answer apart)."""
    lowest = float(rule.min_points())
    if isinstance(rule, ChoiceRule):
        f = cs.field(ref) if ref else None
        if f is None or any(ch.value not in rule.points for ch in f.choices or []):
            return 0.0  # a choice the rule does not list scores 0
    return lowest


def _unreachable_minimum(
    minimum: Minimum | None, maximum: float, best: float, what: str, where: Location
) -> list[Issue]:
    """A group's or criterion's minimum above the most its rules can give."""
    if minimum is None or minimum.threshold(maximum) <= best + _TOL:
        return []
    return [error("criteria-unreachable-minimum", where, what=what, minimum=minimum.threshold(maximum), best=best)]


def adjacency(a: Interval, b: Interval) -> str | None:
    """How two ranges sorted by their lower edge meet: 'overlap', 'gap', or None when they touch."""
    if a.hi > b.lo or (a.hi == b.lo and a.hi_closed and b.lo_closed):
        return "overlap"
    if a.hi < b.lo or (a.hi == b.lo and not a.hi_closed and not b.lo_closed):
        return "gap"
    return None


def _check_tiers(cs: CriteriaSet, loc: Callable[[str], Location]) -> list[Issue]:
    tiers = sorted(((i, t.interval) for i, t in enumerate(cs.outcome.tiers or [])), key=lambda x: x[1].lo)
    out: list[Issue] = []
    for (_, a), (j, b) in itertools.pairwise(tiers):
        path = f"outcome.tiers[{j}].range"
        joint = adjacency(a, b)
        if joint is not None:
            out.append(error(f"criteria-tiers-{joint}", loc(path), a=a.render(), b=b.render()))
    # tiers may start above 0: a product below every tier simply has none (a scheme rates only
    # the products that reach its lowest tier); the top of the scale must be rated, or the best
    # products would have no tier
    hi = tiers[-1][1]
    if hi.hi < cs.total_max or (hi.hi == cs.total_max and not hi.hi_closed):
        out.append(error("criteria-tiers-uncovered", loc("outcome.tiers"), max=cs.total_max))
    return out


def _check_gate_provenance(cs: CriteriaSet, issues: list[Issue], loc: Callable[[str], Location]) -> None:
    def visit(node: Gate, path: str, covered: bool) -> None:
        covered = covered or node.source is not None
        if node.ref is not None:
            if not covered:
                issues.append(warning("criteria-no-provenance", loc(path), what=f"gate '{node.id or path}'"))
            return
        key = "all" if node.all is not None else "any"
        for i, child in enumerate(node.children()):
            visit(child, f"{path}.{key}[{i}]", covered)

    assert cs.gates is not None
    visit(cs.gates, "gates", False)
