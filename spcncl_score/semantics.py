"""Checks of a parsed criteria set that the schema alone cannot express.

Errors make the set unusable; warnings are shown but do not stop a run.
"""

from __future__ import annotations

from spcncl_score.issues import Issue, Location, error
from spcncl_score.models import NUMERIC_TYPES, CriteriaSet
from spcncl_score.rules import ChoiceRule, CouncilRule

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
            issues.append(error("criteria-ref-kind", loc(path), ref=ref,
                                expected="a single-value field or an indicator",
                                found="a yearly field (use an indicator such as 'latest')"))
        else:
            issues.append(error("criteria-unknown-ref", loc(path), ref=ref))
        return False

    for i, ind in enumerate(cs.indicators):
        base = f"indicators[{i}]"
        yearly = ind.yearly()
        if yearly is not None:
            fid, needed = yearly
            f = fields.get(fid)
            if f is None:
                issues.append(error("criteria-unknown-ref", loc(f"{base}.field"), ref=fid))
            elif not f.yearly:
                issues.append(error("criteria-ref-kind", loc(f"{base}.field"), ref=fid,
                                    expected="a yearly field", found="a single-value field"))
            elif f.years is not None and needed > f.years:
                issues.append(error("criteria-years-window", loc(f"{base}"), needed=needed, field=fid, years=f.years))
            elif ind.kind in ("avg_growth", "cagr") and (ind.years or f.years or 0) < 2:
                issues.append(error("criteria-years-window", loc(f"{base}"), needed=2, field=fid, years=f.years))
        for ref in ind.refs():
            check_scalar_ref(ref, f"{base}")
        defined_indicators.add(ind.id)  # indicators may use those declared before them

    numeric_refs = {k for k in scalar_fields if fields[k].type in NUMERIC_TYPES} | defined_indicators

    for i, (role, ref) in enumerate(cs.identity.model_dump().items()):
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
                    issues.append(error("criteria-points-above-max", loc(f"{base}.rule"),
                                        points=rule_max, max=c.max, criterion=c.id))
            if c.input is None:
                continue
            if not check_scalar_ref(c.input, f"{base}.input"):
                continue
            in_type = fields[c.input].type if c.input in fields else "number"
            wanted = c.rule.input_types
            if in_type not in wanted:
                issues.append(error("criteria-rule-input", loc(f"{base}.input"), rule=c.rule.kind,
                                    expected=" / ".join(wanted), ref=c.input, found=in_type))
            elif isinstance(c.rule, ChoiceRule):
                allowed = fields[c.input].choice_values()
                for key in c.rule.points:
                    if key not in allowed:
                        issues.append(error("criteria-unknown-choice", loc(f"{base}.rule.points.{key}"),
                                            choice=key, field=c.input))
        if abs(gsum - g.max) > _TOL:
            issues.append(error("criteria-group-sum", loc(f"groups[{gi}].max"), group=g.id, sum=gsum, max=g.max))
        total += g.max
    if abs(total - cs.total_max) > _TOL:
        issues.append(error("criteria-total-sum", loc("total_max"), sum=total, max=cs.total_max))

    if cs.gates is not None:
        _check_gate_refs(cs, issues, loc, scalar_fields | defined_indicators)

    groups_and_criteria = {g.id for g in cs.groups} | {c.id for _, c in cs.criteria()}
    for i, tb in enumerate(cs.ranking.tie_breaks):
        if tb.ref not in groups_and_criteria | numeric_refs:
            issues.append(error("criteria-tie-break-ref", loc(f"ranking.tie_breaks[{i}].ref"), ref=tb.ref))
    return issues


def _check_gate_refs(cs: CriteriaSet, issues: list[Issue], loc: object, known: set[str]) -> None:
    def visit(node: object, path: str) -> None:
        from spcncl_score.models import Gate

        assert isinstance(node, Gate)
        if node.ref is not None:
            if node.ref not in known:
                issues.append(error("criteria-unknown-ref", loc(f"{path}.ref"), ref=node.ref))  # type: ignore[operator]
            return
        key = "all" if node.all is not None else "any"
        for i, child in enumerate(node.children()):
            visit(child, f"{path}.{key}[{i}]")

    visit(cs.gates, "gates")
