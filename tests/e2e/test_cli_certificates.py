"""`yijianshi certificate verify|show` and `yijianshi registers seed` through typer's CliRunner."""

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select
from typer.testing import CliRunner, Result

from tests.certificates import certificate
from yijianshi.adapters.certificates.files import JsonCertificateFiles
from yijianshi.adapters.certificates.keys import FileKeys
from yijianshi.adapters.sql.tables import register_residents, wallet_certificates
from yijianshi.domain.certificate_documents import canonical_bytes
from yijianshi.domain.certificates import Certificate, CertificateStatus, SignedCertificate
from yijianshi.entrypoints.cli import app

runner = CliRunner()


@pytest.fixture
def key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FileKeys:
    """The platform's key, in a file the commands read through YIJIANSHI_SIGNING_KEY."""
    path = tmp_path / "platform-key.pem"
    monkeypatch.setenv("YIJIANSHI_SIGNING_KEY", str(path))
    return FileKeys(path, create=True)


def signed_file(tmp_path: Path, keys: FileKeys, card: Certificate | None = None) -> Path:
    card = card or certificate()
    path = tmp_path / "card.json"
    signed = SignedCertificate(card, keys.key_id, keys.sign(canonical_bytes(card)))
    JsonCertificateFiles().write(str(path), signed)
    return path


def edit(path: Path, change) -> Path:  # type: ignore[no-untyped-def]
    document = json.loads(path.read_text(encoding="utf-8"))
    change(document)
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def verify(path: Path) -> Result:
    return runner.invoke(app, ["certificate", "verify", str(path)])


def test_a_genuine_certificate_verifies_and_its_summary_is_printed(tmp_path: Path, key: FileKeys) -> None:
    result = verify(signed_file(tmp_path, key))
    assert result.exit_code == 0, result.output
    assert "valid 验证通过" in result.stdout
    assert "居民身份证" in result.stdout
    assert "李秀英" in result.stdout
    assert str(certificate().identifier) in result.stdout
    assert result.stderr == ""


def refusal(result: Result) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def test_a_tampered_signature_is_refused_in_one_line(tmp_path: Path, key: FileKeys) -> None:
    path = edit(
        signed_file(tmp_path, key),
        lambda d: d["signature"].update(
            value=d["signature"]["value"][:10]
            + ("A" if d["signature"]["value"][10] != "A" else "B")
            + d["signature"]["value"][11:]
        ),
    )
    assert "the signature does not match the content" in refusal(verify(path))


def test_tampered_content_is_refused_in_one_line(tmp_path: Path, key: FileKeys) -> None:
    path = edit(signed_file(tmp_path, key), lambda d: d["certificate"].update(holder="王伟"))
    line = refusal(verify(path))
    assert "the signature does not match the content" in line
    assert "签名与证照内容不符" in line


def test_a_wrong_identifier_check_character_is_refused_naming_the_expected_one(
    tmp_path: Path, key: FileKeys
) -> None:
    right = str(certificate().identifier)
    wrong = right[:-1] + ("A" if right[-1] != "A" else "B")
    path = edit(signed_file(tmp_path, key), lambda d: d["certificate"].update(identifier=wrong))
    line = refusal(verify(path))
    assert f"check character is '{wrong[-1]}', expected '{right[-1]}'" in line
    assert "证照标识有误" in line


def test_a_certificate_signed_with_another_key_is_refused(tmp_path: Path, key: FileKeys) -> None:
    stranger = FileKeys(tmp_path / "stranger.pem", create=True)
    assert "signed with an unknown key" in refusal(verify(signed_file(tmp_path, stranger)))


def test_a_revoked_or_expired_certificate_is_refused(tmp_path: Path, key: FileKeys) -> None:
    revoked = certificate(status=CertificateStatus.REVOKED)
    assert "revoked" in refusal(verify(signed_file(tmp_path, key, revoked)))
    expired = certificate(valid_until=dt.date(2021, 1, 1))
    assert "expired" in refusal(verify(signed_file(tmp_path, key, expired)))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot be read: No such file or directory"),
        ('{"format": "yijianshi.certificate/1", ', "is not JSON"),
        ('{"name": "not a certificate"}', "is not a signed certificate file"),
    ],
)
def test_an_unreadable_file_is_one_line_and_exit_2(
    tmp_path: Path, key: FileKeys, content: str | None, message: str
) -> None:
    path = tmp_path / "input.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = verify(path)
    assert result.exit_code == 2, result.output
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert message in result.stderr
    assert str(path) in result.stderr


