"""The package layout is the data flow (README "Architecture"): a module imports only from its
own stage or lower ones, no import cycles, and the core never touches the terminal.

Stages, lowest first: shared basics (errors, text, dates, explain, i18n) < cards < analysis
< planning < team < render < cli. Imports inside functions count too: a lazy import is still
a dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

import kacard

PACKAGE = Path(kacard.__file__).parent
STAGES = ["basics", "cards", "analysis", "planning", "team", "render", "cli"]
CORE = {"cards", "analysis", "planning", "team"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _stage(module: str) -> str:
    parts = module.split(".")
    if len(parts) > 1 and parts[1] in STAGES:
        return parts[1]
    return "basics"


def _imports(path: Path, module: str) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            found.add(target)
            # `from kacard.x import y` may name a submodule y
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return found


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        graph[name] = {m for m in _imports(path, name) if m in modules and m != name}
    return graph


def test_lower_stages_never_import_higher_ones():
    wrong = []
    for module, imported in _graph().items():
        if module == "kacard.__main__":
            continue  # `python -m kacard` starts the CLI
        for target in imported:
            if STAGES.index(_stage(target)) > STAGES.index(_stage(module)):
                wrong.append(f"{module} ({_stage(module)}) imports {target} ({_stage(target)})")
    assert not wrong, "\n".join(sorted(wrong))


def test_no_import_cycles():
    graph = _graph()
    # packages import their submodules' names; an __init__ importing its child is not a cycle
    edges = {m: {t for t in ts if not t.startswith(m + ".")} for m, ts in graph.items()}
    cycles: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node)
    assert not cycles, "\n".join(" -> ".join(c) for c in cycles)


def test_core_never_imports_the_terminal_libraries():
    wrong = []
    for path in PACKAGE.rglob("*.py"):
        module = _module_name(path)
        if _stage(module) in CORE | {"basics"} and module != "kacard.__main__":
            for target in _imports(path, module):
                if target.split(".")[0] in {"typer", "rich", "click"}:
                    wrong.append(f"{module} imports {target}")
    assert not wrong, "\n".join(sorted(wrong))


def test_the_graph_test_sees_real_imports():
    graph = _graph()
    assert "kacard.cards.model.card" in graph["kacard.cards.store"]
    assert "kacard.analysis.due" in graph["kacard.planning.route"]
