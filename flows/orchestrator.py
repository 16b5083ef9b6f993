"""The production orchestrator: ``cleancopy run`` and ``release`` as Prefect flow runs.

Implements :class:`redaction.orchestration.Orchestrator`; the command line loads it by
name (``CLEANCOPY_ORCHESTRATOR=prefect``, the default). Prefect is imported only when a
flow is run or a server asked, never when this module is loaded.
"""

from __future__ import annotations

import atexit
import logging
import os
import sys
from pathlib import Path

from flows import prefect_db, server
from redaction.orchestration import ReleasedDocumentCount, ReleaseSummary
from redaction.rerun import CaseRunSummary
from redaction.review.runs import ReleaseRuns, RunState
from redaction.settings import Settings

log = logging.getLogger(__name__)


def prefect_environment(settings: Settings) -> None:
    """Prefect offline, quiet, its results not kept, its home (database and storage) under
    cleancopy's home. The flows read cleancopy's home from CLEANCOPY_HOME, as on a server:
    it is set to the settings' home."""
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


def start_server(settings: Settings) -> server.CommandServer | None:
    """Start this command's own Prefect server, not waiting for it, when Prefect has no
    server to talk to (none configured, no local one answering) and is not imported yet
    (once imported, it has read its settings: it would start an ephemeral server of its
    own). The database is the home's, copied from the migrated template when it has none."""
    prefect_environment(settings)
    use_local_server(settings)
    prefect_db.seed(settings, Path(os.environ["PREFECT_HOME"]))
    if "PREFECT_API_URL" in os.environ or "prefect" in sys.modules:
        return None
    own = server.CommandServer(settings.home)
    atexit.register(own.stop)  # it ends with the command, used or not
    return own


def prepare_prefect(settings: Settings) -> None:
    """Prefect ready for this process's flows: its environment set, and pointed at a server
    (a configured one, the home's local one, or one started now and waited for)."""
    use_server(start_server(settings))


def use_server(own: server.CommandServer | None) -> None:
    """Point Prefect at this command's own server (None: :func:`start_server` found another
    or left it to Prefect), once it answers. When it fails to start, Prefect starts its
    ephemeral one, as it always could."""
    if own is None:
        return
    if own.ready(float(os.environ["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"])):
        os.environ["PREFECT_API_URL"] = own.api_url
        if "prefect.context" in sys.modules:  # imported while the server started: it reads its settings again
            from prefect.context import refresh_global_settings_context

            refresh_global_settings_context()
        return
    own.stop()
    log.warning("Prefect's server for this command did not start (see %s): Prefect starts its own", own.log)


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
        self._server: server.CommandServer | None = None
        self._prepared = False

    def prepare(self) -> None:
        """Set Prefect's environment and start its server for this command now (once), so
        that its start overlaps what the command does before its flow runs (checking the
        folder, loading the people finder, importing Prefect)."""
        if not self._prepared:
            self._server = start_server(self.settings)
            self._prepared = True

    def process_case(self, case_folder: str) -> CaseRunSummary:
        self.prepare()
        from flows.params import CaseToProcess  # Prefect imported while its server starts
        from flows.process_case import process_case

        use_server(self._server)
        return process_case(case=CaseToProcess(case_folder=case_folder))

    def release_case(self, case_id: str, out_dir: str) -> ReleaseSummary:
        self.prepare()
        from flows.release import release_case  # Prefect imported while its server starts

        use_server(self._server)
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
