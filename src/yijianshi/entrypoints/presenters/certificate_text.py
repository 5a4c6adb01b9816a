"""What `yijianshi certificate ...` and `yijianshi registers seed` print, on Rich consoles."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from yijianshi.domain.certificate_documents import to_document
from yijianshi.domain.certificates import Certificate, SignedCertificate
from yijianshi.services.sharing.ports import Seeded
from yijianshi.services.sharing.registers import Progress as SeedProgress
from yijianshi.services.sharing.verification import Verification

LABELS = {
    "identifier": "证照标识 identifier",
    "certificate_type": "证照类型 type",
    "type_name": "证照名称 name",
    "type_code": "证照类型代码 type code",
    "number": "证照编号 number",
    "issuer": "颁发机构 issuer",
    "issuer_code": "颁发机构代码 issuer code",
    "issue_date": "颁证日期 issued",
    "holder": "持证主体 holder",
    "holder_code": "持证主体代码 holder code",
    "holder_code_type": "代码类型 code type",
    "jurisdiction": "管辖区域 jurisdiction",
    "valid_from": "有效期起 valid from",
    "valid_until": "有效期止 valid until",
    "status": "证照状态 status",
    "related": "关联证照标识 renews",
    "data": "照面信息 face",
}


def summary(certificate: Certificate) -> list[str]:
    """The lines a person checks: what, whose, by whom, when, until when."""
    c = certificate
    until = c.valid_until.isoformat() if c.valid_until else "长期 long-term"
    return [
        f"{c.type_name} ({c.certificate_type}) {c.number}",
        f"  证照标识 identifier  {c.identifier}",
        f"  持证主体 holder      {c.holder_name} ({c.holder.code_type.value} {c.holder.code})",
        f"  颁发机构 issuer      {c.issuer} ({c.identifier.issuer_code}), {c.jurisdiction}",
        f"  颁证日期 issued      {c.issue_date.isoformat()}",
        f"  有效期 validity      {c.valid_from.isoformat()} – {until}",
        f"  证照状态 status      {c.status.value} {c.status.label.zh} {c.status.label.en}",
    ]


def print_verification(out: Console, err: Console, location: str, result: Verification) -> None:
    """Valid: a first line saying so, then the summary (stdout). Refused: one line (stderr)."""
    if result.problem is not None:
        err.print(f"{location}: refused 验证未通过: {result.problem.en}（{result.problem.zh}）", markup=False)
        return
    assert result.signed is not None
    out.print(
        f"{location}: valid 验证通过 — signed by key 签名密钥 {result.signed.key_id}",
        markup=False,
        soft_wrap=True,
    )
    for line in summary(result.signed.certificate):
        out.print(line, markup=False, soft_wrap=True)


def print_certificate(out: Console, signed: SignedCertificate, result: Verification) -> None:
    """Every directory field, the signature, and the verification outcome."""
    table = Table(title=f"{signed.certificate.type_name} 电子证照", show_header=False)
    for key, value in to_document(signed.certificate).items():
        shown = ", ".join(f"{k}={v}" for k, v in value.items()) if isinstance(value, dict) else value
        table.add_row(LABELS.get(key, key), "—" if shown in (None, "") else str(shown))
    table.add_row("签名 signature", f"{signed.algorithm}, key 密钥 {signed.key_id}")
    outcome = (
        "valid 验证通过"
        if result.problem is None
        else f"refused 验证未通过: {result.problem.en}（{result.problem.zh}）"
    )
    table.add_row("验证 verification", outcome)
    out.print(table)


def print_certificates(out: Console, certificates: list[Certificate]) -> None:
    if not certificates:
        out.print("no certificate is held 暂无电子证照")
        return
    table = Table(title="电子证照 electronic certificates")
    for column in ("证照名称 name", "编号 number", "颁证日期 issued", "状态 status", "证照标识 identifier"):
        table.add_column(column, overflow="fold")
    for c in certificates:
        table.add_row(
            c.type_name,
            c.number,
            c.issue_date.isoformat(),
            f"{c.status.label.zh} {c.status.label.en}",
            str(c.identifier),
        )
    out.print(table)


@contextmanager
def seed_progress(err: Console, residents: int) -> Iterator[SeedProgress]:
    """A progress bar on stderr for seeding `residents` residents."""
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as bar:
        task = bar.add_task("seeding registers 生成登记数据", total=residents)
        yield lambda done, _total: bar.update(task, completed=done)


def print_seeded(out: Console, seeded: Seeded, seconds: float) -> None:
    out.print(
        f"registers seeded 登记数据已生成: {seeded.residents:,} residents 人口, "
        f"{seeded.households:,} households 户, {seeded.marriages:,} marriages 婚姻登记 "
        f"in {seconds:.1f} s",
        markup=False,
        soft_wrap=True,
    )
