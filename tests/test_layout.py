"""The package's layout: the pipeline at the top, the other parts beside it, no import cycle.

Read from the source (every ``import`` statement, those inside functions included), so a
lazy import that closes a cycle counts as much as one at the top of a module.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "unspin"
SUBPACKAGES = {"bench", "cli", "crawl", "semantic", "spinner", "web"}
FACADE = {"unspin", "unspin.api", "unspin.__main__"}  # the public API: may reach any part
MAX_LINES = 500


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in PACKAGE.rglob("*.py")}


def imports_of(name: str) -> set[str]:
    """The package's modules that a module imports, wherever the statement stands."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            # 'from unspin.cli import app' imports the module unspin.cli.app; 'from unspin.read import Limits', a name
            found.update(f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base for alias in node.names)
    return {module for module in found if module in MODULES and module != name}


GRAPH = {name: imports_of(name) for name in MODULES}


def part_of(name: str) -> str:
    """'pipeline' for a module at the top of the package, else its subpackage's name."""
    parts = name.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in SUBPACKAGES) else "pipeline"


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph, as the modules along it, or None."""
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(name: str) -> list[str] | None:
        state[name] = 1
        path.append(name)
        for other in sorted(graph[name]):
            if state.get(other) == 1:
                return path[path.index(other):] + [other]
            if other not in state and (cycle := visit(other)):
                return cycle
        state[name] = 2
        path.pop()
        return None

    for name in sorted(graph):
        if name not in state and (cycle := visit(name)):
            return cycle
    return None


def test_a_cycle_is_found_where_there_is_one():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None


def test_the_graph_sees_lazy_imports():
    assert "unspin.warc" in GRAPH["unspin.read"]  # imported inside the archive reader


def test_no_module_imports_itself_back_through_others():
    assert find_cycle(GRAPH) is None


@pytest.mark.parametrize("name", sorted(name for name in MODULES if part_of(name) == "pipeline" and name not in FACADE))
def test_the_pipeline_imports_nothing_outside_it(name):
    assert {other for other in GRAPH[name] if part_of(other) != "pipeline" and other not in FACADE} == set()


@pytest.mark.parametrize("part", sorted(SUBPACKAGES - {"bench", "cli"}))
def test_each_other_part_stands_on_the_pipeline_alone(part):
    reached = {part_of(other) for name in MODULES if part_of(name) == part for other in GRAPH[name]}
    assert reached <= {"pipeline", part}


def test_the_bench_stands_on_what_it_measures_and_never_on_the_shell():
    reached = {part_of(other) for name in MODULES if part_of(name) == "bench" for other in GRAPH[name]}
    assert "cli" not in reached and "web" not in reached


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_is_over_500_lines(name):
    assert len(MODULES[name].read_text().splitlines()) <= MAX_LINES
