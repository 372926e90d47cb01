"""Read a self-assessment workbook by its defined names into a validated Dossier.

Every problem becomes an issue naming file, sheet, cell, field, the value found and
what was expected; a dossier with errors is returned for listing, never raised.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import math
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xlsxwriter.utility import xl_rowcol_to_cell

from spcncl_score.criteria.categories import category_label, category_sets
from spcncl_score.criteria.models import CriteriaSet, InputField
from spcncl_score.i18n import NO_WORDS, YES_WORDS, L
from spcncl_score.intake.dossier import CellRef, Dossier, Value, built_dossier
from spcncl_score.intake.form import META_SHEET, FormLayout, form_layout
from spcncl_score.intake.names import (
    META_CRITERIA_ID,
    META_CRITERIA_VERSION,
    META_FINGERPRINT,
    META_REPORTING_YEAR,
    field_name,
    self_score_name,
    value_key,
)
from spcncl_score.intake.numbers import NumberError, NumberNotFinite, parse_number
from spcncl_score.intake.workbook import SheetTooLarge, Workbook, cell_to_rc, open_workbook, sheet_too_large
from spcncl_score.issues import Issue, Location, error, info, warning

_ERROR_VALUES = frozenset(("#REF!", "#DIV/0!", "#VALUE!", "#N/A", "#NAME?", "#NUM!", "#NULL!"))
_DATE_TEXT = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})\s*$")
_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")
# the yes/no answers read without a word; any other accepted word ('x', 'c', 'đúng') is read with a
# warning saying how, since a mark in a box is a guess at what the enterprise meant
PLAIN_YES_NO = {
    "có": True,
    "yes": True,
    "true": True,
    "1": True,
    "không": False,
    "no": False,
    "false": False,
    "0": False,
}
# A reporting year is plausible from this year to the year after the current one (a form filled in
# ahead of the call); 1900 is Excel's day zero, a year typed as a date, not a year anyone reports on.
FIRST_REPORTING_YEAR = 2000
# the units in which a figure is typed, by mistake, a thousand million times too large (đồng)
_BILLION_UNITS = ("tỷ đồng",)


@dataclass
class DossierRead:
    file: str
    sha256: str
    dossier: Dossier | None
    issues: list[Issue] = field(default_factory=list)
    # a dossier read without error but kept out of the ranking, and why: the copy of one read
    # earlier (the same product, the same inputs), so that one product never has two ranks
    withheld: Issue | None = None
    # the category the dossier's category cell named, once recognised (a set with categories),
    # also when the read then failed: so that a dossier not ranked is listed with its category
    category: str | None = None

    @property
    def ok(self) -> bool:
        return self.dossier is not None and self.withheld is None and not any(i.is_error for i in self.issues)

    def not_ranked_reasons(self) -> list[Issue]:
        """Why this read is not ranked: its errors, and the reason it was withheld."""
        return [i for i in self.issues if i.is_error or i is self.withheld]


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@functools.lru_cache(maxsize=8192)  # the same labels and words are folded for every dossier
def fold(text: str) -> str:
    """Compare labels ignoring case, spacing and Unicode composition."""
    return " ".join(nfc(text).casefold().split())


# Files up to this size are read into memory once (hash, zip directory and members from the same
# bytes); a larger one (a form with pictures, or not a form at all) is hashed and opened from disk,
# so memory stays bounded whatever lands in the folder.
READ_WHOLE_MAX_BYTES = 16 * 1024 * 1024


def _content(path: Path) -> bytes | None:
    with path.open("rb") as fh:
        if os.fstat(fh.fileno()).st_size > READ_WHOLE_MAX_BYTES:
            return None
        return fh.read()


def read_dossier(path: Path, cs: CriteriaSet, display: str | None = None) -> DossierRead:
    display = display or str(path)
    data = _content(path)
    sha = hashlib.sha256(data).hexdigest() if data is not None else file_sha256(path)
    wb, issues = open_workbook(path, display, data)
    if wb is None:
        return DossierRead(display, sha, None, issues)
    try:
        return _read(wb, cs, display, sha, issues)
    except SheetTooLarge as exc:
        return DossierRead(display, sha, None, [*issues, sheet_too_large(Location(file=display), exc)])
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:
        # calamine reports damaged sheets as exceptions, and some cell values as Rust panics
        # (a BaseException): either way it is this file's problem, never the batch's
        first = str(exc).splitlines()[0] if str(exc) else ""
        problem = error("dossier-unreadable", Location(file=display), detail=f"{type(exc).__name__}: {first}")
        return DossierRead(display, sha, None, [*issues, problem])
    finally:
        wb.close()


@dataclass(frozen=True)
class _Plan:
    """The defined names a criteria set reads, in order, worked out once per set."""

    cs: CriteriaSet
    fields: tuple[tuple[str, str, InputField, int | None], ...]  # (value key, name, field, year offset)
    criteria: tuple[tuple[str, str, float, str], ...]  # (criterion id, name, maximum, 'self:' key)
    fast: tuple[str, ...]  # per field: how _plain_value may read it ('' = only _parse)


_PLANS: dict[int, _Plan] = {}


def _plan(cs: CriteriaSet) -> _Plan:
    plan = _PLANS.get(id(cs))
    if plan is None or plan.cs is not cs:
        fields = tuple(
            (value_key(f.id, k), field_name(f.id, k), f, k)
            for f in cs.fields
            for k in (range(f.years) if f.years else (None,))
        )
        criteria = tuple((c.id, self_score_name(c.id), c.max, f"self:{c.id}") for _, c in cs.criteria())
        fast = tuple(f.type if f.type in ("number", "integer", "text", "yes_no") else "" for _, _, f, _ in fields)
        plan = _Plan(cs, fields, criteria, fast)
        if len(_PLANS) > 16:
            _PLANS.clear()
        _PLANS[id(cs)] = plan
    return plan


# Where each name of a plan points in a workbook: ('ok', sheet, cell), or why not: ('missing', '', ''),
# ('broken', raw text, ''), ('no-sheet', sheet, ''), and, for a name whose cell is not to be trusted,
# ('twice', targets, expected), ('hidden', sheet, cell), ('moved', sheet, cell).
_Target = tuple[str, str, str]


def _resolve(wb: Workbook, plan: _Plan, layout: FormLayout | None) -> tuple[tuple[_Target, ...], dict[str, CellRef]]:
    """Where each name of ``plan`` points, and the Dossier.cells of the names that lead to a cell.

    With the ``layout`` of the form's template, a name must point where the template put it (a
    sheet renamed by the enterprise keeps its cells); a cell elsewhere is not read."""
    out: list[_Target] = []
    for name in (*(n for _, n, _, _ in plan.fields), *(n for _, n, _, _ in plan.criteria)):
        target = wb.names.get(name)
        if target is None:
            out.append(("missing", "", ""))
        elif target.broken:
            out.append(("broken", target.raw, ""))
        elif target.sheet not in wb.sheets:
            out.append(("no-sheet", str(target.sheet), ""))
        elif wb.twice and name in wb.twice:
            out.append(("twice", ", ".join(wb.twice[name]), ""))
        else:
            assert target.sheet is not None and target.cell is not None
            sheet, cell = target.sheet, target.cell
            expected = layout.cells.get(name) if layout is not None else None
            state = wb.sheets[sheet]
            if expected is None:
                hidden = sheet == META_SHEET or state == "veryHidden"
                moved = False
            else:
                # a sheet of another name is one the enterprise renamed, unless it is another of the template's
                own = sheet in expected[0] or sheet not in layout.sheets  # type: ignore[union-attr]
                hidden = state != "visible" and (not own or sheet == META_SHEET or state == "veryHidden")
                moved = cell != expected[1] or not own
            out.append(("hidden" if hidden else "moved" if moved else "ok", sheet, cell))
    resolved = tuple(out)
    keys = [k for k, _, _, _ in plan.fields] + [key for _, _, _, key in plan.criteria]
    cells = {
        k: _cell_ref(sheet, cell)
        for k, (status, sheet, cell) in zip(keys, resolved, strict=True)
        if status in ("ok", "hidden", "moved")
    }
    return resolved, cells


@functools.lru_cache(maxsize=4096)  # the same cells in every form of a template; CellRef is immutable
def _cell_ref(sheet: str, cell: str) -> CellRef:
    return CellRef(sheet=sheet, cell=cell)


def _merged_over(merges: tuple[tuple[int, int, int, int], ...], cell: str) -> tuple[str, ...]:
    """The merged ranges (as 'A1:B2') that swallow ``cell``: it is in them but not their top-left."""
    row, col = cell_to_rc(cell)
    return tuple(
        f"{xl_rowcol_to_cell(r1, c1)}:{xl_rowcol_to_cell(r2, c2)}"
        for r1, c1, r2, c2 in merges
        if r1 <= row <= r2 and c1 <= col <= c2 and (row, col) != (r1, c1)
    )


class _MergeMap:
    """_merged_over for one sheet's merged ranges, remembered per cell (the same for every form)."""

    __slots__ = ("cache", "merges")

    def __init__(self, merges: tuple[tuple[int, int, int, int], ...]) -> None:
        self.merges = merges
        self.cache: dict[str, tuple[str, ...]] = {}

    def over(self, cell: str) -> tuple[str, ...]:
        hit = self.cache.get(cell)
        if hit is None:
            hit = self.cache[cell] = _merged_over(self.merges, cell)
        return hit