def test_show_lists_every_field_and_the_outcome(tmp_path: Path, key: FileKeys) -> None:
    result = runner.invoke(
        app, ["certificate", "show", str(signed_file(tmp_path, key))], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    for text in (
        "持证主体代码 holder code",
        "11010519491231002X",
        "颁发机构 issuer",
        "有效期止 valid until",
        "2040-05-01",
        "Ed25519",
        "valid 验证通过",
    ):
        assert text in result.stdout


def test_verifying_never_creates_a_signing_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YIJIANSHI_SIGNING_KEY", str(tmp_path / "none.pem"))
    other = FileKeys(tmp_path / "other.pem", create=True)
    assert "unknown key" in refusal(verify(signed_file(tmp_path, other)))
    assert not (tmp_path / "none.pem").exists()


def test_a_certificate_of_a_trusted_issuer_verifies(
    tmp_path: Path, key: FileKeys, monkeypatch: pytest.MonkeyPatch
) -> None:
    trusted = tmp_path / "trusted"
    trusted.mkdir()
    issuer = FileKeys(tmp_path / "issuer.pem", create=True)
    (trusted / "issuer.pem").write_text(issuer.public_pem(), encoding="utf-8")
    monkeypatch.setenv("YIJIANSHI_TRUSTED_KEYS", str(trusted))
    assert verify(signed_file(tmp_path, issuer)).exit_code == 0


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_registers_seed_fills_the_registers_and_reseeding_replaces_them(
    database: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    url = (
        f"sqlite:///{tmp_path / 'registers.sqlite3'}"
        if database == "sqlite"
        else request.getfixturevalue("postgres_url")
    )
    first = runner.invoke(app, ["registers", "seed", "--residents", "1500", "--database", url])
    assert first.exit_code == 0, first.output
    assert "1,500 residents" in first.stdout
    again = runner.invoke(app, ["registers", "seed", "--residents", "400", "--database", url, "--seed", "2"])
    assert again.exit_code == 0, again.output
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(register_residents)).scalar_one() == 400
    engine.dispose()


def test_registers_seed_refuses_a_database_it_cannot_use(tmp_path: Path) -> None:
    result = runner.invoke(app, ["registers", "seed", "--residents", "10", "--database", "mysql://x/y"])
    assert result.exit_code == 2
    assert "database kind 'mysql' is not supported" in result.stderr


def test_a_changed_face_value_is_refused_like_any_content(tmp_path: Path, key: FileKeys) -> None:
    card = dataclasses.replace(certificate(), data={"name": "李秀英"})
    path = edit(signed_file(tmp_path, key, card), lambda d: d["certificate"]["data"].update(name="王伟"))
    assert "does not match" in refusal(verify(path))


def test_a_certificate_issued_by_a_simulated_birth_is_listed_exported_and_verified(
    tmp_path: Path, key: FileKeys
) -> None:
    url = f"sqlite:///{tmp_path / 'birth.sqlite3'}"
    simulated = runner.invoke(app, ["simulate", "--applications", "1", "--database", url, "--format", "json"])
    assert simulated.exit_code == 0, simulated.output
    engine = create_engine(url)
    with engine.connect() as connection:
        holder, identifier = connection.execute(
            select(wallet_certificates.c.holder_code, wallet_certificates.c.identifier).where(
                wallet_certificates.c.certificate_type == "birth_medical_certificate"
            )
        ).one()
    engine.dispose()
    listed = runner.invoke(
        app,
        ["certificate", "list", "--holder", holder, "--purpose", "查看本人电子证照", "--database", url],
        env={"COLUMNS": "250"},
    )
    assert listed.exit_code == 0, listed.output
    assert "出生医学证明" in listed.stdout
    assert identifier in listed.stdout
    out_file = tmp_path / "birth.json"
    exported = runner.invoke(
        app,
        [
            "certificate",
            "export",
            identifier,
            "--out",
            str(out_file),
            "--purpose",
            "下载出生医学证明",
            "--database",
            url,
        ],
    )
    assert exported.exit_code == 0, exported.output
    assert verify(out_file).exit_code == 0
    no_purpose = runner.invoke(
        app,
        ["certificate", "export", identifier, "--out", str(out_file), "--purpose", " ", "--database", url],
    )
    assert no_purpose.exit_code == 2
    assert "a purpose (申请事由) must be stated" in no_purpose.stderr
    unknown = runner.invoke(
        app,
        [
            "certificate",
            "export",
            str(certificate().identifier),
            "--out",
            str(out_file),
            "--purpose",
            "下载",
            "--database",
            url,
        ],
    )
    assert unknown.exit_code == 2
    assert f"no certificate {certificate().identifier} is held in any wallet" in unknown.stderr
