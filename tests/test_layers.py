"""Layers point one way and no module imports itself round a circle (docs/architecture.md).

Every import counts, at module level or inside a function; `if TYPE_CHECKING:` imports do not
(they never run). The order: portal (the base) < alliances and members (the network; they build
on each other, module by module without a circle) < services < reports < devtools. The project's
URLconf (portal.urls) wires every app and may import them; tests may import anything.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("portal", "alliances", "members", "services", "reports", "devtools")
LAYER = {"portal": 0, "alliances": 1, "members": 1, "services": 2, "reports": 3, "devtools": 4}
ROOTS = {"portal.urls"}  # the URLconf includes every app's urls


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(path: Path, module: str, modules: set[str]) -> set[str]:
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()

    def visit(node):
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            # `from package import module` imports the module
            found.update(f"{base}.{alias.name}" for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(), filename=str(path)))
    return {name for name in found if name in modules and name != module}


def _graph() -> dict[str, set[str]]:
    paths = {
        _module_name(path): path
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
    }
    modules = set(paths)
    return {module: _imports(path, module, modules) for module, path in paths.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return groups


def _is_package_init_edge(source: str, target: str) -> bool:
    # A package's __init__ re-exporting its own modules is not a circle of code.
    return target.startswith(source + ".") or source.startswith(target + ".")


def test_no_module_imports_itself_round_a_circle():
    graph = {
        module: {t for t in targets if not _is_package_init_edge(module, t)}
        for module, targets in _graph().items()
    }
    assert _cycles(graph) == []


def test_layers_point_one_way():
    upward = sorted(
        (module, target)
        for module, targets in _graph().items()
        for target in targets
        if LAYER[target.split(".")[0]] > LAYER[module.split(".")[0]] and module not in ROOTS
    )
    assert upward == []


def test_the_cycle_finder_finds_a_circle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
