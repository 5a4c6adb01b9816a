"""Use cases of logging in: a password for a token (with lockout after repeated failures), and the
principal a token names."""

from __future__ import annotations

from dataclasses import dataclass

from yijianshi.domain.accounts import Principal
from yijianshi.domain.text import Text
from yijianshi.services.accounts.ports import Identity
from yijianshi.services.errors import Locked, NotAuthenticated

# A refused login does not say which account names exist.
WRONG_LOGIN = Text("账号或密码错误", "wrong account name or password")
LOCKED_OUT = Text(
    "多次登录失败，账户已暂时锁定，请稍后再试",
    "too many failed logins: the account is locked for a while; try later",
)


@dataclass(frozen=True, slots=True)
class LogIn:
    """Command: someone logs in to `account` with `password`."""

    account: str
    password: str


@dataclass(frozen=True, slots=True)
class LoggedIn:
    """Who logged in, and a fresh token naming them (a bearer token or the session cookie)."""

    principal: Principal
    token: str


def log_in(identity: Identity, command: LogIn) -> LoggedIn:
    """The principal and a fresh token; raise NotAuthenticated (wrong account or password, alike)
    or Locked. Failures count toward lockout; a locked account refuses even the right password
    until the lock ends. An unknown account takes a password check too, as long as a real one."""
    account, password = command.account, command.password
    accounts, hasher = identity.accounts, identity.hasher
    now = identity.clock.now()
    found = accounts.get(account)
    if found is None:
        hasher.verify(identity.dummy_hash, password)  # as long as a real check takes
        raise NotAuthenticated(WRONG_LOGIN)
    if found.login.locked(now):
        raise Locked(LOCKED_OUT)
    if not hasher.verify(found.password_hash, password):
        state = found.login.after_failure(now, identity.lockout)
        accounts.set_login(account, state)
        raise Locked(LOCKED_OUT) if state.locked(now) else NotAuthenticated(WRONG_LOGIN)
    if found.login != found.login.after_success():
        accounts.set_login(account, found.login.after_success())
    if hasher.needs_rehash(found.password_hash):
        accounts.set_password_hash(account, hasher.hash(password))
    return LoggedIn(found.principal, identity.tokens.issue(found.principal, now))


@dataclass(frozen=True, slots=True)
class ReadToken:
    """Command: learn whom a bearer token or session cookie names."""

    token: str


def read_token(identity: Identity, command: ReadToken) -> Principal:
    """The principal the token was issued to; raise InvalidToken (forged, malformed or expired)."""
    return identity.tokens.read(command.token, identity.clock.now())
