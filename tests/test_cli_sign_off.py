"""`cleancopy decide --sign-off` with no Prefect server: the sign-off is recorded in the
audit log (a release started later releases on it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from redaction import cli, pipeline, signoff
from redaction.errors import ExitCode
from redaction.review import audit
from tests.test_pipeline import _run, case_dir, ctx  # noqa: F401 - fixtures


def test_sign_off_from_the_command_line(ctx: pipeline.Context, case_dir: Path,  # noqa: F811
                                        capsys: pytest.CaptureFixture[str]) -> None:
    _run(ctx, case_dir)
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
