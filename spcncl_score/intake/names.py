"""The form contract: the workbook-level defined name of every input cell.

Another program can fill or read a self-assessment form through these names
without knowing its layout:

- a single-value field ``<id>``          -> ``f.<id>``
- a yearly field, ``k`` years back       -> ``f.<id>.y<k>`` (k = 0 is the reporting year)
- the self-score of criterion ``<id>``   -> ``s.<id>``
- form metadata                          -> ``meta.criteria_id``, ``meta.criteria_version``,
                                            ``meta.fingerprint``, ``meta.reporting_year``
"""

from __future__ import annotations

from spcncl_score.criteria.models import CriteriaSet

META_CRITERIA_ID = "meta.criteria_id"
META_CRITERIA_VERSION = "meta.criteria_version"
META_FINGERPRINT = "meta.fingerprint"
META_REPORTING_YEAR = "meta.reporting_year"
META_NAMES = (META_CRITERIA_ID, META_CRITERIA_VERSION, META_FINGERPRINT, META_REPORTING_YEAR)


def field_name(field_id: str, offset: int | None = None) -> str:
    return f"f.{field_id}" if offset is None else f"f.{field_id}.y{offset}"


def self_score_name(criterion_id: str) -> str:
    return f"s.{criterion_id}"


def value_key(field_id: str, offset: int | None = None) -> str:
    """The key of a value in a dossier and the column in the scoring frame."""
    return field_id if offset is None else f"{field_id}@{offset}"


def input_slots(cs: CriteriaSet) -> list[tuple[str, str, int | None]]:
    """Every input cell of a form: (defined name, field id, year offset)."""
    out: list[tuple[str, str, int | None]] = []
    for f in cs.fields:
        if f.years:
            out.extend((field_name(f.id, k), f.id, k) for k in range(f.years))
        else:
            out.append((field_name(f.id), f.id, None))
    return out


def input_keys(cs: CriteriaSet, ref: str | None) -> list[str]:
    """The value keys (cells) a field or indicator is computed from, newest year first."""
    if ref is None:
        return []
    f = cs.field(ref)
    if f is not None:
        return [f"{ref}@{k}" for k in range(f.years)] if f.years else [ref]
    ind = cs.indicator(ref)
    if ind is None:
        return []
    keys: list[str] = []
    yearly = ind.yearly()
    if yearly is not None:
        fid, needed = yearly
        fy = cs.field(fid)
        n = needed or (fy.years if fy and fy.years else 1)
        if ind.kind == "latest":
            n = 1
        if ind.kind == "value_at":
            keys.append(f"{fid}@{ind.offset}")
        else:
            keys.extend(f"{fid}@{k}" for k in range(n))
    for sub in ind.refs():
        keys.extend(k for k in input_keys(cs, sub) if k not in keys)
    return keys
