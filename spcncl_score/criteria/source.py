"""Safe YAML loading that also remembers the line of every key (for error messages)."""

from __future__ import annotations

from typing import Any

import yaml

try:  # the C loader is much faster when present
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


class YamlError(Exception):
    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.line = line


def load_with_lines(text: str) -> tuple[Any, dict[str, int]]:
    """Parse YAML text; return the data and a map 'a.b[2].c' -> 1-based line."""
    loader = _Loader(text)
    lines: dict[str, int] = {}
    built = False
    try:
        # one parse: construct the data from the same node tree whose marks give the lines
        node = loader.get_single_node()
        data = None
        if node is not None:
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
