"""Safe YAML loading that also remembers the line of every key (for error messages).

Criteria and council files are edited by hand and sometimes sent by others, so reading one is
bounded whatever it holds (the limits are documented in criteria/README.md, section 1):

- a file over ``MAX_YAML_BYTES`` is refused before it is read;
- a file that is not UTF-8 (cp1258, Latin-1, UTF-16 with or without BOM) is refused with the
  line of the first bad byte and "save it as UTF-8";
- aliases (``*name``) may repeat at most ``ALIAS_BUDGET`` values in all: a "billion laughs" file
  of nested anchors is refused after one linear pass over the parsed nodes, before anything is
  expanded; an alias inside its own anchor (a loop) is refused;
- an integer of more than ``MAX_INT_DIGITS`` digits is refused (no figure of a criteria file is
  near that, and a 5,000-digit number only costs time).
"""

from __future__ import annotations

import codecs
import os
from pathlib import Path
from typing import Any

import yaml

try:  # the C loader is much faster when present
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


MAX_YAML_BYTES = 2 * 1024 * 1024
ALIAS_BUDGET = 10_000
MAX_INT_DIGITS = 18


class YamlError(Exception):
    """A YAML file that cannot be used; ``code`` and ``params`` make its Issue."""

    def __init__(self, message: str, line: int | None, code: str = "criteria-yaml-syntax", **params: Any) -> None:
        super().__init__(message)
        self.line = line
        self.code = code
        self.params: dict[str, Any] = params or {"detail": message}


def read_yaml_file(path: Path) -> tuple[str, bytes]:
    """The text of a YAML file, and its bytes (for the SHA-256); YamlError if too large or not UTF-8.

    OSError (missing, a folder, no permission) is left to the caller, who names the file.
    """
    size = os.stat(path).st_size
    if size > MAX_YAML_BYTES:
        raise YamlError(
            "file too large",
            None,
            "criteria-yaml-too-large",
            size=f"{size / 1024 / 1024:.1f}",
            limit=f"{MAX_YAML_BYTES / 1024 / 1024:.0f}",
        )
    with open(path, "rb") as fh:
        raw = fh.read(MAX_YAML_BYTES + 1)  # the file may have grown since stat
    if len(raw) > MAX_YAML_BYTES:
        raise YamlError("file too large", None, "criteria-yaml-too-large", size=">2", limit="2")
    return decode_yaml(raw), raw


def decode_yaml(raw: bytes) -> str:
    """UTF-8 text (a UTF-8 BOM is dropped), or YamlError saying which encoding it looks like."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise YamlError("UTF-16", 1, "criteria-yaml-utf16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        pos = exc.start
    head = raw[:4096]
    if head and head.count(0) * 4 >= len(head):  # every other byte zero: Notepad's "Unicode"
        raise YamlError("UTF-16", 1, "criteria-yaml-utf16") from None
    line = raw.count(b"\n", 0, pos) + 1
    column = pos - (raw.rfind(b"\n", 0, pos) + 1) + 1
    raise YamlError(
        "not UTF-8",
        line,
        "criteria-yaml-encoding",
        byte=f"{raw[pos]:02X}",
        column=column,
    ) from None


def load_with_lines(text: str) -> tuple[Any, dict[str, int]]:
    """Parse YAML text; return the data and a map 'a.b[2].c' -> 1-based line."""
    if len(text) > MAX_YAML_BYTES:  # text given directly: the same limit as a file
        raise YamlError("text too large", None, "criteria-yaml-too-large", size=f"{len(text) / 1048576:.1f}", limit="2")
    loader = _Loader(text)
    lines: dict[str, int] = {}
    built = False
    try:
        # one parse: construct the data from the same node tree whose marks give the lines
        node = loader.get_single_node()
        data = None
        if node is not None:
            _check_bounds(node, text)
            try:
                data, built = _build(loader, node, "", lines, {}), True
            except (_Unusual, RecursionError):
                lines = {}
                data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else None
        raise YamlError(_explain(exc, text), line) from None
    except yaml.YAMLError as exc:
        raise YamlError(str(exc), None) from None
    finally:
        loader.dispose()
    if node is not None and not built:
        _walk(node, "", lines)
    return data, lines


_TAG = "tag:yaml.org,2002:"
_MAP, _SEQ = _TAG + "map", _TAG + "seq"
_SCALARS = {_TAG + t: _Loader.yaml_constructors[_TAG + t] for t in ("str", "int", "float", "bool", "null", "timestamp")}
_KEYS = {t: c for t, c in _SCALARS.items() if t != _TAG + "bool"}
_BUILDING = object()


class _Unusual(Exception):
    """Something `_build` leaves to PyYAML's constructor and `_walk`, which say exactly what they say."""


