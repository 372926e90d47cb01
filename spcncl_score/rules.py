"""Scoring rule kinds: a registry of pydantic models, each with a vectorised scorer.

Every rule turns a column of input values into points and a short label of what
matched, without Python loops over dossiers.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal

from pydantic import AfterValidator, Field, model_validator

from spcncl_score.text import Strict, Text

if TYPE_CHECKING:  # numpy is imported where scores are computed: `criteria check` starts fast
    import numpy as np
    import numpy.typing as npt

    FloatArray = npt.NDArray[np.float64]
    ObjArray = npt.NDArray[np.object_]

_RANGE = re.compile(r"^\s*([\[\(])\s*([^,]+?)\s*,\s*([^,]+?)\s*([\]\)])\s*$")


@dataclass(frozen=True)
class Interval:
    """A range with each edge explicitly closed (inclusive) or open (exclusive)."""

    lo: float
    hi: float
    lo_closed: bool
    hi_closed: bool

    @classmethod
    def parse(cls, text: str) -> Interval:
        m = _RANGE.match(text)
        if not m:
            raise ValueError(
                f"'{text}' is not a range such as '[10, 50)': '[' or ']' includes an edge, "
                "'(' or ')' excludes it, -inf/+inf for open ends"
            )
        lo, hi = _edge(m.group(2)), _edge(m.group(3))
        if math.isnan(lo) or math.isnan(hi):
            raise ValueError(f"'{text}': 'nan' is not a range edge")
        lo_closed, hi_closed = m.group(1) == "[", m.group(4) == "]"
        if lo > hi or (lo == hi and not (lo_closed and hi_closed)):
            raise ValueError(f"'{text}' is empty: the lower edge must be below the upper edge")
        if (math.isinf(lo) and lo_closed) or (math.isinf(hi) and hi_closed):
            raise ValueError(f"'{text}': an infinite edge must be open, as in '(-inf, 0)'")
        return cls(lo, hi, lo_closed, hi_closed)

    def mask(self, x: FloatArray) -> npt.NDArray[np.bool_]:
        import numpy as np

        with np.errstate(invalid="ignore"):
            lo_ok = x >= self.lo if self.lo_closed else x > self.lo
            hi_ok = x <= self.hi if self.hi_closed else x < self.hi
        return np.asarray(lo_ok & hi_ok)

    def contains(self, x: float) -> bool:
        import numpy as np

        return bool(self.mask(np.array([x], dtype=float))[0])

    def render(self) -> str:
        def e(v: float) -> str:
            if math.isinf(v):
                return "+inf" if v > 0 else "-inf"
            return f"{v:g}"

        return f"{'[' if self.lo_closed else '('}{e(self.lo)}, {e(self.hi)}{']' if self.hi_closed else ')'}"


def _edge(token: str) -> float:
    t = token.strip().lower().replace("∞", "inf")
    if t in ("-inf", "inf", "+inf"):
        return -math.inf if t.startswith("-") else math.inf
    try:
        return float(t)
    except ValueError:
        raise ValueError(f"'{token.strip()}' is not a number (in a range such as '[10, 50)')") from None


def labels(n: int, masks: list[Any], texts: list[str]) -> ObjArray:
    """An object array holding, per row, the text of the first mask that holds ("" for none).

    Filled mask by mask: building the same from numpy string arrays costs a copy per row.
    """
    import numpy as np

    out = np.full(n, "", dtype=object)
    taken = np.zeros(n, dtype=bool)
    for mask, text in zip(masks, texts, strict=True):
        fresh = np.asarray(mask, dtype=bool) & ~taken
        out[fresh] = text
        taken |= fresh
    return out


@dataclass(frozen=True)
class RuleResult:
    points: FloatArray  # NaN where the input is missing
    matched: ObjArray  # a short text of what matched ("" when nothing did)
    in_range: npt.NDArray[np.bool_]  # False where a value was present but no band matched


def _valid_range(text: str) -> str:
    Interval.parse(text)
    return text


# a range written as text, e.g. "[10, 50)", checked when the criteria file is loaded
RangeText = Annotated[str, AfterValidator(_valid_range)]


class Band(Strict):
    range: RangeText
    points: float = Field(ge=0)
    label: Text | None = None

    @property
    def interval(self) -> Interval:
        return Interval.parse(self.range)


class BandsRule(Strict):
    """Value ranges to points; each edge explicitly inclusive or exclusive."""

    kind: Literal["bands"]
    direction: Literal["higher", "lower"] = "higher"
    # the values the bands must cover without gaps; default: every number
    domain: RangeText = "(-inf, +inf)"
    bands: list[Band] = Field(min_length=1)

    input_types: ClassVar[tuple[str, ...]] = ("number", "integer")

    def score(self, values: Any) -> RuleResult:
        import numpy as np

        x = np.asarray(values, dtype=float)
        masks = [b.interval.mask(x) for b in self.bands]
        points = np.select(masks, [b.points for b in self.bands], default=np.nan)
        present = ~np.isnan(x)
        in_range = ~present | np.any(masks, axis=0) if masks else ~present
        points = np.where(present & ~in_range, 0.0, points)
        return RuleResult(
            points.astype(float), labels(len(x), masks, [b.interval.render() for b in self.bands]), np.asarray(in_range)
        )

    def max_points(self) -> float:
        return max(b.points for b in self.bands)

    def describe(self, lang: str = "vi") -> str:
        return "; ".join(f"{b.interval.render()} → {b.points:g}" for b in self.bands)


class Anchor(Strict):
    value: float
    points: float = Field(ge=0)


class LinearRule(Strict):
    """Points interpolated between two anchors and clipped outside them."""

    kind: Literal["linear"]
    start: Anchor = Field(alias="from")
    end: Anchor = Field(alias="to")

    input_types: ClassVar[tuple[str, ...]] = ("number", "integer")

    @model_validator(mode="after")
    def _ordered(self) -> LinearRule:
        if not self.start.value < self.end.value:
            raise ValueError("the 'from' anchor's value must be below the 'to' anchor's value")
        return self

    def score(self, values: Any) -> RuleResult:
        import numpy as np

        x = np.asarray(values, dtype=float)
        points = np.interp(x, [self.start.value, self.end.value], [self.start.points, self.end.points])
        points = np.where(np.isnan(x), np.nan, points)
        present = ~np.isnan(x)
        low, high = present & (x <= self.start.value), present & (x >= self.end.value)
        masks = [low, high, present & ~low & ~high]
        texts = [f"≤ {self.start.value:g}", f"≥ {self.end.value:g}", "nội suy / interpolated"]
        return RuleResult(points.astype(float), labels(len(x), masks, texts), np.ones(len(x), dtype=bool))

    def max_points(self) -> float:
        return max(self.start.points, self.end.points)

    def describe(self, lang: str = "vi") -> str:
        word = "nội suy" if lang == "vi" else "linear"
        return f"{word}: {self.start.value:g} → {self.start.points:g}, {self.end.value:g} → {self.end.points:g}"


class YesNoRule(Strict):
    kind: Literal["yes_no"]
    # not 'yes'/'no': YAML 1.1 reads those bare keys as booleans
    if_yes: float = Field(ge=0)
    if_no: float = Field(default=0, ge=0)

    input_types: ClassVar[tuple[str, ...]] = ("yes_no",)

    def score(self, values: Any) -> RuleResult:
        import numpy as np

        x = np.asarray(values, dtype=float)
        points = np.where(np.isnan(x), np.nan, np.where(x > 0.5, self.if_yes, self.if_no))
        present = ~np.isnan(x)
        label = labels(len(x), [present & (x > 0.5), present & (x <= 0.5)], ["Có / Yes", "Không / No"])
        return RuleResult(points.astype(float), label, np.ones(len(x), dtype=bool))

    def max_points(self) -> float:
        return max(self.if_yes, self.if_no)

    def describe(self, lang: str = "vi") -> str:
        y, n = ("Có", "Không") if lang == "vi" else ("Yes", "No")
        return f"{y} → {self.if_yes:g}; {n} → {self.if_no:g}"


class ChoiceRule(Strict):
    kind: Literal["choice"]
    points: dict[str, Annotated[float, Field(ge=0)]] = Field(min_length=1)

    input_types: ClassVar[tuple[str, ...]] = ("choice",)

    def score(self, values: Any) -> RuleResult:
        import numpy as np

        x = np.asarray(values, dtype=object)
        present = np.array([v is not None and v == v for v in x], dtype=bool)
        masks = [x == k for k in self.points]
        pts = np.select(masks, list(self.points.values()), default=np.nan) if masks else np.full(len(x), np.nan)
        in_range = ~present | np.any(masks, axis=0)
        pts = np.where(present & ~in_range, 0.0, pts)
        return RuleResult(np.asarray(pts, dtype=float), labels(len(x), masks, list(self.points)), np.asarray(in_range))

    def max_points(self) -> float:
        return max(self.points.values())

    def describe(self, lang: str = "vi") -> str:
        return "; ".join(f"{k} → {v:g}" for k, v in self.points.items())


class CouncilRule(Strict):
    """Qualitative criterion scored 0..max by the council."""

    kind: Literal["council"]
    rubric: Text | None = None

    input_types: ClassVar[tuple[str, ...]] = ()

    def max_points(self) -> float:
        return math.inf

    def describe(self, lang: str = "vi") -> str:
        base = "Hội đồng chấm 0..tối đa" if lang == "vi" else "Scored 0..max by the council"
        return f"{base}: {self.rubric.get(lang)}" if self.rubric else base


Rule = Annotated[
    BandsRule | LinearRule | YesNoRule | ChoiceRule | CouncilRule,
    Field(discriminator="kind"),
]

RULES: dict[str, type[Strict]] = {
    "bands": BandsRule,
    "linear": LinearRule,
    "yes_no": YesNoRule,
    "choice": ChoiceRule,
    "council": CouncilRule,
}
