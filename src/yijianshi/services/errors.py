"""Errors the use cases raise: one family, each with a message in zh-CN and en, and no HTTP status.

    ServiceError                message: Text (what is wrong and what to do), field: where, if anywhere
    ├── NotFound                nothing there, or nothing the caller may see (the two are not told apart)
    │   ├── UnknownCase             no case has the id (a decision, a department's answer)
    │   ├── UnknownCertificate      no wallet holds a certificate with the identifier
    │   ├── UnknownSigningKey       a signature names a key neither ours nor a trusted issuer's
    │   └── NoSuchDeadLetter        no dead-lettered dispatch has the event id (or it was replayed)
    ├── Conflict                not in the state the request needs (finished, done before, changed meanwhile)
    │   ├── ConcurrentUpdate        another transaction changed the application since it was read
    │   ├── DuplicateSubmission     the applicant's idempotency key names an earlier submission
    │   ├── UploadsUnavailable      chosen uploads removed, used by another application, or another's
    │   ├── AlreadyRated            an application is rated once (一事一评)
    │   ├── AccountTaken            an account with that name exists already
    │   └── UnreadableAuditEntry    a stored audit entry was edited by hand and cannot be read
    ├── Invalid                 an input is wrong; `problems` lists each wrong input (domain.problems)
    │   ├── TooLarge                a file or body over its limit
    │   ├── UnsupportedType         a file of a kind that is not accepted
    │   ├── FormInvalid             the merged form: `errors` has every field's problem
    │   ├── OutputsInvalid          a completion's outputs: `errors` has every output's problem
    │   ├── RegistrationInvalid     an applicant registered in person: `errors` has every field's problem
    │   └── InputFileError          an input file: `findings` has its problems, located file:line
    ├── Forbidden               the caller may not do this
    │   ├── NotAuthenticated        no valid login: a wrong password, a forged or expired token
    │   │   └── InvalidToken            a bearer token or session cookie malformed, forged or expired
    │   └── Locked                  an account locked after repeated failed logins
    └── Unavailable             a store or another system is out of reach; retry later
        ├── StorageUnavailable      the database
        └── SigningKeyUnavailable   the platform's signing key (missing outside development, unreadable)

`str()` of an error is the line for an operator or a log (`detail` when given, else the English
message); what a user reads is `message`. The API answers each kind with its HTTP status in one
place (`entrypoints/api/problems.py`), the pages in theirs, the CLI with its exit code; nothing
here knows of HTTP. The domain's own errors (`domain.errors`) stay outside this family.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from yijianshi.domain.problems import Line, Problem
from yijianshi.domain.text import Text


class ServiceError(Exception):
    """Base of the family: `message` says what is wrong and what to do, in zh-CN and en; `field`
    names the input it concerns (`values.mother.id_number`, `materials.<key>`, `file`), if any;
    `detail`, when given, is what `str()` says instead of the English message (for an operator)."""

    def __init__(self, message: Text, field: str | None = None, *, detail: str | None = None) -> None:
        super().__init__(message.en if detail is None else detail)
        self.message = message
        self.field = field


class NotFound(ServiceError):
    """Nothing there, or nothing the caller may see: both are answered alike, so that a refusal
    tells no more than "there is nothing here for you"."""


class Conflict(ServiceError):
    """The thing is not in a state that allows the request: finished, done before, changed
    meanwhile."""


class Invalid(ServiceError):
    """An input is wrong. `problems` lists every input that is, each a Problem whose `where`
    names it (a field key, a file:line); `field` is where the first of them is."""

    def __init__(
        self,
        message: Text,
        field: str | None = None,
        problems: Sequence[Problem[Any]] = (),
        *,
        detail: str | None = None,
    ) -> None:
        listed = tuple(problems)
        if not listed and field is not None:
            listed = (Problem(field, message),)
        super().__init__(message, field or (str(listed[0].where) if listed else None), detail=detail)
        self.problems = listed


class TooLarge(Invalid):
    """A file or a body is over its size limit."""


class UnsupportedType(Invalid):
    """A file is of a kind that is not accepted (by its content or by what it says it is)."""


class Forbidden(ServiceError):
    """The caller may not do this."""


class NotAuthenticated(Forbidden):
    """No valid login: a wrong account or password, a forged or expired token."""


class Locked(Forbidden):
    """An account locked for a while after repeated failed logins."""


class Unavailable(ServiceError):
    """A store or another system is out of reach; the same request may succeed later. `message`
    is for the caller; `str()` is the detail, for an operator (it may name paths or hosts)."""


class StorageUnavailable(Unavailable):
    """The database cannot be used: a URL of an unsupported kind, or a server out of reach."""

    def __init__(self, detail: str) -> None:
        super().__init__(
            Text("数据库暂不可用，请稍后再试", "the database is unavailable; retry later"), detail=detail
        )


class SigningKeyUnavailable(Unavailable):
    """The platform's signing key cannot be loaded (missing outside development, or unreadable)."""

    def __init__(self, detail: str) -> None:
        super().__init__(
            Text("证照签名密钥暂不可用，请联系运维人员", "the certificate signing key is unavailable"),
            detail=detail,
        )


# Not found


class UnknownCase(NotFound):
    """No case has this id."""

    def __init__(self, case_id: str) -> None:
        super().__init__(Text("没有这个办件", "no such case"), detail=f"no case {case_id}")
        self.case_id = case_id


