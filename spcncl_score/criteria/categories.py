"""Categories: one criteria file whose criteria differ by product or industry group.

A set with ``categories`` is a shared base plus, per category, the criteria it replaces, adds or
leaves out. Each category is expanded here into a complete set of its own: forms are made from
it, dossiers of the category are read, scored and ranked with it, and ``criteria check`` checks
it as it checks any set. The expansion remembers where each part of it is written in the file,
so that a problem or a report line points at the category's own lines.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from spcncl_score.criteria.models import Category, CriteriaSet
from spcncl_score.issues import Issue, Location, error


def category_ids(cs: CriteriaSet) -> list[str]:
    return [c.id for c in cs.categories.items] if cs.categories else []


def category_sets(cs: CriteriaSet) -> dict[str, CriteriaSet]:
    """Every category's own set, by category id, in the file's order (empty without categories).

    Built once per base set: the reader asks for a category's set per dossier."""
    if cs._category_sets is None:
        cs._category_sets = (
            {c.id: _expand(cs, i, c) for i, c in enumerate(cs.categories.items)} if cs.categories else {}
        )
    return cs._category_sets


def category_label(cs: CriteriaSet, category: str, lang: str = "vi") -> str:
    """A category's name: the label of its choice in the categories' field."""
    field_id = cs.category_field
    f = cs.field(field_id) if field_id else None
    for ch in (f.choices or []) if f else []:
        if ch.value == category:
            return ch.label.get(lang)
    return category


def _replace_or_add(
    base: list[dict[str, Any]], changes: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[int]]:
    """Items of ``base`` with ``changes`` applied by id; for each result item, the change it came
    from (its index in ``changes``) or -1 when it is the base's own."""
    out = list(base)
    origin = [-1] * len(base)
    position = {item["id"]: i for i, item in enumerate(base)}
    for k, item in enumerate(changes):
        i = position.get(item["id"])
        if i is None:
            position[item["id"]] = len(out)
            out.append(item)
            origin.append(k)
        else:
            out[i] = item
            origin[i] = k
    return out, origin


def _expand(cs: CriteriaSet, index: int, cat: Category) -> CriteriaSet:
    here = f"categories.items[{index}]"
    data = cs.model_dump(mode="json", by_alias=True, exclude={"categories", "schema_"}, exclude_none=True)
    change = cat.model_dump(mode="json", by_alias=True, exclude_none=True)
    origins: list[tuple[str, str]] = []

    def place(
        kind: str, base_items: list[dict[str, Any]], changes: list[dict[str, Any]], at: str
    ) -> list[dict[str, Any]]:
        items, origin = _replace_or_add(base_items, changes)
        base_index = {item["id"]: i for i, item in enumerate(base_items)}
        for i, (item, k) in enumerate(zip(items, origin, strict=True)):
            old = f"{at}.{kind}[{k}]" if k >= 0 else f"{kind}[{base_index[item['id']]}]"
            origins.append((f"{kind}[{i}]", old))
        return items

    data["fields"] = place("fields", data["fields"], change.get("fields", []), here)
    data["indicators"] = place("indicators", data.get("indicators", []), change.get("indicators", []), here)
    by_id = {g["id"]: (gi, g) for gi, g in enumerate(data["groups"])}
    group_paths: list[tuple[str, str]] = []
    for ci_change, g_change in enumerate(change.get("groups", [])):
        found = by_id.get(g_change["id"])
        if found is None:
            continue  # reported by check_categories
        gi, group = found
        kept = [c for c in group["criteria"] if c["id"] not in set(g_change.get("remove", []))]
        base_pos = {c["id"]: k for k, c in enumerate(group["criteria"])}
        items, origin = _replace_or_add(kept, g_change.get("criteria", []))
        for k, (item, o) in enumerate(zip(items, origin, strict=True)):
            old = (
                f"{here}.groups[{ci_change}].criteria[{o}]"
                if o >= 0
                else f"groups[{gi}].criteria[{base_pos[item['id']]}]"
            )
            group_paths.append((f"groups[{gi}].criteria[{k}]", old))
        group["criteria"] = items
    origins.extend(group_paths)
    if cat.ranking is not None:
        data["ranking"] = change["ranking"]
        origins.append(("ranking", f"{here}.ranking"))
    out = CriteriaSet.model_validate(data)
    out._source_path = cs.source_path
    out._lines = cs._lines
    out._file_sha256 = cs.file_sha256
    out._category = cat
    # the base's own criteria keep their place when nothing before them in the group changed:
    # identical pairs are dropped so that a lookup finds the first real move
    out._origins = tuple((new, old) for new, old in origins if new != old)
    out._base = cs
    return out


def check_categories(cs: CriteriaSet) -> list[Issue]:
    """The categories block itself: its field, that every choice has a category and each category
    changes only what the base has. Each category's own set is then checked by the loader."""
    if cs.categories is None:
        return []
    cats = cs.categories

    def loc(path: str) -> Location:
        return Location(file=cs.source_path, line=cs.line_of(path), yaml_path=path)

    issues: list[Issue] = []
    f = cs.field(cats.field)
    if f is None or f.type != "choice":
        issues.append(error("category-field", loc("categories.field"), field=cats.field))
        return issues
    if f.yearly or not f.required:
        issues.append(error("category-field", loc("categories.field"), field=cats.field))
        return issues
    choices = f.choice_values()
    seen: set[str] = set()
    codes: dict[str, str] = {}
    for i, c in enumerate(cats.items):
        at = f"categories.items[{i}]"
        if c.id in seen:
            issues.append(error("category-duplicate", loc(f"{at}.id"), id=c.id))
        seen.add(c.id)
        if c.id not in choices:
            issues.append(error("category-not-a-choice", loc(f"{at}.id"), id=c.id, field=f.id, choices=choices))
        code = c.code.upper()
        if code in codes:
            issues.append(error("category-short-duplicate", loc(f"{at}.short"), short=c.code, other=codes[code]))
        codes[code] = c.id
        groups = {g.id: g for g in cs.groups}
        for gi, change in enumerate(c.groups):
            group = groups.get(change.id)
            if group is None:
                issues.append(
                    error("category-unknown-group", loc(f"{at}.groups[{gi}].id"), id=change.id, category=c.id)
                )
                continue
            own = {x.id for x in group.criteria}
            for ri, rid in enumerate(change.remove):
                if rid not in own:
                    issues.append(
                        error(
                            "category-unknown-criterion",
                            loc(f"{at}.groups[{gi}].remove[{ri}]"),
                            id=rid,
                            group=change.id,
                            category=c.id,
                        )
                    )
        for fi, field in enumerate(c.fields):
            if field.id == cats.field:
                issues.append(error("category-changes-its-field", loc(f"{at}.fields[{fi}]"), field=field.id))
    for value in choices:
        if value not in seen:
            issues.append(error("category-missing", loc("categories.items"), choice=value, field=f.id))
    return issues


def in_category(issue: Issue, cs: CriteriaSet) -> Issue:
    """An issue found in a category's own set, placed in the file and named with its category."""
    loc = issue.location
    if cs.category is None:
        return issue
    path = cs.origin_path(loc.yaml_path) if loc.yaml_path else None
    return dataclasses.replace(issue, location=dataclasses.replace(loc, yaml_path=path, category=cs.category.id))
