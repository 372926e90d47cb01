"""The gate tree as people and results name it: a stable key per node, and a comparison as a reader says it.

Kept apart from the evaluation of gates (scoring/gates.py, numpy and pandas) so that showing a
criteria set never loads them.
"""

from __future__ import annotations

from spcncl_score.criteria.models import CriteriaSet, Gate
from spcncl_score.i18n import format_number, label


def _value_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        return "[" + ", ".join(_value_text(v) for v in value) + "]"
    return str(value)


def _derived_key(node: Gate, parent: str | None, position: int) -> str:
    if node.id:
        return node.id
    if parent is None:
        return "gates"
    if node.ref is not None:
        return f"{parent}/{node.ref} {node.op} {_value_text(node.value)}"
    return f"{parent}/{'all' if node.all is not None else 'any'} {position}"


_OPS = {"eq": "=", "ne": "≠", "gt": ">", "ge": "≥", "lt": "<", "le": "≤"}
_LIST_OPS = {"in": ("thuộc", "is one of"), "not_in": ("không thuộc", "is none of")}


def _shown(value: object, lang: str) -> str:
    if isinstance(value, bool):
        return label("yes" if value else "no_word", lang)
    if isinstance(value, (int, float)):
        return format_number(float(value), lang)
    return "—" if value is None else str(value)


def comparison_text(node: Gate, lang: str = "vi", cs: CriteriaSet | None = None) -> str:
    """A leaf as a reader says it: `revenue_latest ≥ 10`, or with ``cs`` `Doanh thu năm báo cáo ≥ 10`.

    Never `revenue_latest ge 10.0`: operators as symbols, numbers in the reader's writing.
    """
    what = cs.label_of(node.ref, lang) if cs is not None and node.ref else str(node.ref)
    if node.op in _LIST_OPS and isinstance(node.value, list):
        words = _LIST_OPS[node.op][1 if lang == "en" else 0]
        return f"{what} {words} {', '.join(_shown(v, lang) for v in node.value)}"
    return f"{what} {_OPS.get(node.op or 'eq', node.op)} {_shown(node.value, lang)}"


def walk_with_keys(root: Gate) -> list[tuple[str, Gate, int]]:
    """(key, node, depth) for every node, depth-first, root first; keys unique within the tree."""
    out: list[tuple[str, Gate, int]] = []
    seen: set[str] = set()

    def visit(node: Gate, parent: str | None, position: int, depth: int) -> None:
        key = base = _derived_key(node, parent, position)
        n = 2
        while key in seen:  # two identical unnamed comparisons under one parent: number the later ones
            key, n = f"{base} #{n}", n + 1
        seen.add(key)
        out.append((key, node, depth))
        for i, c in enumerate(node.children(), start=1):
            visit(c, key, i, depth + 1)

    visit(root, None, 1, 0)
    return out
