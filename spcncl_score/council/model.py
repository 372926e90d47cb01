"""The council file (YAML): members, who scores what, conflicts, aggregation and quorum rules."""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, model_validator

from spcncl_score.criteria.categories import category_sets
from spcncl_score.criteria.models import CriteriaSet
from spcncl_score.criteria.source import YamlError, load_with_lines, loc_to_path, read_yaml_file
from spcncl_score.criteria.text import Strict
from spcncl_score.issues import Issue, Location, error

Role = Literal["chair", "member", "secretary"]


class Member(Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_\-]*$")
    name: str
    title: str | None = None
    organisation: str
    organisation_tax_code: str | None = None
    role: Role = "member"

    @property
    def votes(self) -> bool:
        return self.role != "secretary"


class Assignment(Strict):
    """Council-scored criteria (or whole groups) given to some members or roles only."""

    criteria: list[str] = Field(min_length=1)
    members: list[str] | None = None
    roles: list[Role] | None = None

    @model_validator(mode="after")
    def _who(self) -> Assignment:
        if not self.members and not self.roles:
            raise ValueError("an assignment names 'members' or 'roles'")
        return self


class Conflict(Strict):
    member: str
    tax_code: str
    reason: str | None = None


class Quorum(Strict):
    fraction: float = Field(default=0.75, gt=0, le=1)
    chair_required: bool = True


class Normalisation(Strict):
    """Per-member z-scores of council points: shown beside the raw figures for the council to
    weigh; the aggregate that scores and ranks stays on the raw scores."""

    enabled: bool = False
    min_dossiers: int = Field(default=5, ge=2)


class Council(Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9\-_]*$")
    title: str
    criteria_id: str
    criteria_version: str | None = None
    round: Literal["preliminary", "official"] = "official"
    members: list[Member] = Field(min_length=1)
    assignments: list[Assignment] = Field(default_factory=list)
    conflicts: list[Conflict] = Field(default_factory=list)
    aggregation: Literal["mean", "median", "trimmed_mean"] = "mean"
    trim_fraction: float = Field(default=0.1, ge=0, lt=0.5)
    quorum: Quorum = Field(default_factory=Quorum)
    disagreement_threshold: float = Field(default=10, ge=0)
    normalisation: Normalisation = Field(default_factory=Normalisation)

    def member(self, mid: str) -> Member | None:
        return next((m for m in self.members if m.id == mid), None)

    @property
    def voting(self) -> list[Member]:
        return [m for m in self.members if m.votes]

    @property
    def chair(self) -> Member | None:
        return next((m for m in self.members if m.role == "chair"), None)

    def quorum_size(self) -> int:
        return math.ceil(self.quorum.fraction * len(self.voting) - 1e-9)

    def scorers(self, cs: CriteriaSet, criterion: str) -> list[Member]:
        """The voting members who score a council-scored criterion (default: all of them)."""
        group = next((g.id for g, c in cs.criteria() if c.id == criterion), None)
        chosen: list[Member] | None = None
        for a in self.assignments:
            if criterion in a.criteria or (group is not None and group in a.criteria):
                ids = set(a.members or [])
                roles = set(a.roles or [])
                picked = [m for m in self.voting if m.id in ids or m.role in roles]
                chosen = picked if chosen is None else chosen + [m for m in picked if m not in chosen]
        return chosen if chosen is not None else self.voting


def load_council(path: Path, cs: CriteriaSet) -> tuple[Council | None, list[Issue]]:
    file = str(path)
    try:
        text, _ = read_yaml_file(path)
        data, lines = load_with_lines(text)
    except OSError as exc:
        return None, [error("council-unreadable", Location(file=file), detail=exc.strerror or str(exc))]
    except YamlError as exc:
        return None, [error(exc.code, Location(file=file, line=exc.line), **exc.params)]
    try:
        council = Council.model_validate(data)
    except ValidationError as exc:
        out = []
        for e in exc.errors():
            p = loc_to_path(tuple(e["loc"]))
            msg = str(e["msg"]).removeprefix("Value error, ")
            if e["type"] == "extra_forbidden":
                msg = f"unknown key '{p.rsplit('.', 1)[-1]}' (misspelt?)"
            out.append(error("criteria-schema", Location(file=file, line=_line(p, lines), yaml_path=p), detail=msg))
        return None, out
    issues: list[Issue] = []

    def loc(p: str) -> Location:
        return Location(file=file, line=_line(p, lines), yaml_path=p)

    if council.criteria_id != cs.id or (council.criteria_version and council.criteria_version != cs.version):
        issues.append(
            error(
                "council-wrong-criteria",
                loc("criteria_id"),
                found=council.criteria_id,
                expected=f"{cs.id} {cs.version}",
            )
        )
    ids: set[str] = set()
    counts = Counter(m.id for m in council.members)  # one pass: a council file may be long
    for i, m in enumerate(council.members):
        ids.add(m.id)
        if counts[m.id] > 1:
            issues.append(error("criteria-duplicate-id", loc(f"members[{i}].id"), id=m.id, first="members"))
    chairs = [m for m in council.members if m.role == "chair"]
    if len(chairs) != 1:
        issues.append(error("council-chair", loc("members"), count=len(chairs)))
    council_criteria = {c.id for _, c in cs.criteria() if c.council}
    groups = {g.id for g in cs.groups}
    # one council file serves every category of a set: a criterion of another category is known
    siblings = category_sets(cs.base).values() if cs.base is not None else []
    known = council_criteria | {c.id for own in siblings for _, c in own.criteria() if c.council}
    for i, a in enumerate(council.assignments):
        for j, cid in enumerate(a.criteria):
            if cid not in known and cid not in groups:
                issues.append(error("council-unknown-criterion", loc(f"assignments[{i}].criteria[{j}]"), id=cid))
        for j, mid in enumerate(a.members or []):
            if mid not in ids:
                issues.append(error("council-unknown-member", loc(f"assignments[{i}].members[{j}]"), id=mid))
    for i, c in enumerate(council.conflicts):
        if c.member not in ids:
            issues.append(error("council-unknown-member", loc(f"conflicts[{i}].member"), id=c.member))
    if not council_criteria:
        issues.append(error("council-nothing-to-score", loc("criteria_id"), criteria=cs.id))
    return (None if any(i.is_error for i in issues) else council), issues


def _line(path: str, lines: dict[str, int]) -> int | None:
    while path:
        if path in lines:
            return lines[path]
        cut = max(path.rfind("."), path.rfind("["))
        path = path[:cut] if cut > 0 else ""
    return lines.get("")
