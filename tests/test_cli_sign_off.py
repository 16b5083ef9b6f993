"""`cleancopy decide --sign-off` with no Prefect server: the sign-off is recorded in the
audit log (a release started later releases on it)."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from redaction import cli, pipeline, signoff
from redaction.errors import CleanCopyError, ExitCode
from redaction.review import audit, auth
from tests.test_pipeline import _run, case_dir, ctx  # noqa: F401 - fixtures


def test_sign_off_from_the_command_line(ctx: pipeline.Context, case_dir: Path,  # noqa: F811
                                        capsys: pytest.CaptureFixture[str]) -> None:
    _run(ctx, case_dir)
    auth.add_reviewer(ctx, "Mrs Head", "head", "a long password")
    home = str(ctx.settings.home)
    assert cli.main(["decide", "SAR-T-001", "--reviewer", "Mrs Head", "--sign-off", "--home", home]) \
        == ExitCode.NOT_READY
    assert "undecided" in capsys.readouterr().err
    assert signoff.standing_sign_off(ctx, "SAR-T-001") is None
    assert cli.main(["decide", "SAR-T-001", "--reviewer", "Mrs Head", "--accept-all", "--sign-off",
                     "--comment", "checked", "--home", home]) == ExitCode.OK
    out = capsys.readouterr().out
    assert "signed off by Mrs Head" in out
    standing = signoff.standing_sign_off(ctx, "SAR-T-001")
    assert standing is not None and standing.approved and standing.reviewer == "Mrs Head"
    assert audit.entries(ctx, "SAR-T-001")[-1].detail == "comment: checked"
    assert "no release run is waiting" in out


def test_sign_off_is_kept_when_the_prefect_server_is_down(ctx: pipeline.Context, case_dir: Path,  # noqa: F811
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    from prefect.settings import PREFECT_API_URL, PREFECT_CLIENT_MAX_RETRIES, temporary_settings

    from flows.signoff import send_decision

    _run(ctx, case_dir)
    auth.add_reviewer(ctx, "Mrs Head", "head", "a long password")
    pipeline.decide(ctx, "SAR-T-001", "Mrs Head", accept_all=True)
    with socket.socket() as s:  # a loopback port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with temporary_settings({PREFECT_API_URL: f"http://127.0.0.1:{port}/api", PREFECT_CLIENT_MAX_RETRIES: 0}):
        code = cli.main(["decide", "SAR-T-001", "--reviewer", "Mrs Head", "--sign-off",
                         "--home", str(ctx.settings.home)])
        with pytest.raises(Exception) as unreachable:
            send_decision("SAR-T-001", True, 1)
    # not one of cleancopy's errors (which would mean a run refused the sign-off): the desk
    # then releases the case itself
    assert not isinstance(unreachable.value, CleanCopyError)
    assert code == ExitCode.STORAGE
    assert "could not be reached" in capsys.readouterr().err
    standing = signoff.standing_sign_off(ctx, "SAR-T-001")
    assert standing is not None and standing.approved
