"""The `yijianshi` command line: a thin layer over the service layer.

One module per command or command group; this package only assembles them:

    yijianshi serve                        serve.py
              plan                         plan.py
              simulate                     simulate.py
              deadlines                    deadlines.py
              worker                       worker.py
              catalog check|import         catalog.py
              audit verify                 audit.py
              certificate verify|show|...  certificate.py
              registers seed               registers.py
              dead-letters list|replay     dead_letters.py

What they share (consoles, error lines, the container, `--database`) is in common.py.
"""

from __future__ import annotations

import typer

from yijianshi.entrypoints.cli import (
    audit,
    catalog,
    certificate,
    dead_letters,
    deadlines,
    plan,
    registers,
    serve,
    simulate,
    worker,
)

app = typer.Typer(
    help="yijianshi (一件事): deliver a life event as one thing.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
# Typer lists single commands in the order they are added, then the groups in theirs.
app.command("serve")(serve.serve)
app.command("plan")(plan.plan)
app.command("simulate")(simulate.simulate_command)
app.command("deadlines")(deadlines.deadlines_command)
app.command("worker")(worker.worker_command)
app.add_typer(catalog.catalog_app, name="catalog")
app.add_typer(audit.audit_app, name="audit")
app.add_typer(certificate.certificate_app, name="certificate")
app.add_typer(registers.registers_app, name="registers")
app.add_typer(dead_letters.dead_letters_app, name="dead-letters")


def main() -> None:
    app()
