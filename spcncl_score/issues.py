"""The one problem type: an Issue with a code, a severity, parameters and a location."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from spcncl_score.i18n import render_message


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Location:
    """Where a problem is: a dossier cell, or a line of a criteria file."""

    file: str | None = None
    sheet: str | None = None
    cell: str | None = None
    field: str | None = None
    yaml_path: str | None = None
    line: int | None = None
    category: str | None = None  # the category whose criteria or dossiers the problem belongs to

    def render(self) -> str:
        parts: list[str] = []
        if self.file:
            parts.append(self.file if self.line is None else f"{self.file}:{self.line}")
        if self.category:
            parts.append(f"({self.category})")
        if self.sheet:
            parts.append(f"'{self.sheet}'!{self.cell}" if self.cell else f"'{self.sheet}'")
        if self.yaml_path:
            parts.append(self.yaml_path)
        if self.field and not self.yaml_path:
            parts.append(f"[{self.field}]")
        return " ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass(frozen=True)
class Issue:
    """A problem found while loading, reading or scoring; data, never an exception.

    The message is kept as a catalogue code plus parameters so that it can be
    rendered in Vietnamese or English at the edge.
    """

    code: str
    severity: Severity
    params: dict[str, Any] = field(default_factory=dict)
    location: Location = field(default_factory=Location)

    def message(self, lang: str = "vi") -> str:
        return render_message(self.code, self.params, lang)

    def render(self, lang: str = "vi") -> str:
        where = self.location.render()
        prefix = f"{where}: " if where else ""
        return f"{prefix}{self.message(lang)} [{self.code}]"

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message(lang),
            "location": self.location.to_dict(),
        }

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


def error(code: str, location: Location | None = None, **params: Any) -> Issue:
    return Issue(code, Severity.ERROR, params, location or Location())


def warning(code: str, location: Location | None = None, **params: Any) -> Issue:
    return Issue(code, Severity.WARNING, params, location or Location())


def info(code: str, location: Location | None = None, **params: Any) -> Issue:
    return Issue(code, Severity.INFO, params, location or Location())


def has_errors(issues: list[Issue]) -> bool:
    return any(i.is_error for i in issues)


class SpcnclError(Exception):
    """Raised only when a stage cannot go on (e.g. an invalid criteria file)."""

    def __init__(self, issues: list[Issue]) -> None:
        super().__init__("; ".join(i.render("en") for i in issues))
        self.issues = issues