def _build(loader: Any, node: yaml.Node, path: str, lines: dict[str, int], made: dict[int, Any]) -> Any:
    """PyYAML's safe construction and `_walk` in one pass, for the plain documents criteria are.

    Merge keys, other tags, recursive anchors, keys read as true/false, repeated keys and values
    the constructor rejects raise `_Unusual`: the caller then runs the constructor and `_walk`, so
    the data, the lines and every error are theirs (construct_document is twice as slow). As the
    constructor does, an anchored mapping or list is made once and shared by its aliases.
    """
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.ScalarNode):
        make = _SCALARS.get(node.tag)
        if make is None:
            raise _Unusual
        try:
            return make(loader, node)
        except Exception:
            raise _Unusual from None
    if id(node) in made:
        if made[id(node)] is _BUILDING:
            raise _Unusual  # an alias inside its own anchor
        _walk(node, path, lines)
        return made[id(node)]
    made[id(node)] = _BUILDING
    if isinstance(node, yaml.MappingNode) and node.tag == _MAP:
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            make = _KEYS.get(key_node.tag) if isinstance(key_node, yaml.ScalarNode) else None
            if make is None:
                raise _Unusual
            try:
                key = make(loader, key_node)
            except Exception:
                raise _Unusual from None
            name = str(key_node.value)
            sub = f"{path}.{name}" if path else name
            if key in out or sub in lines:
                raise _Unusual
            lines[sub] = key_node.start_mark.line + 1
            out[key] = _build(loader, value_node, sub, lines, made)
        made[id(node)] = out
        return out
    if isinstance(node, yaml.SequenceNode) and node.tag == _SEQ:
        items = [_build(loader, item, f"{path}[{i}]", lines, made) for i, item in enumerate(node.value)]
        made[id(node)] = items
        return items
    raise _Unusual


def _check_bounds(root: yaml.Node, text: str) -> None:
    """Refuse, in one pass over the distinct nodes, what would make building the data or its line
    map explode: aliases that repeat too much, an alias inside its own anchor, huge integers.

    ``size`` of a node is how many nodes it stands for once every alias is expanded; an alias is
    the same node object met again, so it is counted from the memo, never walked twice.
    """
    size: dict[int, int] = {}
    open_: set[int] = set()
    distinct = 0
    # iterative post-order walk: a deep file must not hit Python's recursion limit
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            open_.discard(key)
            children = _children(node)
            size[key] = 1 + sum(size[id(c)] for c in children)
            continue
        if key in size:
            continue
        if key in open_:
            raise YamlError(
                "recursive alias", node.start_mark.line + 1, "criteria-yaml-recursive", anchor=_anchor_name(node, text)
            )
        distinct += 1
        if isinstance(node, yaml.ScalarNode):
            if node.tag == _TAG + "int":
                digits = sum(ch.isdigit() for ch in node.value)
                if digits > MAX_INT_DIGITS:
                    raise YamlError(
                        "huge integer",
                        node.start_mark.line + 1,
                        "criteria-yaml-number",
                        digits=digits,
                        limit=MAX_INT_DIGITS,
                    )
            size[key] = 1
            continue
        open_.add(key)
        stack.append((node, True))
        for child in reversed(_children(node)):
            if id(child) in open_:
                raise YamlError(
                    "recursive alias",
                    child.start_mark.line + 1,
                    "criteria-yaml-recursive",
                    anchor=_anchor_name(child, text),
                )
            if id(child) not in size:
                stack.append((child, False))
    repeated = size[id(root)] - distinct
    if repeated > ALIAS_BUDGET:
        raise YamlError("aliases", None, "criteria-yaml-aliases", count=repeated, limit=ALIAS_BUDGET)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _anchor_name(node: yaml.Node, text: str) -> str:
    """The anchor's name as written (a node does not keep it): the '&name' where the node starts."""
    mark = node.start_mark
    lines = text.splitlines()
    line = lines[mark.line] if mark.line < len(lines) else ""
    start = line.find("&", mark.column)
    if start < 0:
        start = line.rfind("&", 0, mark.column + 1)
    return line[start + 1 :].split(None, 1)[0].rstrip(",]}") if start >= 0 and len(line) > start + 1 else "?"


def _explain(exc: yaml.MarkedYAMLError, text: str) -> str:
    """PyYAML's wording, with the common causes said plainly."""
    problem = str(exc.problem or exc)
    mark = exc.problem_mark
    if mark is not None:
        line = text.splitlines()[mark.line] if mark.line < len(text.splitlines()) else ""
        if "\t" in line[: len(line) - len(line.lstrip())] or ("cannot start any token" in problem and "\t" in line):
            return "the line is indented with a tab; YAML needs spaces"
    ctx = exc.context_mark
    if ctx is not None and exc.context:
        problem = f"{problem} ({exc.context} at line {ctx.line + 1})"
    if "expected '-' indicator" in problem or "expected <block end>" in problem:
        problem += "; check the indentation of this line against the lines above it"
    return problem


def _walk(node: yaml.Node, path: str, lines: dict[str, int]) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            line = key_node.start_mark.line + 1
            if key_node.tag.endswith(":bool"):
                raise YamlError(
                    f"key '{key}' is read by YAML as true/false; quote it, or in a yes_no rule use if_yes / if_no", line
                )
            if key in seen:
                # PyYAML would keep the last value silently
                raise YamlError(f"key '{key}' is repeated (first at line {seen[key]})", line)
            seen[key] = line
            sub = f"{path}.{key}" if path else key
            lines[sub] = line
            _walk(value_node, sub, lines)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, f"{path}[{i}]", lines)


def loc_to_path(loc: tuple[int | str, ...]) -> str:
    """Turn a pydantic error location into the 'a.b[2].c' form used above."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out
