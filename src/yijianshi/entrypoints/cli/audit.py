"""`yijianshi audit verify`: check every audit log (审计日志) against its hash chain."""

from __future__ import annotations

from typing import Annotated

import typer

from yijianshi.bootstrap import Container
from yijianshi.entrypoints.cli.common import DatabaseOption, clear_errors, container
from yijianshi.services.audit.verification import VerifyAuditTrails, verify_audit

audit_app = typer.Typer(help="The audit trail (审计日志).", no_args_is_help=True)


@audit_app.command("verify")
def audit_verify(
    database: DatabaseOption = None,
    application: Annotated[str | None, typer.Option(help="Only this application's log")] = None,
) -> None:
    """Verify every audit log against its hash chain and its head; name the first bad entry.

    Exit status 0 when every log is intact, 1 when any is not, 2 on bad input."""
    with clear_errors():
        bad = verify_audit_logs(container(database=database), application)
    if bad:
        raise typer.Exit(1)


def verify_audit_logs(context: Container, application: str | None) -> int:
    """Print the outcome per broken log and a summary; return how many logs are broken."""
    checks = verify_audit(context.context, VerifyAuditTrails(application))
    broken = [c for c in checks if not c.result.ok]
    for check in broken:
        typer.echo(f"application {check.application_id}: {check.result.detail}", err=True)
    entries = sum(c.entries for c in checks)
    typer.echo(f"{len(checks) - len(broken)} of {len(checks)} audit logs intact ({entries} entries)")
    return len(broken)