class UnknownCertificate(NotFound):
    """No wallet holds a certificate with this identifier."""

    def __init__(self, identifier: str) -> None:
        super().__init__(
            Text(f"没有任何证照夹持有证照 {identifier}", f"no certificate {identifier} is held in any wallet")
        )
        self.identifier = identifier


class UnknownSigningKey(NotFound):
    """A signature names a key that is neither the platform's nor a trusted issuer's."""

    def __init__(self, key_id: str) -> None:
        super().__init__(
            Text(f"签名密钥 {key_id} 不受信任", f"signed with an unknown key {key_id}"),
        )
        self.key_id = key_id


class NoSuchDeadLetter(NotFound):
    """No dead-lettered dispatch has this event id (it never existed, or was replayed already)."""

    def __init__(self, event_id: str) -> None:
        super().__init__(
            Text("没有这条死信（可能已经重投）", "no such dead letter (it may have been replayed)"),
            detail=f"no dead letter with event id {event_id}",
        )
        self.event_id = event_id


# Conflicts


class ConcurrentUpdate(Conflict):
    """Another transaction changed the application since it was read; retry the command."""

    def __init__(self, application_id: str) -> None:
        super().__init__(
            Text(
                "申请刚被他人更改，请重试",
                f"application {application_id} was changed concurrently; retry",
            )
        )
        self.application_id = application_id


class DuplicateSubmission(Conflict):
    """An application with the same applicant and idempotency key already exists; `str()` names
    the keys."""

    def __init__(self, keys: str) -> None:
        super().__init__(
            Text("这件申请已经提交过", "an application with this idempotency key was submitted already"),
            detail=keys,
        )


class UploadsUnavailable(Conflict):
    """A submission names uploads that are not (or no longer) the applicant's to use: removed,
    used by another application, or of another material. `keys` names their materials."""

    def __init__(self, keys: Sequence[str]) -> None:
        super().__init__(
            Text(
                "所选的上传材料已不可用（已删除或已用于其他申请），请重新上传",
                "an uploaded material is no longer available (removed, or used by another "
                "application): upload it again",
            ),
            f"materials.{keys[0]}" if keys else "materials",
        )
        self.keys = list(keys)


class AlreadyRated(Conflict):
    """An application is rated once (一事一评); `str()` is its id."""

    def __init__(self, application_id: str) -> None:
        super().__init__(
            Text(
                "这件申请已经评价过（一事一评）", "this application has been rated already (one rating each)"
            ),
            detail=application_id,
        )
        self.application_id = application_id


class AccountTaken(Conflict):
    """An account with that name exists already; `str()` is the name."""

    def __init__(self, account: str) -> None:
        super().__init__(
            Text(f"账号 {account} 已被使用", f"the account name {account} is taken"), detail=account
        )
        self.account = account


class UnreadableAuditEntry(Conflict):
    """A stored audit entry is not a well-formed event any more: it was edited by hand, so the
    trail is in no state to be read (`yijianshi audit verify` says where)."""

    def __init__(self, index: int, event_id: str | None, reason: str) -> None:
        named = f"entry {index}" + (f" (id {event_id})" if event_id else "")
        super().__init__(
            Text(f"审计日志第 {index} 条无法读取：{reason}", f"{named} cannot be read: {reason}"),
        )
        self.index = index
        self.event_id = event_id


# Invalid input


class FormInvalid(Invalid):
    """The merged form has errors; `errors` has every field error, with zh-CN and en text, and
    `problems` the same located as `values.<key>`."""

    def __init__(self, errors: list[Problem[str]]) -> None:
        super().__init__(
            Text("表单有误，请按各字段的提示修改", "the form has errors; correct each field listed"),
            problems=[e.at(f"values.{e.where}") for e in errors],
            detail="; ".join(f"{e.where}: {e.message.en}" for e in errors),
        )
        self.errors = errors


class OutputsInvalid(Invalid):
    """A completion's outputs are missing or malformed: the message names every problem, `errors`
    has each keyed by output, and `problems` the same located as `outputs.<key>`."""

    def __init__(self, errors: list[Problem[str]]) -> None:
        super().__init__(
            Text(
                "办结结果有误：" + "；".join(e.message.zh for e in errors),
                "the outputs have errors: " + "; ".join(e.message.en for e in errors),
            ),
            problems=[e.at(f"outputs.{e.where}") for e in errors],
        )
        self.errors = errors


class RegistrationInvalid(Invalid):
    """A registration that cannot be made: `errors` has one error per field, in zh-CN and en."""

    def __init__(self, errors: list[Problem[str]]) -> None:
        super().__init__(
            Text(
                "登记信息有误，请按各字段的提示修改", "the registration has errors; correct each field listed"
            ),
            problems=errors,
            detail="; ".join(f"{e.where}: {e.message.en}" for e in errors),
        )
        self.errors = errors


class InputFileError(Invalid):
    """An input file could not be used (a catalogue, a spreadsheet, an answers file, a
    configuration); each of `findings` says where (file:line) and why, and `problems` holds the
    same. `str()` has one `file:line: message` line per finding."""

    def __init__(self, findings: list[Problem[Line]]) -> None:
        lines = "\n".join(str(f) for f in findings)
        super().__init__(Text("输入文件无法使用：\n" + lines, lines), problems=findings)
        self.findings = findings


# Logins


class InvalidToken(NotAuthenticated):
    """A token that is malformed, forged or expired; `str()` says which, in English."""

    def __init__(self, reason: str) -> None:
        super().__init__(Text("登录已失效，请重新登录", reason))
