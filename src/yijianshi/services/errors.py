"""Errors the use cases raise: one family, each with a message in zh-CN and en, and no HTTP status.

    ServiceError                message: Text (what is wrong and what to do), field: where, if anywhere
    ├── NotFound                nothing there, or nothing the caller may see (the two are not told apart)
    ├── Conflict                not in the state the request needs (finished, done before, changed meanwhile)
    ├── Invalid                 an input is wrong; `problems` lists every field that is, each located
    │   ├── TooLarge            a file or body over its limit
    │   └── UnsupportedType     a file of a kind that is not accepted
    ├── Forbidden               the caller may not do this
    │   ├── NotAuthenticated    no valid login: a wrong password, a forged or expired token
    │   └── Locked              an account locked after repeated failed logins
    └── Unavailable             a store or another system is out of reach; retry later

The API answers each kind with its HTTP status in one place (`entrypoints/api/problems.py`), the
pages in theirs, the CLI with its exit code; nothing here knows of HTTP.
"""

from __future__ import annotations

from collections.abc import Sequence

from yijianshi.domain.text import Text


class ServiceError(Exception):
    """Base of the family: `message` says what is wrong and what to do, in zh-CN and en; `field`
    names the input it concerns (`values.mother.id_number`, `materials.<key>`, `file`), if any."""

    def __init__(self, message: Text, field: str | None = None) -> None:
        super().__init__(message.en)
        self.message = message
        self.field = field


class NotFound(ServiceError):
    """Nothing there, or nothing the caller may see: both are answered alike, so that a refusal
    tells no more than "there is nothing here for you"."""


class Conflict(ServiceError):
    """The thing is not in a state that allows the request: finished, done before, changed
    meanwhile."""


class Invalid(ServiceError):
    """An input is wrong. `problems` lists every field that is, each as (field, message); `field`
    is the first of them."""

    def __init__(
        self,
        message: Text,
        field: str | None = None,
        problems: Sequence[tuple[str, Text]] = (),
    ) -> None:
        listed = tuple(problems)
        if not listed and field is not None:
            listed = ((field, message),)
        super().__init__(message, field or (listed[0][0] if listed else None))
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
    """A store or another system is out of reach; the same request may succeed later."""


class StorageUnavailable(Unavailable):
    """The database cannot be used: a URL of an unsupported kind, or a server out of reach.
    `str()` is the detail, for an operator."""

    def __init__(self, detail: str) -> None:
        super().__init__(Text(f"数据库暂不可用：{detail}", detail))


class Refused(ServiceError):
    """Deprecated while the move to the family above is under way: a refusal with an HTTP status."""

    def __init__(self, status: int, message: Text, field: str | None = None) -> None:
        super().__init__(message, field)
        self.status = status
