"""`regie doctor [--format text|json]`: can this installation do its daily work? One line per
check (ok, warning, fail); exit 1 when a check fails, 0 otherwise (warnings included).

Run it as the service user, with the service's environment: it checks what that user may do.
It changes nothing (the database is not migrated, not even SQLite) and connects to no mail
server or Slack; the Prefect API, when set, is asked whether it answers (2 s at most).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer


class DoctorFormat(StrEnum):
    text = "text"
    json = "json"


def doctor(
    fmt: Annotated[
        DoctorFormat,
        typer.Option(
            "--format",
            "-f",
            help="text: one line per check; json: a list of {check, status, detail}.",
        ),
    ] = DoctorFormat.text,
    outbox_hours: Annotated[
        float,
        typer.Option(
            "--outbox-hours",
            min=0,
            help="Report failed or pending messages queued longer ago than this (hours).",
        ),
    ] = 4.0,
) -> None:
    """Check the installation: the database (reachable, at the latest revision, what the
    role may do), the plan file, the last assessed day, messages not getting out, the secret
    key, the base URL, the channels' settings and the Prefect API. Changes nothing; exit 1
    when a check fails (warnings alone: 0)."""
    from regie.cli.common import _app
    from regie.cli.tables import print_json
    from regie.doctor import failed, run_checks, summary

    app = _app(delivery=False)  # the channels' settings are one of the checks
    app.read_only = True  # it changes nothing: not even REGIE_HOME's plan cache
    checks = run_checks(app, prefect=True, outbox_hours=outbox_hours)
    if fmt == DoctorFormat.json:
        print_json([c.as_json() for c in checks])
    else:
        for check in checks:
            typer.echo(check.line())
        typer.echo(summary(checks))
    if failed(checks):
        raise typer.Exit(1)
