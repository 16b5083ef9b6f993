"""How the house of ``redaction/`` is built: the counts issue 18 asks to bring down.

    .venv/bin/python benchmarks/house.py [TREE] [--list]

TREE is a checkout of the repository (default: this one). Prints import cycles in
redaction/, imports inside functions, modules over 400 lines, functions over 60 lines
(all of them, and those left without a reason in their docstring), raw SQLAlchemy queries
outside redaction/store/, and string literals spelling a stored status. ``--list`` prints
where each one is.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests import code_metrics as m  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("tree", nargs="?", type=Path, default=ROOT)
    ap.add_argument("--list", action="store_true", help="print where each counted thing is")
    args = ap.parse_args(argv)
    pkg = args.tree.resolve() / "redaction"
    if not pkg.is_dir():
        ap.error(f"{args.tree} holds no redaction/ package")
    found = m.cycles(m.module_graph(pkg))
    rows: list[tuple[str, list[str]]] = [
        ("import cycles in redaction/", [" <-> ".join(c) for c in found]),
        ("function-local imports", [str(f) for f in m.local_imports(pkg)]),
        (f"modules over {m.MAX_MODULE_LINES} lines", [str(f) for f in m.long_modules(pkg)]),
        (f"functions over {m.MAX_FUNCTION_LINES} lines", [str(f) for f in m.long_functions(pkg, excused=False)]),
        (f"  of them without '{m.LONG_REASON}' in the docstring", [str(f) for f in m.long_functions(pkg)]),
        ("raw queries outside redaction/store/", [str(f) for f in m.raw_queries(pkg)]),
        ("bare status strings", [str(f) for f in m.bare_statuses(pkg)]),
    ]
    for label, items in rows:
        print(f"{label:55} {len(items):5}")
        if args.list:
            for item in items:
                print(f"    {item}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