@functools.lru_cache(maxsize=64)  # every form of a template has the same merges: one map for all
def _merge_map(merges: tuple[tuple[int, int, int, int], ...]) -> _MergeMap | None:
    return _MergeMap(merges) if merges else None


class _Where:
    """The cell being read; its Location and label are made only when an issue needs them."""

    __slots__ = ("cell", "display", "field", "key", "offset", "sheet", "year")

    def __init__(self, display: str, year: int | None) -> None:
        self.display = display
        self.year = year
        self.sheet = self.cell = self.key = ""
        self.field: InputField | None = None
        self.offset: int | None = None

    def at(self, sheet: str, cell: str, key: str, f: InputField | None, offset: int | None) -> _Where:
        self.sheet, self.cell, self.key, self.field, self.offset = sheet, cell, key, f, offset
        return self

    def loc(self) -> Location:
        return Location(file=self.display, sheet=self.sheet, cell=self.cell, field=self.key)

    def label(self) -> L:
        assert self.field is not None
        return _field_label(self.field, self.offset, self.year)


def _read(wb: Workbook, cs: CriteriaSet, display: str, sha: str, issues: list[Issue]) -> DossierRead:
    meta: dict[str, Any] = {}
    for name in (META_CRITERIA_ID, META_CRITERIA_VERSION, META_FINGERPRINT, META_REPORTING_YEAR):
        target = wb.names.get(name)
        if target is None or target.broken or target.sheet not in wb.sheets:
            if name == META_CRITERIA_ID:
                if wb.is_report:
                    # a report written into the folder earlier (with --force) is not a dossier
                    return DossierRead(display, sha, None, [*issues, info("file-is-report", Location(file=display))])
                return DossierRead(
                    display, sha, None, [*issues, error("dossier-not-a-form", Location(file=display), name=name)]
                )
            meta[name] = None
            continue
        assert target.sheet is not None and target.cell is not None
        meta[name] = wb.value(target.sheet, target.cell)
    found_id, found_version = str(meta[META_CRITERIA_ID]), _version_text(meta[META_CRITERIA_VERSION])
    if found_id != cs.id or found_version != cs.version:
        issues.append(
            error(
                "dossier-wrong-criteria",
                Location(file=display),
                found_id=found_id,
                found_version=found_version,
                expected_id=cs.id,
                expected_version=cs.version,
            )
        )
        return DossierRead(display, sha, None, issues)
    fingerprint = str(meta[META_FINGERPRINT] or "")
    # a category's own set given directly reads that category's forms (the cell is then read as a field)
    category = cs.category.id if cs.category is not None else None
    if cs.categories is not None:
        got = _category_of(wb, cs, display, fingerprint)
        if isinstance(got, Issue):
            return DossierRead(display, sha, None, [*issues, got])
        category, cs = got
    if fingerprint != cs.fingerprint:
        issues.append(
            warning(
                "dossier-fingerprint-changed", Location(file=display), found=fingerprint or "—", expected=cs.fingerprint
            )
        )
    year = meta[META_REPORTING_YEAR]
    numeric = isinstance(year, (int, float)) and not isinstance(year, bool) and math.isfinite(year)
    reporting_year = int(year) if numeric else None
    if isinstance(year, float) and not math.isfinite(year):
        reporting_year_problem(year, _meta_location(wb, display), issues)
    elif reporting_year is not None and not FIRST_REPORTING_YEAR <= reporting_year <= dt.date.today().year + 1:
        reporting_year_problem(reporting_year, _meta_location(wb, display), issues)
        reporting_year = None

    plan = _plan(cs)
    # a form of this set's template must keep its layout; one of another version is read by name only
    resolved, cells = _resolve(wb, plan, form_layout(cs) if fingerprint == cs.fingerprint else None)
    values: dict[str, Value] = {}
    raw: dict[str, str] = {}
    merged_of: dict[str, _MergeMap | None] = {}  # per sheet, at its first field
    where = _Where(display, reporting_year)
    for i, (key, _, f, k) in enumerate(plan.fields):
        status, sheet, cell = resolved[i]
        if status != "ok":
            _name_problem(plan, resolved, i, f.id, display, issues, wb, fingerprint)
            values[key] = None
            continue
        if sheet not in merged_of:
            if wb.sheets.get(sheet, "visible") != "visible":  # the template's own sheet, hidden
                issues.append(warning("sheet-hidden", Location(file=display, sheet=sheet), sheet=sheet))
            merged_of[sheet] = _merge_map(tuple(wb.merged(sheet)))
        merged = merged_of[sheet]
        where.at(sheet, cell, key, f, k)
        if merged is not None:
            for rng in merged.over(cell):
                # the top-left cell of a merge keeps its value; any other cell of it is lost
                issues.append(error("cell-merged", where.loc(), cell=cell, range=rng))
        value = wb.value(sheet, cell)
        parsed = _plain_value(value, f, plan.fast[i])
        if parsed is _NOT_PLAIN:
            parsed, text = _parse(value, f, where, issues, wb)
            if text is not None:
                raw[key] = text
        values[key] = parsed
    self_scores: dict[str, float | None] = {}
    n_fields = len(plan.fields)
    for i, (cid, _, maximum, self_key) in enumerate(plan.criteria):
        status, sheet, cell = resolved[n_fields + i]
        if status != "ok":
            _name_problem(plan, resolved, n_fields + i, cid, display, issues, wb, fingerprint)
            self_scores[cid] = None
            continue
        value = wb.value(sheet, cell)
        self_scores[cid] = _parse_self_score(
            value, cid, maximum, where.at(sheet, cell, self_key, None, None), issues, wb
        )
    dossier = built_dossier(
        display, sha, found_id, found_version, fingerprint, reporting_year, values, self_scores, cells, raw, category
    )
    return DossierRead(display, sha, dossier, issues, category=category)


