"""Indicator kinds derived from input fields, each computed over all dossiers at once.

Yearly figures live in the dossier frame as columns ``<field>@<offset>``, offset 0
being the reporting year and 1 the year before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field, model_validator

from spcncl_score.criteria.text import Provenance, Strict, Text

if TYPE_CHECKING:  # pandas is imported where indicators are computed: `criteria check` starts fast
    import numpy as np
    import pandas as pd

Resolve = Callable[[str], "pd.Series"]


def year_column(field: str, offset: int) -> str:
    return f"{field}@{offset}"


def _years(frame: pd.DataFrame, field: str, count: int) -> np.ndarray:

    cols = [year_column(field, k) for k in range(count)]
    return frame[cols].to_numpy(dtype=float)


class _Base(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: Text
    unit: str | None = None
    description: Text | None = None
    source: Provenance | None = None

    def refs(self) -> list[str]:
        """Scalar references (fields or indicators) this indicator reads."""
        return []

    def yearly(self) -> tuple[str, int] | None:
        """The yearly field read and how many years back it needs."""
        return None


class _YearlyBase(_Base):
    field: str
    years: int | None = Field(default=None, ge=1, description="most recent years used; default all")

    def window(self, available: int) -> int:
        return self.years or available

    def yearly(self) -> tuple[str, int] | None:
        return (self.field, self.years or 0)


class LatestIndicator(_YearlyBase):
    """The reporting year's value."""

    kind: Literal["latest"]

    def compute(self, frame: pd.DataFrame, resolve: Resolve, available: int) -> pd.Series:

        return frame[year_column(self.field, 0)].astype(float)

    def formula(self) -> str:
        return f"{self.field}[N]"


class ValueAtIndicator(_YearlyBase):
    """The value ``offset`` years before the reporting year."""

    kind: Literal["value_at"]
    offset: int = Field(ge=0)

    def yearly(self) -> tuple[str, int] | None:
        return (self.field, self.offset + 1)

    def compute(self, frame: pd.DataFrame, resolve: Resolve, available: int) -> pd.Series:

        return frame[year_column(self.field, self.offset)].astype(float)

    def formula(self) -> str:
        return f"{self.field}[N-{self.offset}]"


class MeanIndicator(_YearlyBase):
    """Arithmetic mean over the most recent years."""

    kind: Literal["mean"]

    def compute(self, frame: pd.DataFrame, resolve: Resolve, available: int) -> pd.Series:
        import pandas as pd

        arr = _years(frame, self.field, self.window(available))
        return pd.Series(arr.mean(axis=1), index=frame.index)

    def formula(self) -> str:
        return f"mean({self.field}, {self.years or 'all'} years)"


class AvgGrowthIndicator(_YearlyBase):
    """Average of the year-on-year growth rates, in percent."""

    kind: Literal["avg_growth"]

    def compute(self, frame: pd.DataFrame, resolve: Resolve, available: int) -> pd.Series:
        import numpy as np
        import pandas as pd

        arr = _years(frame, self.field, self.window(available))
        newer, older = arr[:, :-1], arr[:, 1:]
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            growth = np.where(older > 0, (newer / older - 1.0) * 100.0, np.nan)
        return pd.Series(growth.mean(axis=1), index=frame.index)

    def formula(self) -> str:
        return f"mean(({self.field}[t]/{self.field}[t-1] - 1) × 100)"


class CagrIndicator(_YearlyBase):
    """Compound annual growth rate between the oldest and newest year, in percent."""

    kind: Literal["cagr"]

    def compute(self, frame: pd.DataFrame, resolve: Resolve, available: int) -> pd.Series:
        import numpy as np
        import pandas as pd

        n = self.window(available)
        arr = _years(frame, self.field, n)
        newest, oldest = arr[:, 0], arr[:, n - 1]
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            rate = np.where(
                (oldest > 0) & (newest >= 0), (np.power(newest / oldest, 1.0 / (n - 1)) - 1.0) * 100.0, np.nan
            )
        return pd.Series(rate, index=frame.index)

    def formula(self) -> str:
        # over `years` values there are years − 1 steps (criteria/README.md, section 7)
        f = self.field
        if self.years:
            steps = self.years - 1
            return f"(({f}[N]/{f}[N-{steps}])^(1/{steps}) - 1) × 100"
        return f"(({f}[N]/{f}[N-(years-1)])^(1/(years-1)) - 1) × 100"


class SumIndicator(_Base):
    """Sum of a yearly field over its most recent years, or of several scalar values."""

    kind: Literal["sum"]
    field: str | None = None
    years: int | None = Field(default=None, ge=1)
    of: list[str] | None = None

    @model_validator(mode="after")
    def _one_form(self) -> SumIndicator:
        if (self.field is None) == (self.of is None):
            raise ValueError("give either 'field' (a yearly field) or 'of' (a list of values), not both")
        return self

    def refs(self) -> list[str]:
        return list(self.of or [])

    def yearly(self) -> tuple[str, int] | None:
        return (self.field, self.years or 0) if self.field else None

    def compute(self, frame: pd.DataFrame, resolve: Resolve, available: int) -> pd.Series:
        import pandas as pd

        if self.field:
            arr = _years(frame, self.field, self.years or available)
            return pd.Series(arr.sum(axis=1), index=frame.index)
        parts = [resolve(r).astype(float) for r in self.of or []]
        return sum(parts[1:], parts[0]) if parts else pd.Series(0.0, index=frame.index)

    def formula(self) -> str:
        return f"sum({self.field})" if self.field else " + ".join(self.of or [])


class RatioIndicator(_Base):
    """numerator / denominator × scale (e.g. revenue per worker, export share)."""

    kind: Literal["ratio"]
    numerator: str
    denominator: str
    scale: float = 1.0

    def refs(self) -> list[str]:
        return [self.numerator, self.denominator]

    def compute(self, frame: pd.DataFrame, resolve: Resolve, available: int) -> pd.Series:
        import numpy as np
        import pandas as pd

        num = resolve(self.numerator).astype(float).to_numpy()
        den = resolve(self.denominator).astype(float).to_numpy()
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            out = np.where(den != 0, num / den * self.scale, np.nan)
        return pd.Series(out, index=frame.index)

    def formula(self) -> str:
        scale = f" × {self.scale:g}" if self.scale != 1 else ""
        return f"{self.numerator} / {self.denominator}{scale}"


Indicator = Annotated[
    LatestIndicator
    | ValueAtIndicator
    | MeanIndicator
    | AvgGrowthIndicator
    | CagrIndicator
    | SumIndicator
    | RatioIndicator,
    Field(discriminator="kind"),
]

INDICATORS: dict[str, type[_Base]] = {
    "latest": LatestIndicator,
    "value_at": ValueAtIndicator,
    "mean": MeanIndicator,
    "avg_growth": AvgGrowthIndicator,
    "cagr": CagrIndicator,
    "sum": SumIndicator,
    "ratio": RatioIndicator,
}
