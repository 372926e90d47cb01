"""The naive pipeline the benchmark compares against: openpyxl in, plain Python loops, openpyxl out.

What a first version of the tool would do:
- read: ``openpyxl.load_workbook`` per file (default mode, ``data_only=True``), then every input
  cell one by one through its defined name (``wb.defined_names[name].destinations``);
- validate: the same value rules as the real reader (required, numbers incl. text typed the
  Vietnamese way, integers, min/max, yes/no words, choices, self-scores in 0..max, tax-code
  format), reusing the package's small parsing helpers: the difference measured is the I/O and the
  loops, not the rules;
- score: a plain Python loop per dossier and criterion (indicators, bands, linear, yes/no, choice,
  council self-scores, gates, pass mark, minimums, knock-outs) and a ``sorted()`` ranking with the
  declared tie-breaks and competition ranks;
- write: an openpyxl workbook (default mode) with the ranking sheet and the per-criterion detail
  sheet, the same rows and columns as the real report's two largest sheets, cell by cell with a
  font, border and number format (the real report also writes gates, issues, criteria and run
  sheets, so the comparison is, if anything, kind to the naive pipeline).

Its totals, recognition and ranks must equal the real pipeline's on the same corpus; the
benchmark and ``tests/test_benchmark_smoke.py`` assert that.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path
from typing import Any

from spcncl_score.criteria.models import CriteriaSet, Gate
from spcncl_score.criteria.rules import BandsRule, ChoiceRule, CouncilRule, LinearRule, YesNoRule
from spcncl_score.i18n import NO_WORDS, YES_WORDS
from spcncl_score.intake.names import (
    META_CRITERIA_ID,
    META_CRITERIA_VERSION,
    field_name,
    self_score_name,
    value_key,
)
from spcncl_score.intake.numbers import NumberError, parse_number
from spcncl_score.intake.reader import fold, nfc

NAN = math.nan
_TAX_CODE = re.compile(r"^\d{10}(-\d{3})?$")
_EPS = 1e-9
_ERROR_VALUES = ("#REF!", "#DIV/0!", "#VALUE!", "#N/A", "#NAME?", "#NUM!", "#NULL!")


def round6(x: float) -> float:
    """Round like pandas ``round(6)`` (scale, round half to even, unscale), not like ``round(x, 6)``."""
    return round(x * 1e6) / 1e6 if math.isfinite(x) else x


# -- read + validate ---------------------------------------------------------------------------
def read_cells(path: Path, names: list[str]) -> dict[str, Any]:
    """Every named cell's cached value, one by one through openpyxl (None when absent/empty)."""
    import openpyxl

    wb = openpyxl.load_workbook(path, data_only=True)
    try:
        out: dict[str, Any] = {}
        for name in names:
            dn = wb.defined_names.get(name)
            if dn is None:
                out[name] = None
                continue
            value = None
            for sheet, coord in dn.destinations:
                value = wb[sheet][coord.replace("$", "")].value
            out[name] = value
        return out
    finally:
        wb.close()


def _is_empty(v: Any) -> bool:
    return v is None or (isinstance(v, str) and nfc(v).strip() == "")


def parse_value(raw: Any, f: Any) -> tuple[Any, bool]:
    """(value, ok) of one input cell under the field's type; ok=False is a validation error."""
    if isinstance(raw, str):
        raw = nfc(raw).strip()
        if raw in _ERROR_VALUES:
            return None, False
    if raw is None or raw == "":
        return None, not f.required
    if f.type in ("number", "integer"):
        if isinstance(raw, (bool, dt.date, dt.time)):
            return None, False
        if isinstance(raw, (int, float)):
            number = float(raw)
        else:
            try:
                number, _ = parse_number(str(raw), f.unit)
            except NumberError:
                return None, False
        if f.type == "integer" and not float(number).is_integer():
            return None, False
        ok = not (f.min is not None and number < f.min) and not (f.max is not None and number > f.max)
        return number, ok
    if f.type == "yes_no":
        if isinstance(raw, bool):
            return raw, True
        if isinstance(raw, (int, float)) and raw in (0, 1):
            return bool(raw), True
        word = fold(str(raw))
        if word in YES_WORDS:
            return True, True
        if word in NO_WORDS:
            return False, True
        return None, False
    text = str(int(raw)) if isinstance(raw, float) and raw.is_integer() else str(raw)
    if f.type == "choice":
        t = fold(text)
        for c in f.choices or []:
            if t in (fold(c.label.vi), fold(c.label.en), c.value):
                return c.value, True
        return None, False
    if f.type == "date":
        if isinstance(raw, dt.datetime):
            return raw.date(), True
        if isinstance(raw, dt.date):
            return raw, True
        return None, False  # the synthetic corpus has no date fields; keep the naive reader simple
    return text, True


