"""Apps import each other in one direction only (DESIGN.md, "Layout").

The graph is built from the source with `ast`: every `import` and `from ... import` of a
`klachtroute.<app>` module, at module level and inside functions alike (a function-level
import is a dependency too, only a later one). Imports under `if TYPE_CHECKING:` are left
out: they are for the type checker and never run. Tests and migrations are left out: tests
may use any app to set up a story, and migrations are history.
"""

import ast
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "klachtroute"
SKIPPED_DIRS = {"tests", "migrations"}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imported_modules(tree: ast.Module, module: list[str], is_package: bool) -> list[tuple]:
    """(dotted name, line) of every import in `tree` that can run, at any level."""
    found: list[tuple[str, int]] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.extend((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module if is_package else module[:-1]
                base = base[: len(base) - (node.level - 1)]
                name = ".".join([*base, *([node.module] if node.module else [])])
            else:
                name = node.module or ""
            found.append((name, node.lineno))
            # `from klachtroute import portal` names the app in the alias.
            if name == "klachtroute":
                found.extend((f"klachtroute.{a.name}", node.lineno) for a in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def app_import_graph(package: Path) -> dict[str, dict[str, list[str]]]:
    """{app: {imported app: ["path:line", ...]}} for the apps of `package`."""
    graph: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    root = package.parent
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        if len(parts) < 3 or SKIPPED_DIRS.intersection(parts):
            continue
        app = parts[1]
        is_package = parts[-1] == "__init__"
        module = list(parts[:-1]) if is_package else list(parts)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for name, line in _imported_modules(tree, module, is_package):
            target = name.split(".")
            if len(target) > 1 and target[0] == package.name and target[1] != app:
                graph[app][target[1]].append(f"{path.relative_to(root)}:{line}")
    return graph


def _cycle_from(app: str, graph, stack: list[str], done: set[str]) -> list[str] | None:
    """Depth-first from `app`; the first cycle met, or None (then `app` is `done`)."""
    stack.append(app)
    for target in sorted(graph.get(app, {})):
        if target in stack:
            return [*stack[stack.index(target) :], target]
        if target not in done:
            cycle = _cycle_from(target, graph, stack, done)
            if cycle:
                return cycle
    stack.pop()
    done.add(app)
    return None


def cycles_in(graph: dict[str, dict[str, list[str]]]) -> list[list[str]]:
    """Cycles of apps (each a list, its first app repeated at the end), found by depth-first
    search; at least one for every group of apps that import each other, [] for none."""
    found: list[list[str]] = []
    done: set[str] = set()
    for start in sorted(graph):
        if start not in done:
            cycle = _cycle_from(start, graph, [], done)
            if cycle:
                found.append(cycle)
                done.update(cycle)
    return found


def _described(cycle: list[str], graph) -> str:
    steps = [
        f"{a} -> {b} ({', '.join(graph[a][b][:3])})" for a, b in zip(cycle, cycle[1:], strict=False)
    ]
    return " -> ".join(cycle) + ":\n    " + "\n    ".join(steps)


def test_apps_import_each_other_in_one_direction_only():
    """No cycle and no exception: a dependency in the wrong direction fails the build."""
    graph = app_import_graph(PACKAGE)
    cycles = cycles_in(graph)
    assert not cycles, "Import cycles between apps:\n" + "\n".join(
        _described(cycle, graph) for cycle in cycles
    )


def test_the_cycle_check_sees_function_level_imports_and_skips_type_checking(tmp_path):
    package = tmp_path / "klachtroute"
    for app in ("low", "high", "typed"):
        (package / app).mkdir(parents=True)
        (package / app / "__init__.py").write_text("")
    (package / "high" / "views.py").write_text("from klachtroute.low.models import Thing\n")
    (package / "low" / "models.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from klachtroute.typed import hints\n"
        "def later():\n"
        "    from ..high import views\n"
    )
    (package / "typed" / "hints.py").write_text("import klachtroute.low.models\n")
    graph = app_import_graph(package)
    assert graph["low"]["high"] == ["klachtroute/low/models.py:5"]
    assert "typed" not in graph["low"]
    assert cycles_in(graph) == [["high", "low", "high"]]
    assert cycles_in({"typed": graph["typed"], "low": {}}) == []