def category_field(cs: CriteriaSet) -> InputField:
    """The field whose answer is a dossier's category, of a set with categories or of a category's own set."""
    fid = cs.category_field
    f = cs.field(fid) if fid else None
    assert f is not None, "category_field of a set without categories"
    return f


def choice_of(f: InputField, text: str) -> str | None:
    """The choice a folded answer names: its value, or its label in either language."""
    return next((c.value for c in f.choices or [] if text in (c.value, fold(c.label.vi), fold(c.label.en))), None)


def match_category(cs: CriteriaSet, value: Any) -> str | None:
    """The category a cell's answer names (its id, or its label in either language), or None."""
    if value is None or isinstance(value, bool):
        return None
    text = fold(_num_text(value.strip() if isinstance(value, str) else value))
    if not text:
        return None
    found = choice_of(category_field(cs), text)
    return found if found in category_sets(cs) else None


def category_unknown(cs: CriteriaSet, value: Any, loc: Location) -> Issue:
    """The error of a dossier whose category cell is empty or names no category of ``cs``."""
    f = category_field(cs)
    empty = value is None or (isinstance(value, str) and not value.strip())
    text = "" if empty else _num_text(value.strip() if isinstance(value, str) else value)
    shown = L("đang để trống", "is empty") if empty else L(f"ghi '{text}'", f"says '{text}'")
    names = [
        L(f"'{category_label(cs, c, 'vi')}' ({c})", f"'{category_label(cs, c, 'en')}' ({c})") for c in category_sets(cs)
    ]
    return error(
        "dossier-category-unknown",
        loc,
        label=L(f.label.vi, f.label.en),
        value=shown,
        categories=names,
    )


