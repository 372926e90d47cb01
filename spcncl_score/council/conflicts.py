"""Conflicts of interest: declared ones, and those found by matching organisations to enterprises."""

from __future__ import annotations

from dataclasses import dataclass

from spcncl_score.council.model import Council
from spcncl_score.intake.reader import fold


@dataclass(frozen=True)
class ConflictFound:
    member: str
    dossier: str
    tax_code: str
    declared: bool
    why: str  # the declared reason, or the organisation that matched


def normalise_tax(code: str) -> str:
    return "".join(ch for ch in code if ch.isdigit() or ch == "-")


def find_conflicts(council: Council, dossiers: dict[str, tuple[str, str]]) -> list[ConflictFound]:
    """``dossiers`` maps dossier -> (enterprise tax code, enterprise name)."""
    out: list[ConflictFound] = []
    for d, (tax, name) in sorted(dossiers.items()):
        t = normalise_tax(tax)
        base = t.split("-")[0]
        for c in council.conflicts:
            declared = normalise_tax(c.tax_code)
            # a branch (10 digits + '-xxx') and its parent enterprise are the same party
            if t and (declared in (t, base) or declared.split("-")[0] == base):
                out.append(ConflictFound(c.member, d, tax, True, c.reason or "—"))
        for m in council.members:
            if any(f.member == m.id and f.dossier == d for f in out):
                continue
            org_tax = normalise_tax(m.organisation_tax_code or "")
            # a branch (10 digits + '-xxx') belongs to its parent enterprise
            same_tax = bool(org_tax) and (org_tax == t or org_tax.split("-")[0] == base)
            same_name = bool(fold(m.organisation)) and fold(m.organisation) == fold(name)
            if same_tax or same_name:
                out.append(ConflictFound(m.id, d, tax, False, m.organisation))
    return out
