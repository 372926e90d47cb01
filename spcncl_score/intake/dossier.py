"""A dossier as read from a self-assessment workbook: values with the cell each came from."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict

Value = float | bool | str | dt.date | None


class CellRef(BaseModel):
    model_config = ConfigDict(frozen=True)

    sheet: str
    cell: str

    def render(self) -> str:
        return f"'{self.sheet}'!{self.cell}"


class Dossier(BaseModel):
    """One product's self-assessment. ``values`` keys are field ids or ``field@offset``."""

    model_config = ConfigDict(frozen=True)

    file: str
    sha256: str
    criteria_id: str
    criteria_version: str
    fingerprint: str
    reporting_year: int | None
    values: dict[str, Value]
    self_scores: dict[str, float | None]
    cells: dict[str, CellRef]
    raw: dict[str, str]  # the text as typed, where a value had to be interpreted
    # the category whose own criteria the dossier was read with (criteria/categories.py); None for
    # a set without categories. ``fingerprint`` is then the form's, compared with the category's.
    category: str | None = None

    def text(self, field_id: str) -> str:
        v = self.values.get(field_id)
        return "" if v is None else str(v)


def built_dossier(
    file: str,
    sha256: str,
    criteria_id: str,
    criteria_version: str,
    fingerprint: str,
    reporting_year: int | None,
    values: dict[str, Value],
    self_scores: dict[str, float | None],
    cells: dict[str, CellRef],
    raw: dict[str, str],
    category: str | None = None,
) -> Dossier:
    """A Dossier from parts the reader built exactly as the model declares them.

    Validating them again costs more than reading the file's cells; ``model_construct`` (public
    pydantic) sets the fields as given, all of them marked as set, as validation would leave them.
    """
    return Dossier.model_construct(
        file=file,
        sha256=sha256,
        criteria_id=criteria_id,
        criteria_version=criteria_version,
        fingerprint=fingerprint,
        reporting_year=reporting_year,
        values=values,
        self_scores=self_scores,
        cells=cells,
        raw=raw,
        category=category,
    )