def _category_of(wb: Workbook, cs: CriteriaSet, display: str, fingerprint: str) -> tuple[str, CriteriaSet] | Issue:
    """The category a form's category cell names and that category's own set, or why not.

    A form is made for one category (its fingerprint is that category's): a cell that names
    another would have the form's cells read with criteria they were not made for."""
    f = category_field(cs)
    name = field_name(f.id)
    target = wb.names.get(name)
    if target is None or target.broken or target.sheet not in wb.sheets:
        return error("dossier-missing-name", Location(file=display, field=f.id), name=name, field=f.id)
    assert target.sheet is not None and target.cell is not None
    value = wb.value(target.sheet, target.cell)
    loc = Location(file=display, sheet=target.sheet, cell=target.cell, field=f.id)
    category = match_category(cs, value)
    if category is None:
        return category_unknown(cs, value, loc)
    own = category_sets(cs)
    made_for = next((c for c, s in own.items() if s.fingerprint == fingerprint), None)
    if made_for is not None and made_for != category:
        return error(
            "dossier-category-changed",
            loc,
            label=L(f.label.vi, f.label.en),
            made_for=L(category_label(cs, made_for, "vi"), category_label(cs, made_for, "en")),
            found=L(category_label(cs, category, "vi"), category_label(cs, category, "en")),
            criteria=cs.id,
            category=category,
        )
    return category, own[category]


