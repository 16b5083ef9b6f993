"""The production orchestrator: ``cleancopy run`` and ``release`` as Prefect flow runs.

Implements :class:`redaction.orchestration.Orchestrator`; the command line loads it by
name (``CLEANCOPY_ORCHESTRATOR=prefect``, the default). Prefect is imported only when a
flow is run or a server asked, never when this module is loaded.
"""

from __future__ import annotations

import os
from pathlib import Path

from flows import prefect_db, server
from redaction.orchestration import ReleasedDocumentCount, ReleaseSummary
from redaction.rerun import CaseRunSummary
from redaction.review.runs import ReleaseRuns, RunState
from redaction.settings import Settings


def prepare_prefect(settings: Settings) -> None:
    """Offline Prefect whose database lives in cleancopy's home (copied, migrated, from the
    machine's template when the home has none: flows/prefect_db.py); ephemeral unless a
    server is configured. The flows read cleancopy's home from CLEANCOPY_HOME, as on a
    server: it is set to the settings' home."""
    home = settings.home
    server.prefect_home(home).mkdir(parents=True, exist_ok=True)
    os.environ["CLEANCOPY_HOME"] = str(home.resolve())
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    os.environ.setdefault("PREFECT_HOME", str(server.prefect_home(home)))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_ALLOW_EPHEMERAL_MODE", "true")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_LOGGING_LOG_PRINTS", "false")
    os.environ.setdefault("PREFECT_RESULTS_PERSIST_BY_DEFAULT", "false")
    os.environ.setdefault("PREFECT_UI_ENABLED", "false")
    use_local_server(settings)
    prefect_db.seed(settings, Path(os.environ["PREFECT_HOME"]))


def use_local_server(settings: Settings) -> None:
    """Point Prefect at the local server of this home when one answers and no other
    server is configured in the environment."""
    if "PREFECT_API_URL" not in os.environ:
        url = server.running_server(settings.home)
        if url:
            os.environ["PREFECT_API_URL"] = url


class Prefect:
    """The flows of ``flows/``, run through Prefect."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def process_case(self, case_folder: str) -> CaseRunSummary:
        prepare_prefect(self.settings)
        from flows.params import CaseToProcess
        from flows.process_case import process_case

        return process_case(case=CaseToProcess(case_folder=case_folder))

    def release_case(self, case_id: str, out_dir: str) -> ReleaseSummary:
        prepare_prefect(self.settings)
        from flows.release import release_case

        res = release_case(case_id=case_id, out_dir=out_dir)
        return ReleaseSummary(
            case_id=res.case_id, status=res.status, decided_by=res.decided_by, out_dir=res.out_dir,
            documents=tuple(ReleasedDocumentCount(d.document_id, d.pages, d.redactions) for d in res.documents),
            held_back=res.held_back, bundle_sha256=res.bundle_sha256,
        )

    def serve(self, port: int) -> int:
        prefect_db.seed(self.settings, server.prefect_home(self.settings.home))
        return server.serve(self.settings.home, port)

    def send_decision(self, case_id: str, approved: bool, audit_seq: int) -> list[RunState] | None:
        use_local_server(self.settings)
        from flows.signoff import send_decision, server_configured

        if not server_configured():
            return None  # ephemeral mode: no run can be waiting
        return send_decision(case_id, approved, audit_seq)

    def release_runs(self) -> ReleaseRuns | None:
        use_local_server(self.settings)
        from flows.signoff import PrefectReleaseRuns, server_configured

        return PrefectReleaseRuns() if server_configured() else None
