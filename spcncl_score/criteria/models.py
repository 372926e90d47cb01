"""The criteria set: pydantic models of the YAML format (unknown keys are errors)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from functools import cached_property
from typing import Any, Literal

from pydantic import Field, PrivateAttr, model_validator

from spcncl_score.criteria.indicators import Indicator
from spcncl_score.criteria.rules import CouncilRule, Interval, RangeText, Rule
from spcncl_score.criteria.text import Provenance, Strict, Text

Id = Field(pattern=r"^[a-z][a-z0-9_]*$")
FieldType = Literal["number", "integer", "yes_no", "choice", "text", "date"]
NUMERIC_TYPES = ("number", "integer")


class LegalBasis(Strict):
    ref: str
    date: dt.date | None = None
    title: Text | None = None
    url: str | None = None


class Choice(Strict):
    value: str = Field(pattern=r"^[a-z0-9][a-z0-9_]*$")
    label: Text


class InputField(Strict):
    """A value the self-assessment asks for; yearly when ``years`` is given."""

    id: str = Id
    label: Text
    type: FieldType
    unit: str | None = None
    min: float | None = None
    max: float | None = None
    required: bool = True
    years: int | None = Field(default=None, ge=1, le=10)
    choices: list[Choice] | None = None
    help: Text | None = None
    section: Literal["identity", "product", "figures", "compliance", "other"] = "other"
    source: Provenance | None = None  # where the bounds come from, when they are a judgement

    @model_validator(mode="after")
    def _consistent(self) -> InputField:
        if self.type == "choice" and not self.choices:
            raise ValueError("a 'choice' field needs 'choices'")
        if self.type != "choice" and self.choices:
            raise ValueError("only a 'choice' field may have 'choices'")
        if (self.min is not None or self.max is not None) and self.type not in NUMERIC_TYPES:
            raise ValueError("'min' and 'max' apply only to number and integer fields")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("'min' is above 'max'")
        if self.years is not None and self.type not in NUMERIC_TYPES:
            raise ValueError("only number and integer fields can be yearly")
        return self

    @property
    def yearly(self) -> bool:
        return self.years is not None

    def choice_values(self) -> list[str]:
        return [c.value for c in self.choices or []]


class Minimum(Strict):
    """A floor in points or in percent of the maximum."""

    points: float | None = Field(default=None, ge=0)
    percent: float | None = Field(default=None, ge=0, le=100)

    @model_validator(mode="after")
    def _one(self) -> Minimum:
        if (self.points is None) == (self.percent is None):
            raise ValueError("give exactly one of 'points' or 'percent'")
        return self

    def threshold(self, maximum: float) -> float:
        return self.points if self.points is not None else maximum * (self.percent or 0) / 100.0


class Criterion(Strict):
    id: str = Id
    title: Text
    max: float = Field(gt=0)
    input: str | None = None
    rule: Rule
    minimum: Minimum | None = None
    knockout: bool = False
    guidance: Text | None = None
    source: Provenance | None = None

    @model_validator(mode="after")
    def _input_present(self) -> Criterion:
        if isinstance(self.rule, CouncilRule):
            if self.input is not None:
                raise ValueError("a council-scored criterion takes no 'input'")
        elif self.input is None:
            raise ValueError(f"a '{self.rule.kind}' rule needs an 'input' (a field or indicator id)")
        return self

    @property
    def council(self) -> bool:
        return isinstance(self.rule, CouncilRule)


class Group(Strict):
    id: str = Id
    title: Text
    max: float = Field(gt=0)
    minimum: Minimum | None = None
    criteria: list[Criterion] = Field(min_length=1)
    source: Provenance | None = None


Op = Literal["eq", "ne", "gt", "ge", "lt", "le", "in", "not_in"]


class Gate(Strict):
    """A node of the eligibility tree: all-of, any-of, or a leaf comparison."""

    id: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9_]*$")
    title: Text | None = None
    all: list[Gate] | None = Field(default=None, min_length=1)
    any: list[Gate] | None = Field(default=None, min_length=1)
    ref: str | None = None
    op: Op | None = None
    value: float | bool | str | list[str | float] | None = None
    source: Provenance | None = None

    @model_validator(mode="after")
    def _one_form(self) -> Gate:
        forms = [self.all is not None, self.any is not None, self.ref is not None]
        if sum(forms) != 1:
            raise ValueError("a gate is exactly one of 'all', 'any' or a leaf with 'ref'")
        if self.ref is not None and (self.op is None or self.value is None):
            raise ValueError("a leaf gate needs 'ref', 'op' and 'value'")
        if self.ref is None and (self.op is not None or self.value is not None):
            raise ValueError("'op' and 'value' belong to a leaf gate with 'ref'")
        if self.op in ("in", "not_in") and not isinstance(self.value, list):
            raise ValueError(f"'{self.op}' needs a list as 'value'")
        return self

    def children(self) -> list[Gate]:
        return list(self.all or self.any or [])

    def walk(self) -> list[Gate]:
        out = [self]
        for c in self.children():
            out.extend(c.walk())
        return out


class Plausibility(Strict):
    """A sanity check on a value; failing it is a warning the council sees, not an error."""

    id: str = Id
    ref: str
    op: Literal["eq", "ne", "gt", "ge", "lt", "le"]
    value: float
    message: Text
    source: Provenance | None = None


class Tier(Strict):
    id: str = Id
    label: Text
    range: RangeText
    source: Provenance | None = None

    @property
    def interval(self) -> Interval:
        return Interval.parse(self.range)


class Outcome(Strict):
    pass_mark: float = Field(ge=0)
    tiers: list[Tier] | None = None
    overclaim_tolerance: float = Field(default=0.0, ge=0)
    source: Provenance | None = None


class TieBreak(Strict):
    ref: str
    order: Literal["desc", "asc"] = "desc"


class Ranking(Strict):
    top_n: int | None = Field(default=None, ge=1)
    per_enterprise_cap: int | None = Field(default=None, ge=1)
    tie_breaks: list[TieBreak] = Field(default_factory=list)
    source: Provenance | None = None


class Identity(Strict):
    """Which input fields identify the enterprise and the product."""

    enterprise: str
    tax_code: str
    product: str
    industry_group: str | None = None


class GroupChange(Strict):
    """How a category changes one group of the shared base: criteria replaced, added or left out.

    A group keeps its maximum in every category, so that totals stay on one scale and the
    categories can also be ranked together."""

    id: str = Id
    criteria: list[Criterion] = Field(default_factory=list)  # same id as the base: replaces it; new id: added
    remove: list[str] = Field(default_factory=list)  # ids of the base group's criteria this category leaves out
    source: Provenance | None = None


class Category(Strict):
    """One category (a product group, an industry group): the base set with its own changes."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_]*$")  # a choice of the categories' field
    short: str | None = Field(default=None, pattern=r"^[A-Za-z0-9]{1,6}$")  # names its sheets in reports
    fields: list[InputField] = Field(default_factory=list)  # same id as the base: replaces it; new id: added
    indicators: list[Indicator] = Field(default_factory=list)  # likewise
    groups: list[GroupChange] = Field(default_factory=list)
    ranking: Ranking | None = None  # replaces the base ranking within this category
    notes: Text | None = None
    source: Provenance | None = None

    @property
    def code(self) -> str:
        return self.short or self.id[:6]