def _meta_location(wb: Workbook, display: str) -> Location:
    """Where the reporting year of a form is."""
    target = wb.names.get(META_REPORTING_YEAR)
    if target is None or target.broken:
        return Location(file=display, field=META_REPORTING_YEAR)
    return Location(file=display, sheet=target.sheet, cell=target.cell, field=META_REPORTING_YEAR)


def reporting_year_problem(year: float, loc: Location, issues: list[Issue]) -> bool:
    """True, with an error, if ``year`` is not a year a dossier can report on."""
    last = dt.date.today().year + 1
    if FIRST_REPORTING_YEAR <= year <= last:
        return False
    shown = str(int(year)) if math.isfinite(year) and float(year).is_integer() else str(year)
    issues.append(
        error("reporting-year-implausible", loc, value=shown, first=str(FIRST_REPORTING_YEAR), last=str(last))
    )
    return True


def _name_problem(
    plan: _Plan,
    resolved: tuple[_Target, ...],
    i: int,
    field_id: str,
    display: str,
    issues: list[Issue],
    wb: Workbook,
    fingerprint: str,
) -> None:
    """The issue for a name that does not lead to a cell, or to one that is not read."""
    name = plan.fields[i][1] if i < len(plan.fields) else plan.criteria[i - len(plan.fields)][1]
    kind, detail, cell = resolved[i]
    loc = Location(file=display, field=field_id)
    if kind in ("twice", "hidden", "moved"):
        layout = form_layout(plan.cs) if fingerprint == plan.cs.fingerprint else None
        expected = (layout.expected(name) if layout is not None else None) or "—"
        if kind == "twice":
            issues.append(error("dossier-name-twice", loc, name=name, targets=detail, expected=expected))
            return
        at = Location(file=display, sheet=detail, cell=cell, field=field_id)
        issues.append(
            error(
                f"dossier-name-{kind}",
                at,
                name=name,
                cell=f"'{detail}'!{cell}",
                sheet=detail,
                state=wb.sheets.get(detail, ""),
                expected=expected,
            )
        )
    elif kind == "missing":
        issues.append(error("dossier-missing-name", loc, name=name, field=field_id))
    elif kind == "broken":
        issues.append(error("dossier-broken-name", loc, name=name, target=detail))
    else:
        issues.append(error("dossier-missing-sheet", loc, name=name, sheet=detail))


