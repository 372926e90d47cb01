"""Criteria files in: YAML -> CriteriaSet, with every problem as an Issue with file and line."""

from __future__ import annotations

import hashlib
from pathlib import Path

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from spcncl_score.criteria.categories import category_sets, check_categories, in_category
from spcncl_score.criteria.indicators import INDICATORS
from spcncl_score.criteria.models import CriteriaSet
from spcncl_score.criteria.rules import RULES
from spcncl_score.criteria.semantics import check_semantics
from spcncl_score.criteria.source import YamlError, load_with_lines, loc_to_path, read_yaml_file
from spcncl_score.issues import Issue, Location, SpcnclError, error, warning

DEFAULT_SET = "hanoi-spcncl"

# pydantic's wording for the discriminator and literal cases is cryptic; say what to do.
_TAG_HINT = "one of: "


def shipped_dir() -> Path:
    """Where the shipped criteria sets are: inside the installed package, or the checkout."""
    package = Path(__file__).resolve().parent.parent
    packaged = package / "sets"
    if packaged.is_dir():
        return packaged
    return package.parent / "criteria"


def shipped_sets() -> dict[str, Path]:
    return {p.stem: p for p in sorted(shipped_dir().glob("*.yaml"))}


def resolve_criteria(spec: str | Path | None) -> Path | None:
    """A path, or the name of a shipped set ('hanoi-spcncl', 'ocop', 'cnnt')."""
    if spec is None:
        spec = DEFAULT_SET
    path = Path(spec)
    if path.is_file():
        return path
    return shipped_sets().get(str(spec))


def load_criteria(spec: str | Path | None = None) -> tuple[CriteriaSet | None, list[Issue]]:
    """Load and check a criteria set; return it (or None) and every issue found."""
    path = resolve_criteria(spec)
    if path is None:
        loc = Location(file=str(spec))
        return None, [error("criteria-not-found", loc, name=str(spec), available=", ".join(shipped_sets()))]
    try:
        text, raw = read_yaml_file(path)
    except OSError as exc:
        return None, [error("criteria-unreadable", Location(file=str(path)), detail=exc.strerror or str(exc))]
    except YamlError as exc:
        return None, [error(exc.code, Location(file=str(path), line=exc.line), **exc.params)]
    cs, issues = parse_criteria(text, str(path), hashlib.sha256(raw).hexdigest())
    return cs, _shadowed(spec, path, raw) + issues


def _shadowed(spec: str | Path | None, applied: Path, raw: bytes) -> list[Issue]:
    """A shipped set chosen by name while ./criteria/<name>.yaml says something else: say which is used.

    Someone editing criteria/hanoi-spcncl.yaml in a checkout, then running with the default set,
    would otherwise see their edit silently ignored (the installed copy is applied).
    """
    name = str(spec if spec is not None else DEFAULT_SET)
    if Path(name).is_file():
        return []
    local = Path("criteria") / f"{name}.yaml"
    try:
        if not local.is_file() or local.resolve() == applied.resolve() or local.read_bytes() == raw:
            return []
    except OSError:
        return []
    return [warning("criteria-shadowed", Location(file=str(local)), name=name, shipped=str(applied), local=str(local))]


def parse_criteria(
    text: str, file: str = "<string>", sha256: str | None = None
) -> tuple[CriteriaSet | None, list[Issue]]:
    try:
        data, lines = load_with_lines(text)
    except YamlError as exc:
        return None, [error(exc.code, Location(file=file, line=exc.line), **exc.params)]
    if not isinstance(data, dict):
        return None, [error("criteria-not-mapping", Location(file=file, line=1))]
    try:
        cs = CriteriaSet.model_validate(data)
    except ValidationError as exc:
        return None, [_schema_issue(e, file, lines) for e in exc.errors()]
    cs._source_path = file
    cs._lines = lines
    cs._file_sha256 = sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest()
    issues = check_semantics(cs)
    if cs.categories is not None and not any(i.is_error for i in issues):
        issues.extend(_check_each_category(cs))
    return (None if any(i.is_error for i in issues) else cs), issues


