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

    def text(self, field_id: str) -> str:
        v = self.values.get(field_id)
        return "" if v is None else str(v)