def _version_text(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return "" if v is None else str(v)


def _field_label(f: InputField, k: int | None, year: int | None) -> L:
    """The field's label in both languages, with the year for a yearly value."""
    if k is None:
        return L(f.label.vi, f.label.en)
    when = str(year - k) if year else f"N-{k}"
    return L(f"{f.label.vi} ({when})", f"{f.label.en} ({when})")


def _explain_empty(wb: Workbook, where: _Where, issues: list[Issue]) -> bool:
    """An empty reading may hide a formula without a cached value or an error cell."""
    xml = wb.raw_cell_xml(where.sheet, where.cell)
    if not xml:
        return False
    if 't="e"' in xml:
        m = re.search(r"<v>(.*?)</v>", xml)
        issues.append(error("value-error-cell", where.loc(), label=where.label(), value=m.group(1) if m else "#ERROR"))
        return True
    f = re.search(r"<f[^>]*>(.*?)</f>", xml, re.S)
    if f is not None and "<v>" not in xml:
        issues.append(error("value-formula-no-cache", where.loc(), label=where.label(), formula="=" + f.group(1)))
        return True
    return False


_NOT_PLAIN: Any = object()


def _plain_value(value: Any, f: InputField, how: str) -> Any:
    """What _parse gives for the commonest plain answers, which raise no issue and keep no raw text
    (a number within its bounds, a text, a yes/no word); _NOT_PLAIN for anything else."""
    t = type(value)
    if t is float:
        if not math.isfinite(value):
            return _NOT_PLAIN
        typed = how == "number" or (how == "integer" and value.is_integer())
        if typed and (f.min is None or value >= f.min) and (f.max is None or value <= f.max):
            return value
        return _NOT_PLAIN
    if t is str and how in ("text", "yes_no"):
        text = nfc(value).strip()
        if not text or text in _ERROR_VALUES:
            return _NOT_PLAIN
        if how == "text":
            return text
        plain = PLAIN_YES_NO.get(fold(text))
        return _NOT_PLAIN if plain is None else plain
    if t is bool and how == "yes_no":
        return value
    return _NOT_PLAIN


def _parse(
    value: Any, f: InputField, where: _Where, issues: list[Issue], wb: Workbook | None
) -> tuple[Value, str | None]:
    if isinstance(value, str):
        value = nfc(value).strip()
        if value in _ERROR_VALUES:
            issues.append(error("value-error-cell", where.loc(), label=where.label(), value=value))
            return None, value
    if value == "" or value is None:
        if wb is not None and _explain_empty(wb, where, issues):
            return None, None
        if f.required:
            issues.append(error("value-required", where.loc(), label=where.label()))
        return None, None
    kind = f.type
    if kind in ("number", "integer"):
        return _parse_number(value, f, where, issues)
    if kind == "yes_no":
        if isinstance(value, bool):
            return value, None
        if isinstance(value, (int, float)) and value in (0, 1):
            return bool(value), None
        word = fold(str(value))
        if word in PLAIN_YES_NO:
            return PLAIN_YES_NO[word], None
        if word in YES_WORDS or word in NO_WORDS:
            answer = word in YES_WORDS
            issues.append(
                warning(
                    "value-interpreted",
                    where.loc(),
                    label=where.label(),
                    value=str(value),
                    parsed=L("Có", "Yes") if answer else L("Không", "No"),
                    how=[L("chỉ 'Có' hoặc 'Không' được đọc không cần diễn giải", "only 'Có' or 'Không' is read as is")],
                )
            )
            return answer, str(value)
        issues.append(error("value-not-yes-no", where.loc(), label=where.label(), value=str(value)))
        return None, str(value)
    if kind == "choice":
        found = choice_of(f, fold(_num_text(value)))
        if found is not None:
            return found, None
        issues.append(
            error(
                "value-not-choice",
                where.loc(),
                label=where.label(),
                value=str(value),
                choices=[c.label.vi for c in f.choices or []],
            )
        )
        return None, str(value)
    if kind == "date":
        return _parse_date(value, where, issues)
    return _num_text(value), None


def _num_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _parse_number(value: Any, f: InputField, where: _Where, issues: list[Issue]) -> tuple[Value, str | None]:
    text: str | None = None
    if isinstance(value, (bool, dt.date, dt.time)):
        issues.append(error("value-not-number", where.loc(), label=where.label(), value=str(value)))
        return None, str(value)
    if isinstance(value, (int, float)):
        try:
            number = float(value)
        except OverflowError:  # an integer beyond any float
            number = math.inf
        if not math.isfinite(number):
            issues.append(error("value-not-finite", where.loc(), label=where.label(), value=_num_text(value)))
            return None, _num_text(value)
    else:
        text = str(value)
        try:
            number, notes = parse_number(text, f.unit)
        except NumberNotFinite:
            issues.append(error("value-not-finite", where.loc(), label=where.label(), value=text))
            return None, text
        except NumberError:
            issues.append(error("value-not-number", where.loc(), label=where.label(), value=text))
            return None, text
        issues.append(
            warning("value-interpreted", where.loc(), label=where.label(), value=text, parsed=number, how=notes)
        )
    if f.type == "integer" and not float(number).is_integer():
        issues.append(error("value-not-integer", where.loc(), label=where.label(), value=text or number))
        return None, text
    if f.min is not None and number < f.min:
        issues.append(error("value-below-min", where.loc(), label=where.label(), value=number, min=f.min))
    if f.max is not None and number > f.max:
        in_units = number / 1e9
        if f.unit in _BILLION_UNITS and (f.min is None or in_units >= f.min) and in_units <= f.max:
            issues.append(
                error(
                    "value-above-max-dong",
                    where.loc(),
                    label=where.label(),
                    value=number,
                    max=f.max,
                    unit=f.unit,
                    scaled=in_units,
                )
            )
        else:
            issues.append(error("value-above-max", where.loc(), label=where.label(), value=number, max=f.max))
    return number, text


def _parse_date(value: Any, where: _Where, issues: list[Issue]) -> tuple[Value, str | None]:
    if isinstance(value, dt.datetime):
        return value.date(), None
    if isinstance(value, dt.date):
        return value, None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 1 <= value < 2958466:
        date = dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
        issues.append(
            warning(
                "value-interpreted",
                where.loc(),
                label=where.label(),
                value=_num_text(value),
                parsed=date.strftime("%d/%m/%Y"),
                how=[L("số ngày kiểu Excel", "Excel serial date")],
            )
        )
        return date, str(value)
    text = str(value)
    m = _DATE_TEXT.match(text)
    try:
        if m:
            date = dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        elif (m2 := _ISO_DATE.match(text)) is not None:
            date = dt.date(int(m2.group(1)), int(m2.group(2)), int(m2.group(3)))
        else:
            raise ValueError(text)
    except ValueError:
        issues.append(error("value-not-date", where.loc(), label=where.label(), value=text))
        return None, text
    issues.append(
        warning(
            "value-interpreted",
            where.loc(),
            label=where.label(),
            value=text,
            parsed=date.strftime("%d/%m/%Y"),
            how=[L("ngày ghi dạng chữ (ngày/tháng/năm)", "date typed as text (day/month/year)")],
        )
    )
    return date, text


def _parse_self_score(
    value: Any, cid: str, maximum: float, where: _Where, issues: list[Issue], wb: Workbook | None = None
) -> float | None:
    if isinstance(value, str) and nfc(value).strip() in _ERROR_VALUES:
        issues.append(error("self-score-error-cell", where.loc(), criterion=cid, value=nfc(value).strip()))
        return None
    if value == "" or value is None:
        xml = wb.raw_cell_xml(where.sheet, where.cell) if wb is not None else ""
        if xml and 't="e"' in xml:
            m = re.search(r"<v>(.*?)</v>", xml)
            issues.append(
                error("self-score-error-cell", where.loc(), criterion=cid, value=m.group(1) if m else "#ERROR")
            )
        return None
    number: float | None = None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
    elif isinstance(value, str):
        try:
            number, _ = parse_number(value)
        except NumberError:
            number = None
    if number is None or not (0 <= number <= maximum):
        issues.append(error("self-score-invalid", where.loc(), criterion=cid, value=str(value), max=maximum))
        return None
    return number


# Reading one value from elsewhere than a form's named cell (a table's cell, intake/table.py):
# the same parsing and the same issues as a form's, at the cell given.


def parse_value(
    value: Any,
    f: InputField,
    issues: list[Issue],
    *,
    display: str,
    sheet: str,
    cell: str,
    key: str,
    offset: int | None,
    year: int | None,
) -> tuple[Value, str | None]:
    """``value`` read as field ``f`` (its key ``key``, ``offset`` years back): the value and, where it
    had to be interpreted, the text as typed. Issues are located at file ``display``, ``sheet``, ``cell``."""
    return _parse(value, f, _Where(display, year).at(sheet, cell, key, f, offset), issues, None)


def parse_self_score(
    value: Any, cid: str, maximum: float, issues: list[Issue], *, display: str, sheet: str, cell: str
) -> float | None:
    """``value`` read as the self-score of criterion ``cid`` (0..``maximum``), or None."""
    where = _Where(display, None).at(sheet, cell, f"self:{cid}", None, None)
    return _parse_self_score(value, cid, maximum, where, issues)
