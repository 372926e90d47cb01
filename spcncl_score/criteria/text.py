"""Small shared value types of the criteria format: bilingual text and provenance."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, model_validator


class Strict(BaseModel):
    """Base of every criteria model: unknown keys are errors, objects are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Text(Strict):
    """A label in Vietnamese and English."""

    vi: str
    en: str

    def get(self, lang: str = "vi") -> str:
        return self.en if lang == "en" else self.vi


class Provenance(Strict):
    """Where a number comes from: a verified citation, or a provisional value."""

    status: Literal["verified", "provisional"]
    citation: str | None = None
    confirm: str | None = None

    @model_validator(mode="after")
    def _citation_for_verified(self) -> Provenance:
        if self.status == "verified" and not self.citation:
            raise ValueError("a verified value needs a 'citation'")
        if self.status == "provisional" and not (self.confirm or self.citation):
            raise ValueError("a provisional value needs 'confirm': what would confirm it")
        return self

    def describe(self, lang: str = "vi") -> str:
        if self.status == "verified":
            return f"Đã xác minh: {self.citation}" if lang == "vi" else f"Verified: {self.citation}"
        what = self.confirm or self.citation or ""
        return f"Tạm thời — cần xác nhận: {what}" if lang == "vi" else f"Provisional — to confirm: {what}"