def _check_each_category(cs: CriteriaSet) -> list[Issue]:
    """The categories block, then every category's own set as a set of its own; a problem of the
    shared base is reported once, with the base, not again for each category."""
    issues = check_categories(cs)
    if any(i.is_error for i in issues):
        return issues
    seen = {(i.code, i.location.yaml_path, repr(sorted(i.params.items()))) for i in check_semantics(cs)}
    for i, category in enumerate(cs.categories.items if cs.categories else []):
        try:
            own = category_sets(cs)[category.id]
        except ValidationError as exc:
            at = f"categories.items[{i}]"
            detail = "; ".join(str(e["msg"]) for e in exc.errors())
            return [
                *issues,
                error(
                    "criteria-schema", Location(file=cs.source_path, line=cs.line_of(at), yaml_path=at), detail=detail
                ),
            ]
        for issue in check_semantics(own):
            placed = in_category(issue, own)
            key = (placed.code, placed.location.yaml_path, repr(sorted(placed.params.items())))
            if key not in seen:
                seen.add(key)
                issues.append(placed)
    return issues + _check_overall_refs(cs)


def _check_overall_refs(cs: CriteriaSet) -> list[Issue]:
    """The overall ranking's tie-breaks are read from each category's scores: each needs them all."""
    overall = cs.categories.overall if cs.categories else None
    issues: list[Issue] = []
    for k, tb in enumerate(overall.tie_breaks if overall else []):
        lacking = [
            cid
            for cid, own in category_sets(cs).items()
            if not (own.group(tb.ref) or own.criterion(tb.ref) or own.indicator(tb.ref) or own.field(tb.ref))
        ]
        if lacking:
            at = f"categories.overall.tie_breaks[{k}].ref"
            where = Location(file=cs.source_path, line=cs.line_of(at), yaml_path=at)
            issues.append(error("category-overall-ref", where, ref=tb.ref, categories=lacking))
    return issues


def _schema_issue(err: ErrorDetails, file: str, lines: dict[str, int]) -> Issue:
    # pydantic puts the union member's tag into the location (rule.bands.bands[0]): drop it
    clean: list[int | str] = []
    raw = list(err["loc"])
    for i, p in enumerate(raw):
        prev = raw[i - 1] if i else None
        # only the element right after the union field is the tag ('rule.bands.bands[0]')
        if isinstance(p, str) and (
            (prev == "rule" and p in RULES)
            or (isinstance(prev, int) and i >= 2 and raw[i - 2] == "indicators" and p in INDICATORS)
        ):
            continue
        clean.append(p)
    path = loc_to_path(tuple(clean))
    line = _line_for(path, lines)
    msg = str(err["msg"])
    if err["type"] == "extra_forbidden":
        msg = f"unknown key '{path.rsplit('.', 1)[-1]}' (misspelt?)"
    elif err["type"] == "missing":
        msg = f"required key '{path.rsplit('.', 1)[-1]}' is missing"
    elif err["type"] == "union_tag_invalid":
        ctx = err.get("ctx", {})
        msg = f"unknown kind '{ctx.get('tag')}'; expected {_TAG_HINT}{ctx.get('expected_tags')}"
    elif err["type"] == "dict_type" or (err["type"] == "string_type" and isinstance(err.get("input"), bool)):
        msg = f"{msg} (YAML reads bare yes/no/on/off as true/false: quote them, or use if_yes/if_no)"
    elif msg == "Keys should be strings" or "Keys should be strings" in msg:
        msg = "keys must be text; YAML reads bare yes/no/on/off as true/false (use if_yes / if_no in yes_no rules)"
    elif err["type"] == "too_short":
        msg = f"'{path.rsplit('.', 1)[-1]}' needs at least one item"
    elif err["type"] in ("greater_than_equal", "greater_than") and path.endswith("points"):
        msg = "points must be 0 or more"
    elif msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    return error("criteria-schema", Location(file=file, line=line, yaml_path=path or None), detail=msg)


def _line_for(path: str, lines: dict[str, int]) -> int | None:
    while True:
        if path in lines:
            return lines[path]
        if not path:
            return None
        cut = max(path.rfind("."), path.rfind("["))
        path = path[:cut] if cut > 0 else ""


def load_or_raise(criteria: str | Path | None) -> tuple[CriteriaSet, list[Issue]]:
    """The criteria set and its warnings; SpcnclError when it cannot be used."""
    cs, issues = load_criteria(criteria)
    if cs is None:
        raise SpcnclError(issues)
    return cs, issues