def read_dossier(path: Path, cs: CriteriaSet) -> dict[str, Any] | None:
    """The dossier's values and self-scores, or None when it has a validation error."""
    slots = [(f, k) for f in cs.fields for k in (range(f.years) if f.years else [None])]
    crits = [c for _, c in cs.criteria()]
    names = [META_CRITERIA_ID, META_CRITERIA_VERSION] + [field_name(f.id, k) for f, k in slots]
    names += [self_score_name(c.id) for c in crits]
    cells = read_cells(path, names)
    version = cells[META_CRITERIA_VERSION]
    if isinstance(version, float) and version.is_integer():
        version = int(version)
    if str(cells[META_CRITERIA_ID]) != cs.id or str(version) != cs.version:
        return None
    ok = True
    values: dict[str, Any] = {}
    for f, k in slots:
        v, good = parse_value(cells[field_name(f.id, k)], f)
        values[value_key(f.id, k)] = v
        ok &= good
    selfs: dict[str, float | None] = {}
    for c in crits:
        raw = cells[self_score_name(c.id)]
        if _is_empty(raw):
            selfs[c.id] = None
            continue
        number: float | None = None
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            number = float(raw)
        elif isinstance(raw, str):
            try:
                number, _ = parse_number(raw)
            except NumberError:
                number = None
        if number is None or not (0 <= number <= c.max):
            ok = False
            number = None
        selfs[c.id] = number
    tax = values.get(cs.identity.tax_code)
    if tax and not _TAX_CODE.match(str(tax).strip()):
        ok = False
    return {"values": values, "self": selfs} if ok else None


# -- score (plain Python, one dossier at a time) ---------------------------------------------
def _num(v: Any) -> float:
    if v is None:
        return NAN
    if isinstance(v, bool):
        return 1.0 if v else 0.0
    if isinstance(v, (int, float)):
        return float(v)
    return NAN


def _indicator(ind: Any, values: dict[str, Any], resolve: Any, cs: CriteriaSet) -> float:
    kind = ind.kind
    if kind in ("latest", "value_at"):
        return _num(values.get(f"{ind.field}@{ind.offset if kind == 'value_at' else 0}"))
    if kind in ("mean", "avg_growth", "cagr", "sum") and getattr(ind, "field", None):
        avail = cs.field(ind.field).years or 1  # type: ignore[union-attr]
        n = ind.years or avail
        ys = [_num(values.get(f"{ind.field}@{k}")) for k in range(n)]
        if kind == "mean":
            return sum(ys) / n
        if kind == "sum":
            return sum(ys)
        if kind == "avg_growth":
            rates = [(ys[k] / ys[k + 1] - 1.0) * 100.0 if ys[k + 1] > 0 else NAN for k in range(n - 1)]
            return sum(rates) / len(rates) if rates else NAN
        newest, oldest = ys[0], ys[n - 1]
        if oldest > 0 and newest >= 0:
            return ((newest / oldest) ** (1.0 / (n - 1)) - 1.0) * 100.0
        return NAN
    if kind == "sum":
        return sum(resolve(r) for r in ind.of)
    if kind == "ratio":
        num, den = resolve(ind.numerator), resolve(ind.denominator)
        return num / den * ind.scale if den != 0 and not math.isnan(den) else NAN
    raise NotImplementedError(kind)


def _in_interval(x: float, iv: Any) -> bool:
    lo_ok = x >= iv.lo if iv.lo_closed else x > iv.lo
    hi_ok = x <= iv.hi if iv.hi_closed else x < iv.hi
    return lo_ok and hi_ok


def _rule_points(rule: Any, x: Any) -> float:
    if isinstance(rule, ChoiceRule):
        if x is None:
            return NAN
        return rule.points.get(x, 0.0)
    if math.isnan(x):
        return NAN
    if isinstance(rule, BandsRule):
        for b in rule.bands:
            if _in_interval(x, b.interval):
                return b.points
        return 0.0
    if isinstance(rule, LinearRule):
        x0, p0, x1, p1 = rule.start.value, rule.start.points, rule.end.value, rule.end.points
        if x < x0:
            return p0
        if x >= x1:
            return p1
        return (p1 - p0) / (x1 - x0) * (x - x0) + p0  # numpy.interp's formula, for identical floats
    if isinstance(rule, YesNoRule):
        return rule.if_yes if x > 0.5 else rule.if_no
    raise NotImplementedError(type(rule).__name__)


