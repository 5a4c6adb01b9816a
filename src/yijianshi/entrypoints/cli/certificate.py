"""`yijianshi certificate verify|show|export|list|key`: electronic certificates (电子证照)."""

from __future__ import annotations

import sys
from contextlib import closing
from pathlib import Path
from typing import Annotated

import typer

from yijianshi.entrypoints.cli.common import DatabaseOption, clear_errors, container, err, out
from yijianshi.entrypoints.presenters import certificate_text
from yijianshi.services.sharing.certificates import (
    ExportCertificate,
    ListCertificates,
    export_certificate,
    list_certificates,
    resident,
)
from yijianshi.services.sharing.verification import verify_certificate_file

certificate_app = typer.Typer(
    help="Electronic certificates (电子证照): verify, show, export, list.", no_args_is_help=True
)
FileArgument = Annotated[Path, typer.Argument(help="Signed certificate file (JSON)")]
PurposeOption = Annotated[str, typer.Option("--purpose", help="申请事由: why, at most 200 characters")]


@certificate_app.command("verify")
def certificate_verify(file: FileArgument) -> None:
    """Verify a certificate file offline: its identifier's check character, its signature by the
    platform's or a trusted key, its validity today.

    Exit status 0 (summary printed) when authentic and valid, 1 with the reason when not, 2 when
    the file cannot be read."""
    with clear_errors():
        context = container()
        result = verify_certificate_file(
            context.certificate_files, context.certificate_keys, str(file), context.clock.today()
        )
    certificate_text.print_verification(out, err, str(file), result)
    if not result.ok:
        raise typer.Exit(1)


@certificate_app.command("show")
def certificate_show(file: FileArgument) -> None:
    """Show every directory field of a certificate file, its signature and whether it verifies."""
    with clear_errors():
        context = container()
        result = verify_certificate_file(
            context.certificate_files, context.certificate_keys, str(file), context.clock.today()
        )
    if result.signed is None:
        certificate_text.print_verification(out, err, str(file), result)
        raise typer.Exit(1)
    certificate_text.print_certificate(out, result.signed, result)


@certificate_app.command("export")
def certificate_export(
    identifier: Annotated[str, typer.Argument(help="证照标识, 1.2.156.3005.2....")],
    out_file: Annotated[Path, typer.Option("--out", help="File to write")],
    purpose: PurposeOption,
    database: DatabaseOption = None,
) -> None:
    """Write a certificate from its holder's wallet to a signed file; the export is recorded."""
    with clear_errors(), closing(container(database=database)) as context:
        signed = export_certificate(
            context.context,
            ExportCertificate(identifier, str(out_file), purpose, "cli"),
            context.certificate_files,
        )
    out.print(f"{out_file}: {signed.certificate.type_name} {signed.certificate.number}", markup=False)


@certificate_app.command("list")
def certificate_list(
    holder: Annotated[str, typer.Option("--holder", help="The holder's resident ID number")],
    purpose: PurposeOption,
    database: DatabaseOption = None,
) -> None:
    """List a resident's certificates; the read is recorded with its purpose."""
    with clear_errors(), closing(container(database=database)) as context:
        held = list_certificates(context.context, ListCertificates(resident(holder), purpose, "cli"))
    certificate_text.print_certificates(out, held)


@certificate_app.command("key")
def certificate_key() -> None:
    """Print the platform's public key (PEM), for verifiers elsewhere to trust (YIJIANSHI_TRUSTED_KEYS)."""
    with clear_errors():
        keys = container().certificate_keys
        pem, key_id = keys.public_pem(), keys.key_id
    sys.stdout.write(pem)
    err.print(f"key id 密钥标识: {key_id}", markup=False)
