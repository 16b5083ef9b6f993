"""Measures of the code of ``redaction/``: the module graph and its cycles, imports inside
functions, long modules and functions, raw database queries, bare status strings.

Shared by tests/test_architecture.py (which fails on a cycle, a long module or a long
function) and benchmarks/house.py (which prints the counts).

Every import counts in the graph, those inside functions and under ``TYPE_CHECKING`` too:
an import moved into a function hides a cycle from Python, not from a reader.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
LONG_REASON = "Long because"  # a function's docstring saying why it is longer than MAX_FUNCTION_LINES
# the values stored in the status columns of documents, proposals and decisions (models' status enums)
STATUS_WORDS = frozenset({"new", "ocr", "proposed", "held", "pending", "accepted", "rejected", "withdrawn"})
QUERY_METHODS = frozenset({"execute", "scalars", "scalar", "query"})


def modules(package: Path) -> dict[str, Path]:
    """Each module of ``package`` by dotted name."""
    files = {}
    for p in sorted(package.rglob("*.py")):
        parts = p.relative_to(package.parent).with_suffix("").parts
        files[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = p
    return files


def module_graph(package: Path) -> dict[str, set[str]]:
    """Each module of ``package`` (dotted name) and the modules of it that it imports."""
    files = modules(package)
    graph: dict[str, set[str]] = {name: set() for name in files}
    for name, path in files.items():
        is_pkg = path.name == "__init__.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    here = name.split(".") if is_pkg else name.split(".")[:-1]
                    here = here[: len(here) - node.level + 1]
                    base = ".".join([*here, base] if base else here)
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in files else base for a in node.names]
            for t in targets:
                while t not in files and "." in t:
                    t = t.rsplit(".", 1)[0]
                if t in files and t != name and not name.startswith(t + "."):
                    graph[name].add(t)  # a package's own __init__ is not an edge of its modules
    return graph


def cycles(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


@dataclass(frozen=True)
class Finding:
    """One thing counted, where it is (``path:line``) and what it is."""

    path: str
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.what}"


def _trees(package: Path) -> Iterator[tuple[str, ast.Module, list[str]]]:
    for p in sorted(package.rglob("*.py")):
        text = p.read_text(encoding="utf-8")
        yield str(p.relative_to(package.parent)), ast.parse(text), text.splitlines()


def _functions(tree: ast.AST) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


def local_imports(package: Path) -> list[Finding]:
    """Imports inside a function body."""
    out = []
    for path, tree, _ in _trees(package):
        for fn in _functions(tree):
            for node in ast.walk(fn):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    names = node.module if isinstance(node, ast.ImportFrom) else node.names[0].name
                    out.append(Finding(path, node.lineno, f"in {fn.name}: {names or '.'}"))
    return sorted(set(out), key=lambda f: (f.path, f.line))


def long_modules(package: Path, limit: int = MAX_MODULE_LINES) -> list[Finding]:
    return [Finding(path, 1, f"{len(lines)} lines") for path, _, lines in _trees(package) if len(lines) > limit]


def long_functions(package: Path, limit: int = MAX_FUNCTION_LINES, *, excused: bool = True) -> list[Finding]:
    """Functions longer than ``limit`` lines (decorators left out); with ``excused``, those
    whose docstring gives the reason (contains LONG_REASON) are left out too."""
    out = []
    for path, tree, _ in _trees(package):
        for fn in _functions(tree):
            n = (fn.end_lineno or fn.lineno) - fn.lineno + 1
            if n > limit and not (excused and LONG_REASON in (ast.get_docstring(fn) or "")):
                out.append(Finding(path, fn.lineno, f"{fn.name}: {n} lines"))
    return out


def _is_query(node: ast.Call) -> bool:
    f = node.func
    if isinstance(f, ast.Name):
        return f.id == "select"
    if isinstance(f, ast.Attribute):
        if f.attr in QUERY_METHODS:
            return True
        # session.get(SomeRow, key)
        return f.attr == "get" and bool(node.args) and isinstance(node.args[0], ast.Name) \
            and node.args[0].id.endswith("Row")
    return False


def raw_queries(package: Path, repository: str = "store") -> list[Finding]:
    """SQLAlchemy queries (``select(``, ``session.get(Row, ..)``, ``.execute(``, ``.scalars(``,
    ``.scalar(``, ``.query(``) outside the subpackage ``repository`` (the storage layer)."""
    out = []
    for path, tree, _ in _trees(package):
        if Path(path).parts[1] == repository:
            continue
        calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and _is_query(n)]
        inner = {id(a) for c in calls for a in c.args[:1] if isinstance(a, ast.Call)}  # scalars(select(..)): one
        for node in calls:
            if id(node) not in inner:
                name = node.func.id if isinstance(node.func, ast.Name) else node.func.attr  # type: ignore[attr-defined]
                out.append(Finding(path, node.lineno, name))
    return sorted(out, key=lambda f: (f.path, f.line))


def bare_statuses(package: Path) -> list[Finding]:
    """String literals spelling a stored status (STATUS_WORDS) where a status is read or set:
    compared (``status == "held"``, ``x in ("refused", "pending")``), passed as a ``status``
    keyword or assigned to a ``.status``, outside models.py, the database schema and the
    migrations: each is a place an enum should be used. (A word that merely spells one,
    "new" among a relationship's qualifiers, is no status.)"""
    out = []
    for path, tree, _ in _trees(package):
        if path.endswith(("models.py", "store/db.py")) or "/migrations/" in path:
            continue
        for node in ast.walk(tree):
            for lit in _status_places(node):
                if isinstance(lit, ast.Constant) and lit.value in STATUS_WORDS:
                    out.append(Finding(path, lit.lineno, repr(lit.value)))
    return sorted(out, key=lambda f: (f.path, f.line))


def _status_places(node: ast.AST) -> list[ast.expr]:
    """The expressions of ``node`` that hold a status when it is compared or set."""
    def spread(e: ast.expr) -> list[ast.expr]:
        return [*e.elts] if isinstance(e, ast.Tuple | ast.List | ast.Set) else [e]
    if isinstance(node, ast.Compare):
        return [x for e in (node.left, *node.comparators) for x in spread(e)]
    if isinstance(node, ast.keyword) and (node.arg or "").endswith("status"):
        return spread(node.value)
    if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        if any(isinstance(t, ast.Attribute) and t.attr.endswith("status") for t in targets):
            return spread(node.value)
    return []
