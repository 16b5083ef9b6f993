"""The module graph of ``redaction/`` has no cycle (docs/ARCHITECTURE.md).

Every import counts, those inside functions and under ``TYPE_CHECKING`` too: an import
moved into a function hides a cycle from Python, not from a reader.
"""

from __future__ import annotations

from pathlib import Path

from tests.code_metrics import cycles, module_graph

ROOT = Path(__file__).resolve().parents[1]


def test_no_module_of_redaction_imports_itself_back() -> None:
    graph = module_graph(ROOT / "redaction")
    assert len(graph) > 50  # the walk found the package
    assert cycles(graph) == []


def test_a_cycle_through_a_function_local_import_is_found(tmp_path: Path) -> None:
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from pkg.b import thing\n")
    (pkg / "b.py").write_text("def thing():\n    from pkg import a\n    return a\n")
    (pkg / "c.py").write_text("from . import a\n")
    assert cycles(module_graph(pkg)) == [["pkg.a", "pkg.b"]]
