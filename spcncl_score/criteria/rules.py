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

from spcncl_score.criteria.text import Strict, Text

if TYPE_CHECKING:  # numpy is imported where scores are computed: `criteria check` starts fast
    import numpy as np
    import numpy.typing as npt

    FloatArray = npt.NDArray[np.float64]
    ObjArray = npt.NDArray[np.object_]
    IntArray = npt.NDArray[np.signedinteger[Any]]

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

    def words(self, lang: str = "vi") -> str:
        """The range as an applicant reads it: 'từ 0 đến dưới 5', not '[0, 5)'."""
        from spcncl_score.i18n import format_number

        vi = lang == "vi"
        lo, hi = format_number(self.lo, lang), format_number(self.hi, lang)
        low_inf, high_inf = math.isinf(self.lo), math.isinf(self.hi)
        if low_inf and high_inf:
            return "mọi giá trị" if vi else "any value"
        if self.lo == self.hi:
            return f"bằng {lo}" if vi else f"exactly {lo}"
        if low_inf:
            if self.hi_closed:
                return f"đến {hi}" if vi else f"up to {hi}"
            return f"dưới {hi}" if vi else f"below {hi}"
        if high_inf:
            if self.lo_closed:
                return f"từ {lo} trở lên" if vi else f"{lo} or more"
            return f"trên {lo}" if vi else f"above {lo}"
        start = (
            (f"từ {lo}" if self.lo_closed else f"trên {lo}")
            if vi
            else (f"from {lo}" if self.lo_closed else f"above {lo}")
        )
        end = (
            (f"đến {hi}" if self.hi_closed else f"đến dưới {hi}")
            if vi
            else (f"to {hi}" if self.hi_closed else f"to under {hi}")
        )
        return f"{start} {end}"


def _edge(token: str) -> float:
    t = token.strip().lower().replace("∞", "inf")
    if t in ("-inf", "inf", "+inf"):
        return -math.inf if t.startswith("-") else math.inf
    try:
        return float(t)
    except ValueError:
        raise ValueError(f"'{token.strip()}' is not a number (in a range such as '[10, 50)')") from None


def code_dtype(count: int) -> Any:
    """The smallest signed integer type that numbers ``count`` labels (int8 for every built-in rule)."""
    import numpy as np

    return np.int8 if count <= 127 else np.int16 if count <= 32767 else np.int32


def first_match(n: int, masks: list[Any]) -> IntArray:
    """Per row, 1 + the position of the first mask that holds, 0 where none does."""
    import numpy as np

    codes = np.zeros(n, dtype=code_dtype(len(masks) + 1))
    # written last to first, so that where masks overlap the first one wins; as arithmetic
    # (codes becomes i where the mask is 1) it is ~10x faster than np.copyto(..., where=mask)
    for i in range(len(masks), 0, -1):
        codes -= (codes - i) * np.asarray(masks[i - 1], dtype=bool).view(np.int8)
    return codes


def label_table(codes: IntArray, texts: list[str]) -> tuple[IntArray, tuple[str, ...]]:
    """``codes`` (0 for none, i for ``texts[i - 1]``) renumbered over distinct texts, and the table.

    The table starts with "" for code 0 and holds each text once, so that it can serve as the
    categories of a ``pd.Categorical``: two bands written with the same range share one code.
    """
    import numpy as np

    table: dict[str, int] = {"": 0}
    for text in texts:
        table.setdefault(text, len(table))
    if len(table) == len(texts) + 1:
        return codes, tuple(table)
    remap = np.array([0, *(table[t] for t in texts)], dtype=codes.dtype)
    return remap[codes], tuple(table)


def decode(codes: IntArray, texts: tuple[str, ...]) -> ObjArray:
    """The text of each code, as an object array."""
    import numpy as np

    table = np.empty(len(texts), dtype=object)
    table[:] = texts
    return np.asarray(table[codes])