def _gate(node: Gate, resolve_raw: Any) -> bool:
    if node.ref is None:
        parts = [_gate(c, resolve_raw) for c in node.children()]
        return all(parts) if node.all is not None else any(parts)
    v = resolve_raw(node.ref)
    value = node.value
    if node.op in ("in", "not_in"):
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return False
        return (v in value) == (node.op == "in")  # type: ignore[operator]
    if isinstance(value, bool):
        value = 1.0 if value else 0.0
    if isinstance(value, (int, float)):
        x = _num(v) if not isinstance(v, str) else NAN
        if math.isnan(x):
            return False
        return {
            "eq": x == value,
            "ne": x != value,
            "gt": x > value,
            "ge": x >= value,
            "lt": x < value,
            "le": x <= value,
        }[node.op or "eq"]
    if v is None:
        return False
    return (v == value) if node.op == "eq" else (v != value)


def score_one(cs: CriteriaSet, d: dict[str, Any]) -> dict[str, Any]:
    values, selfs = d["values"], d["self"]
    ind_values: dict[str, float] = {}

    def resolve(ref: str) -> float:
        if ref in ind_values:
            return ind_values[ref]
        return _num(values.get(ref))

    def resolve_raw(ref: str) -> Any:
        if ref in ind_values:
            return ind_values[ref]
        f = cs.field(ref)
        v = values.get(ref)
        return _num(v) if f is not None and f.type in ("number", "integer", "yes_no") else v

    for ind in cs.indicators:
        ind_values[ind.id] = _indicator(ind, values, resolve, cs)
    points: dict[str, float] = {}
    groups: dict[str, float] = {}
    ok = True
    for g in cs.groups:
        gsum = 0.0
        for c in g.criteria:
            if isinstance(c.rule, CouncilRule):
                s = selfs.get(c.id)
                p = NAN if s is None else s
            else:
                x = values.get(c.input) if isinstance(c.rule, ChoiceRule) else resolve(c.input)  # type: ignore[arg-type]
                p = _rule_points(c.rule, x)
            p = 0.0 if math.isnan(p) else min(max(p, 0.0), c.max)
            p = round6(p)
            points[c.id] = p
            gsum += p
            if c.minimum is not None and p + _EPS < c.minimum.threshold(c.max):
                ok = False
            if c.knockout and p <= _EPS:
                ok = False
        groups[g.id] = round6(gsum)
        if g.minimum is not None and groups[g.id] + _EPS < g.minimum.threshold(g.max):
            ok = False
    total = 0.0
    for g in cs.groups:
        total += groups[g.id]
    total = round6(total)
    eligible = _gate(cs.gates, resolve_raw) if cs.gates is not None else True
    passed = total + _EPS >= cs.outcome.pass_mark
    return {
        "points": points,
        "groups": groups,
        "total": total,
        "ind": ind_values,
        "recognised": bool(eligible and passed and ok),
    }


def rank_all(
    cs: CriteriaSet, scored: dict[str, dict[str, Any]], values: dict[str, dict[str, Any]]
) -> list[tuple[str, int | None]]:
    """Report order and competition rank (None when not recognised), like ranking.rank."""

    def key_values(name: str) -> list[float]:
        s = scored[name]
        keys = [s["total"]]
        for tb in cs.ranking.tie_breaks:
            ref = tb.ref
            if ref in s["groups"]:
                v = s["groups"][ref]
            elif ref in s["points"]:
                v = s["points"][ref]
            elif ref in s["ind"]:
                v = s["ind"][ref]
            else:
                v = _num(values[name]["values"].get(ref))
            keys.append(v)
        return keys

    desc = [True] + [tb.order == "desc" for tb in cs.ranking.tie_breaks]
    keys = {n: key_values(n) for n in scored}

    def sort_key(name: str) -> tuple[Any, ...]:
        parts: list[Any] = [not scored[name]["recognised"]]
        for v, d in zip(keys[name], desc, strict=True):
            parts.append(math.inf if math.isnan(v) else (-v if d else v))
        parts.append(name)
        return tuple(parts)

    order = sorted(scored, key=sort_key)
    out: list[tuple[str, int | None]] = []
    prev: tuple[Any, ...] | None = None
    current = 0
    for pos, name in enumerate(order, 1):
        rec = scored[name]["recognised"]
        sig = (rec, *(-math.inf if math.isnan(v) else v for v in keys[name]))
        if sig != prev:
            current = pos
        prev = sig
        out.append((name, current if rec else None))
    return out


