"""The history's answers as plain text lines, for the terminal and for pinning in tests."""

from __future__ import annotations

from spcncl_score.history.queries import RECOGNITION_YEARS, CohortRow, Expiring, ProductYear
from spcncl_score.i18n import format_number, label


def _round(code: str, lang: str) -> str:
    return label(f"round_{code}", lang) if code else label("history_no_round", lang)


def _points(v: float | None, lang: str) -> str:
    return "—" if v is None else format_number(v, lang)


def render_cohorts(rows: list[CohortRow], lang: str = "vi") -> str:
    if not rows:
        return label("history_empty", lang) + "\n"
    lines = [label("history_cohorts_head", lang)]
    for r in rows:
        lines.append(
            f"{r.year} · {r.criteria_id} {r.criteria_version} · {_round(r.round, lang)} · {r.recorded_on} · "
            f"{r.dossiers} · {r.ranked} · {r.recognised}"
        )
    return "\n".join(lines) + "\n"


def render_product(tax_code: str, rows: list[ProductYear], lang: str = "vi") -> str:
    if not rows:
        return label("history_product_none", lang, tax_code=tax_code) + "\n"
    lines = [label("history_product_head", lang, tax_code=tax_code)]
    for r in rows:
        until = "" if r.valid_through is None else str(r.valid_through)
        lines.append(
            f"{r.year} · {_round(r.round, lang)} · {r.product} · {_points(r.total, lang)} · "
            f"{'—' if r.rank is None else r.rank} · {label('outcome_code_' + r.outcome, lang)}"
            + (f" · {until}" if until else "")
        )
    return "\n".join(lines) + "\n"


def render_expiring(year: int, rows: list[Expiring], lang: str = "vi") -> str:
    if not rows:
        return label("history_expiring_none", lang, year=year) + "\n"
    since = year - RECOGNITION_YEARS + 1
    lines = [label("history_expiring_head", lang, year=year, since=since, years=RECOGNITION_YEARS)]
    for r in rows:
        renewed = "" if r.renewed is None else " · " + label("history_renewed", lang, year=r.renewed)
        lines.append(f"{r.enterprise} · {r.tax_code} · {r.product} · {_points(r.total, lang)}{renewed}")
    return "\n".join(lines) + "\n"
