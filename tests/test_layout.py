"""The package's layout: stages that data flows through one way, and no import circles.

Every import counts, including those inside functions (deferred imports are still dependencies).
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "spcncl_score"

# The order of the rooms: a module may import its own room and the rooms before it, never after.
STAGES = [
    ("spcncl_score", "spcncl_score.issues", "spcncl_score.i18n", "spcncl_score.sheetlayout"),
    ("spcncl_score.criteria",),
    ("spcncl_score.intake",),
    ("spcncl_score.output",),
    ("spcncl_score.scoring",),
    ("spcncl_score.council",),
    ("spcncl_score.evaluation",),
    ("spcncl_score.report",),
    ("spcncl_score.history",),
    ("spcncl_score.cli", "spcncl_score.__main__"),
]


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def stage_of(module: str) -> int:
    best, best_len = -1, -1
    for i, prefixes in enumerate(STAGES):
        for p in prefixes:
            if (module == p or module.startswith(p + ".")) and len(p) > best_len:
                best, best_len = i, len(p)
    assert best >= 0, module
    return best


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("spcncl_score"):
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                found.add(
                    candidate
                    if (PACKAGE.parent / candidate.replace(".", "/")).with_suffix(".py").exists()
                    or (PACKAGE.parent / candidate.replace(".", "/")).is_dir()
                    else node.module
                )
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("spcncl_score"))
    return found


# The package root is the public API's facade: its module ``__getattr__`` hands out `evaluate`,
# `evaluate_frame` and `load_criteria` on first use. Those deferred re-exports point down to the
# last stages by design and nothing below imports them back, so they are left out of the graph;
# any other import of the root stays counted (the root itself must stay a leaf).
FACADE = "spcncl_score"


def graph() -> dict[str, set[str]]:
    return {module_name(p): set() if module_name(p) == FACADE else imports_of(p) for p in PACKAGE.rglob("*.py")}


def test_the_facade_imports_only_inside_its_getattr():
    tree = ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8"))
    top = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom)) and n.module != "__future__"]
    assert all(not (isinstance(n, ast.ImportFrom) and (n.module or "").startswith("spcncl_score")) for n in top)
    functions = [n.name for n in tree.body if isinstance(n, ast.FunctionDef)]
    assert functions == ["__getattr__"]


def test_no_stage_imports_a_later_one():
    wrong = [
        f"{mod} imports {dep}"
        for mod, deps in graph().items()
        for dep in deps
        if dep != "spcncl_score" and stage_of(dep) > stage_of(mod)
    ]
    assert wrong == []


def test_no_import_circles():
    g = {
        m: {d for d in deps if d in graph_modules and d != m}
        for m, deps in graph().items()
        for graph_modules in [set(graph())]
    }
    # the package root (`spcncl_score`, for __version__) is a leaf: it imports nothing
    cycles: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for d in sorted(g.get(m, ())):
            if state.get(d) == 1:
                cycles.append([*stack[stack.index(d) :], d])
            elif d not in state:
                visit(d)
        stack.pop()
        state[m] = 2

    for m in sorted(g):
        if m not in state:
            visit(m)
    assert cycles == []


def test_no_private_xlsx_parser():
    assert not (PACKAGE / "sheetxml.py").exists()
    assert not any("sheetxml" in p.read_text(encoding="utf-8") for p in PACKAGE.rglob("*.py"))
