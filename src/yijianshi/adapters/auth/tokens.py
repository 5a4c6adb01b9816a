"""Signed short-lived bearer tokens: JWT (HS256) with an expiry, the role and the department.

The same claims an OIDC provider's ID token carries (`sub`, `exp`, `iat`, `iss`, `aud`), so a
deployment that trusts an identity provider swaps this signer for one verifying the provider's keys.
"""

from __future__ import annotations

import datetime as dt

import jwt

from yijianshi.domain.accounts import Principal, Role
from yijianshi.services.accounts.ports import InvalidToken

ISSUER = "yijianshi"
AUDIENCE = "yijianshi-api"


class JwtTokens:
    def __init__(self, secret: str, lifetime: dt.timedelta) -> None:
        if len(secret.encode("utf-8")) < 32:
            raise ValueError("the token secret must be at least 32 bytes")
        self._secret = secret
        self._lifetime = lifetime

    def issue(self, principal: Principal, now: dt.datetime) -> str:
        claims = {
            "sub": principal.account,
            "role": principal.role.value,
            "name": principal.name,
            "dept": principal.department,
            "iat": now,
            "exp": now + self._lifetime,
            "iss": ISSUER,
            "aud": AUDIENCE,
        }
        return jwt.encode(claims, self._secret, algorithm="HS256")

    def read(self, token: str, now: dt.datetime) -> Principal:
        try:
            claims = jwt.decode(
                token,
                self._secret,
                algorithms=["HS256"],
                audience=AUDIENCE,
                issuer=ISSUER,
                options={"verify_exp": False, "require": ["sub", "exp", "role"]},
            )
            role = Role(claims["role"])
        except (jwt.PyJWTError, ValueError, KeyError):
            raise InvalidToken("the token is malformed or its signature does not match") from None
        if now.timestamp() >= float(claims["exp"]):  # against the injected clock, not the system's
            raise InvalidToken("the token has expired; log in again")
        return Principal(str(claims["sub"]), role, str(claims.get("name") or ""), claims.get("dept"))