class Categories(Strict):
    """Categories of one criteria file: which field says a dossier's category, and each category's changes.

    Each category is scored and ranked on its own (its ranking: the base's, or its own);
    ``overall``, when given, also ranks every category's products together."""

    field: str
    items: list[Category] = Field(min_length=1)
    overall: Ranking | None = None
    source: Provenance | None = None


class CriteriaSet(Strict):
    schema_: str | None = Field(default=None, alias="$schema")
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    version: str
    title: Text
    effective: dt.date
    legal_basis: list[LegalBasis] = Field(default_factory=list)
    notes: Text | None = None
    identity: Identity
    fields: list[InputField] = Field(min_length=1)
    indicators: list[Indicator] = Field(default_factory=list)
    total_max: float = Field(gt=0)
    groups: list[Group] = Field(min_length=1)
    gates: Gate | None = None
    plausibility: list[Plausibility] = Field(default_factory=list)
    outcome: Outcome
    ranking: Ranking = Field(default_factory=Ranking)
    categories: Categories | None = None

    _source_path: str | None = PrivateAttr(default=None)
    _lines: dict[str, int] = PrivateAttr(default_factory=dict)
    _file_sha256: str | None = PrivateAttr(default=None)
    # a category's own set (criteria/categories.py): its category, and where its parts are in the file
    _category: Category | None = PrivateAttr(default=None)
    _origins: tuple[tuple[str, str], ...] = PrivateAttr(default=())
    _base: CriteriaSet | None = PrivateAttr(default=None)  # a category's set: the set it was expanded from
    _category_sets: dict[str, CriteriaSet] | None = PrivateAttr(default=None)

    # -- lookups -----------------------------------------------------------
    def field(self, fid: str) -> InputField | None:
        return self._field_map.get(fid)

    # the set is frozen: its lookups are built once (the reader and the report ask per dossier)
    @cached_property
    def _field_map(self) -> dict[str, InputField]:
        return {f.id: f for f in self.fields}

    @cached_property
    def _indicator_map(self) -> dict[str, Any]:
        return {i.id: i for i in self.indicators}

    def indicator(self, iid: str) -> Any:
        return self._indicator_map.get(iid)

    def criteria(self) -> list[tuple[Group, Criterion]]:
        return [(g, c) for g in self.groups for c in g.criteria]

    def criterion(self, cid: str) -> Criterion | None:
        return next((c for _, c in self.criteria() if c.id == cid), None)

    def group(self, gid: str) -> Group | None:
        return next((g for g in self.groups if g.id == gid), None)

    def label_of(self, ref: str, lang: str = "vi") -> str:
        f = self.field(ref)
        if f:
            return f.label.get(lang)
        i = self.indicator(ref)
        if i:
            return str(i.label.get(lang))
        g = self.group(ref)
        if g:
            return g.title.get(lang)
        c = self.criterion(ref)
        return c.title.get(lang) if c else ref

    def unit_of(self, ref: str) -> str | None:
        f = self.field(ref)
        if f:
            return f.unit
        i = self.indicator(ref)
        return i.unit if i else None

    @property
    def category(self) -> Category | None:
        """The category this set is the criteria of (None: a set without categories, or their base)."""
        return self._category

    @property
    def category_field(self) -> str | None:
        """The field whose answer is a dossier's category: of this set's categories, or of the set a
        category's own set was expanded from (None for a set without categories)."""
        cats = self.categories if self.categories is not None else (self._base.categories if self._base else None)
        return cats.field if cats is not None else None

    @property
    def base(self) -> CriteriaSet | None:
        """The set with categories a category's own set was expanded from (None otherwise)."""
        return self._base

    def origin_path(self, path: str) -> str:
        """Where ``path`` of this set is written in its file: a category's criteria are in its block."""
        for new, old in self._origins:
            if path == new or path.startswith((new + ".", new + "[")):
                return old + path[len(new) :]
        return path

    def line_of(self, path: str) -> int | None:
        path = self.origin_path(path)
        while path:
            if path in self._lines:
                return self._lines[path]
            cut = max(path.rfind("."), path.rfind("["))
            path = path[:cut] if cut > 0 else ""
        return None

    @property
    def source_path(self) -> str | None:
        return self._source_path

    @property
    def file_sha256(self) -> str | None:
        return self._file_sha256

    @cached_property
    def fingerprint(self) -> str:
        """A short hash of the meaning of the set (not of its formatting)."""
        # defaults are left out so that a new optional key in a release leaves old sets' prints alone
        data = self.model_dump(mode="json", by_alias=True, exclude={"schema_"}, exclude_defaults=True)
        if self._category is not None:
            data["category"] = self._category.id  # two categories without changes are still two forms
        canonical = json.dumps(data, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]
