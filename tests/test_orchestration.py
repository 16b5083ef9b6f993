"""The orchestration seam: the commands reach the stages through one Protocol, and
``redaction`` never imports ``flows`` (nor, through it, Prefect)."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from redaction import orchestration, pipeline
from redaction.errors import ConfigError, ExitCode
from redaction.settings import Settings
from redaction.store.db import DocumentRow
from tests.test_pipeline import _run, case_dir, ctx  # noqa: F401 - fixtures

ROOT = Path(__file__).resolve().parents[1]


def _imported(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            found.add(node.module)
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and node.func.attr == "import_module" and node.args
              and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            found.add(node.args[0].value)
    return found


def test_redaction_never_imports_flows_or_prefect() -> None:
    offenders = {
        str(p.relative_to(ROOT)): sorted(m for m in _imported(p) if m.split(".")[0] in ("flows", "prefect", "infra"))
        for p in (ROOT / "redaction").rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_walk_sees_imports_inside_functions(tmp_path: Path) -> None:
    f = tmp_path / "m.py"
    f.write_text("def f():\n    from flows.release import release_case\n    import prefect\n")
    assert _imported(f) == {"flows.release", "prefect"}


def test_orchestrators_are_found_by_name(tmp_path: Path) -> None:
    s = Settings(home=tmp_path, orchestrator="in-process")
    assert isinstance(orchestration.load(s), orchestration.InProcess)
    assert type(orchestration.load(s.model_copy(update={"orchestrator": "flows.orchestrator:Prefect"}))).__name__ \
        == "Prefect"
    with pytest.raises(ConfigError, match="cannot be loaded"):
        orchestration.load(s.model_copy(update={"orchestrator": "nowhere.at_all:Thing"}))


def test_in_process_gives_what_the_stages_give(ctx: pipeline.Context, case_dir: Path,  # noqa: F811
                                               tmp_path: Path) -> None:
    other = pipeline.open_context(ctx.settings.model_copy(update={"home": tmp_path / "direct"}))
    imp, _ = _run(other, case_dir)
    pipeline.propose_case_again(other, imp.case_id)
    summary = orchestration.InProcess(ctx.settings).process_case(str(case_dir))
    assert summary.case_id == "SAR-T-001"
    assert [(d.file_name, d.pages, d.proposals, d.problem) for d in summary.documents] == [
        (d.file_name, d.pages, len([p for p, _ in pipeline.list_proposals(other, "SAR-T-001")
                                    if p.document_id == d.document_id]), d.problem)
        for d in summary.documents
    ]
    assert sum(d.proposals for d in summary.documents) == len(pipeline.list_proposals(other, "SAR-T-001")) > 0
    orch = orchestration.InProcess(ctx.settings)
    assert orch.send_decision("SAR-T-001", True, 1) is None and orch.release_runs() is None
    pipeline.decide(ctx, "SAR-T-001", "Mrs Head", accept_all=True)
    res = orch.release_case("SAR-T-001", str(tmp_path / "out"))
    assert res.status == "released" and res.decided_by == "cli"
    assert (tmp_path / "out" / "clean-copy.pdf").exists()
    assert {d.document_id for d in res.documents} <= {d.id for d in pipeline.current_documents(ctx, "SAR-T-001")}


def test_cli_run_in_process_never_imports_prefect(case_dir: Path, tmp_path: Path) -> None:  # noqa: F811
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CLEANCOPY_", "PREFECT_"))}
    env.update(CLEANCOPY_ORCHESTRATOR="in-process", CLEANCOPY_OCR_ENGINE="null", CLEANCOPY_OCR_WORKERS="1",
               PYTHONPATH=str(ROOT))
    code = ("import sys\nfrom redaction import cli\n"
            f"rc = cli.main(['run', {str(case_dir)!r}, '--home', {str(tmp_path / 'home')!r}])\n"
            "assert not [m for m in sys.modules if m.split('.')[0] in ('prefect', 'flows')], 'prefect imported'\n"
            "sys.exit(rc)\n")
    p = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    assert p.returncode in (ExitCode.OK, ExitCode.HELD_BACK), p.stderr
    assert "case SAR-T-001" in p.stdout


def test_the_in_process_orchestrator_has_no_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    from redaction import cli

    monkeypatch.setenv("CLEANCOPY_ORCHESTRATOR", "in-process")
    assert cli.main(["server", "--home", str(tmp_path)]) == ConfigError.exit_code
    assert "no server to run" in capsys.readouterr().err


def test_each_document_is_proposed_before_the_next_is_read(ctx: pipeline.Context, case_dir: Path,  # noqa: F811
                                                           tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    other = pipeline.open_context(ctx.settings.model_copy(update={"home": tmp_path / "direct"}))
    _run(other, case_dir)  # every page read first, then each document proposed
    imp = pipeline.import_case(ctx, case_dir)
    read_when_proposed: list[list[int]] = []
    propose = pipeline.propose_document

    def watch(c: pipeline.Context, doc_id: int) -> pipeline.ProposeResult:
        with c.store.session() as s:
            read_when_proposed.append([d for d in imp.to_process if s.get(DocumentRow, d).pages])  # type: ignore[union-attr]
        return propose(c, doc_id)

    monkeypatch.setattr(pipeline, "propose_document", watch)
    done = orchestration.read_and_propose(ctx, list(imp.to_process))
    ids = list(imp.to_process)
    assert read_when_proposed == [ids[: i + 1] for i in range(len(ids))]
    assert [r.document_id for r in done.ocr] == ids
    assert [r.document_id for r in done.proposed] == ids  # the null engine's PNG page is proposed too (none)

    def listed(c: pipeline.Context) -> list[tuple[str, int, str, str, str]]:
        return sorted((name, p.page_index, p.reason, p.text, p.boxes)
                      for p, name in pipeline.list_proposals(c, imp.case_id))

    assert listed(ctx) == listed(other) != []