@dataclass(frozen=True)
class RuleResult:
    points: FloatArray  # NaN where the input is missing
    # what matched, as small integer codes into ``texts`` (texts[0] == "": nothing matched);
    # a million rows of Python strings per criterion cost more than all the arithmetic
    codes: IntArray
    texts: tuple[str, ...]
    in_range: npt.NDArray[np.bool_]  # False where a value was present but no band matched

    @property
    def matched(self) -> ObjArray:
        """A short text of what matched, per row ("" when nothing did)."""
        return decode(self.codes, self.texts)


def _table_points(codes: IntArray, points: list[float], present: npt.NDArray[np.bool_]) -> FloatArray:
    """Points of the first matching entry; 0 for a present value that matched none, NaN if missing."""
    import numpy as np

    return np.where(present, np.array([0.0, *points], dtype=float)[codes], np.nan)


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
        present = ~np.isnan(x)
        codes = first_match(len(x), [b.interval.mask(x) for b in self.bands])
        points = _table_points(codes, [b.points for b in self.bands], present)
        codes, texts = label_table(codes, [b.interval.render() for b in self.bands])
        return RuleResult(points, codes, texts, ~present | (codes > 0))

    def max_points(self) -> float:
        return max(b.points for b in self.bands)

    def min_points(self) -> float:
        """The fewest points an answer can score (the bands cover their domain: every value matches)."""
        return min(b.points for b in self.bands)

    def describe(self, lang: str = "vi") -> str:
        return "; ".join(f"{b.interval.render()} → {b.points:g}" for b in self.bands)

    def describe_words(self, lang: str = "vi") -> str:
        """The bands in words, for applicants: 'dưới 0 → 0 điểm; từ 0 đến dưới 5 → 4 điểm'."""
        from spcncl_score.i18n import format_number

        unit = "điểm" if lang == "vi" else "points"
        return "; ".join(f"{b.interval.words(lang)} → {format_number(b.points, lang)} {unit}" for b in self.bands)


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
        codes = first_match(len(x), [low, high, present])  # present and neither: interpolated
        texts = ("", f"≤ {self.start.value:g}", f"≥ {self.end.value:g}", "nội suy / interpolated")
        return RuleResult(points.astype(float), codes, texts, np.ones(len(x), dtype=bool))

    def max_points(self) -> float:
        return max(self.start.points, self.end.points)

    def min_points(self) -> float:
        return min(self.start.points, self.end.points)

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
        # 1 yes, 2 no, 0 missing (NaN is neither above nor at most 0.5)
        codes = (x > 0.5).view(np.int8) + 2 * (x <= 0.5).view(np.int8)
        points = np.array([np.nan, self.if_yes, self.if_no], dtype=float)[codes]
        return RuleResult(points, codes, ("", "Có / Yes", "Không / No"), np.ones(len(x), dtype=bool))

    def max_points(self) -> float:
        return max(self.if_yes, self.if_no)

    def min_points(self) -> float:
        return min(self.if_yes, self.if_no)

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
        codes = first_match(len(x), [x == k for k in self.points])
        points = _table_points(codes, list(self.points.values()), present)
        codes, texts = label_table(codes, list(self.points))
        return RuleResult(points, codes, texts, ~present | (codes > 0))

    def max_points(self) -> float:
        return max(self.points.values())

    def min_points(self) -> float:
        """The fewest points of the choices listed (a choice not listed scores 0)."""
        return min(self.points.values())

    def describe(self, lang: str = "vi") -> str:
        return "; ".join(f"{k} → {v:g}" for k, v in self.points.items())


class CouncilRule(Strict):
    """Qualitative criterion scored 0..max by the council."""

    kind: Literal["council"]
    rubric: Text | None = None

    input_types: ClassVar[tuple[str, ...]] = ()

    def max_points(self) -> float:
        return math.inf

    def min_points(self) -> float:
        return 0.0

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