# -- write -------------------------------------------------------------------------------------
def write_report(
    cs: CriteriaSet,
    path: Path,
    order: list[tuple[str, int | None]],
    scored: dict[str, dict[str, Any]],
    dossiers: dict[str, dict[str, Any]],
) -> int:
    """Ranking + detail sheets with openpyxl (default mode), cell by cell; returns the cell count."""
    import openpyxl
    from openpyxl.styles import Border, Font, Side

    wb = openpyxl.Workbook()
    font = Font(name="Times New Roman", size=11)
    side = Side(style="thin", color="BFBFBF")
    border = Border(left=side, right=side, top=side, bottom=side)
    cells = 0

    def put(ws: Any, r: int, c: int, v: Any, fmt: str | None = None) -> None:
        nonlocal cells
        cell = ws.cell(row=r, column=c, value=v)
        cell.font = font
        cell.border = border
        if fmt:
            cell.number_format = fmt
        cells += 1

    ident = cs.identity
    ws = wb.active
    ws.title = "Xếp hạng"
    head = ["Hạng", "Đồng hạng", "Doanh nghiệp", "MST", "Sản phẩm", "Nhóm ngành", "Nhóm ĐK"]
    head += [g.id.upper() for g in cs.groups] + ["Tổng", "Kết quả", "Phân định", "Lý do", "Cảnh báo", "Tệp"]
    for c, h in enumerate(head, 1):
        put(ws, 3, c, h)
    for r, (name, rk) in enumerate(order, 4):
        s, v = scored[name], dossiers[name]["values"]
        row: list[Any] = [
            rk,
            "",
            v.get(ident.enterprise),
            v.get(ident.tax_code),
            v.get(ident.product),
            v.get(ident.industry_group) if ident.industry_group else "",
            "",
        ]
        row += [s["groups"][g.id] for g in cs.groups] + [s["total"]]
        row += ["Đạt" if s["recognised"] else "Không đạt", "", "", "", name]
        for c, val in enumerate(row, 1):
            put(ws, r, c, val, "0.00" if isinstance(val, float) else None)
    wd = wb.create_sheet("Chi tiết")
    dhead = [
        "Tệp",
        "Doanh nghiệp",
        "Sản phẩm",
        "Nhóm",
        "Mã tiêu chí",
        "Tiêu chí",
        "Đầu vào",
        "Ô nguồn",
        "Giá trị",
        "Chỉ số",
        "Đơn vị",
        "Khớp",
        "Điểm",
        "Tối đa",
        "Tự chấm",
        "Chênh lệch",
        "Căn cứ",
        "Nguồn",
    ]
    for c, h in enumerate(dhead, 1):
        put(wd, 3, c, h)
    r = 4
    for name, _ in order:
        s, d = scored[name], dossiers[name]
        v = d["values"]
        for g, crit in cs.criteria():
            selfv = d["self"].get(crit.id)
            if crit.input is None:
                ind = None
            else:
                ind = s["ind"][crit.input] if crit.input in s["ind"] else _num(v.get(crit.input))
            pts = s["points"][crit.id]
            row = [
                name,
                v.get(ident.enterprise),
                v.get(ident.product),
                g.id.upper(),
                crit.id,
                crit.title.vi,
                crit.input or "hội đồng",
                "",
                str(v.get(crit.input, "")) if crit.input else "",
                None if ind is None or (isinstance(ind, float) and math.isnan(ind)) else ind,
                cs.unit_of(crit.input) if crit.input else "",
                "",
                pts,
                crit.max,
                selfv,
                None if selfv is None else selfv - pts,
                "tính toán",
                "",
            ]
            for c, val in enumerate(row, 1):
                put(wd, r, c, val, "0.00" if isinstance(val, float) else None)
            r += 1
    wb.save(path)
    return cells


def run(
    files: list[Path],
    cs: CriteriaSet,
    out: Path | None,
    timings: dict[str, float] | None = None,
    names: list[str] | None = None,
) -> dict[str, dict[str, Any]]:
    """The whole naive pipeline; returns {display name: {total, recognised, rank, groups}}.

    ``names`` are the display names (default: the file names).
    """
    import time

    clock = time.perf_counter
    names = names or [p.name for p in files]
    t0 = clock()
    dossiers: dict[str, dict[str, Any]] = {}
    for name, p in zip(names, files, strict=True):
        d = read_dossier(p, cs)
        if d is not None:
            dossiers[name] = d
    t1 = clock()
    scored = {name: score_one(cs, d) for name, d in dossiers.items()}
    order = rank_all(cs, scored, dossiers)
    t2 = clock()
    cells = write_report(cs, out, order, scored, dossiers) if out is not None else 0
    t3 = clock()
    if timings is not None:
        timings.update({"read_validate": t1 - t0, "score_rank": t2 - t1, "write": t3 - t2, "cells": cells})
    ranks = dict(order)
    return {
        name: {
            "total": s["total"],
            "recognised": s["recognised"],
            "rank": ranks[name],
            "groups": s["groups"],
            "position": i,
        }
        for i, (name, s) in enumerate(((n, scored[n]) for n, _ in order), 1)
    }
