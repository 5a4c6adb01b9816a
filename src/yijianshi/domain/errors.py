"""Errors the domain raises.

DomainError
├── CalendarOutOfRange      a date in a year no schedule covers
├── RuleError               a rule that does not parse or names what does not exist
├── UnknownBundle           no bundle has that code
├── InvalidAnswers          guidance answers that name unknown questions or options
├── IllegalTransition       a case asked to move where its state machine does not go
├── InvalidAuditEvent       an audit event attribute missing, ill-typed or ill-formed
├── InvalidCertificate      an electronic certificate field missing or ill-formed
└── InvalidPurpose          a purpose (申请事由) empty or longer than 200 characters
"""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error the domain raises on purpose."""


class CalendarOutOfRange(DomainError):
    """No holiday schedule is known for a year, official or provisional."""

    def __init__(self, year: int) -> None:
        super().__init__(
            f"no working-day schedule is known for {year}: load the official schedule with an override file"
        )
        self.year = year


class RuleError(DomainError):
    """A rule is malformed; `position` is the 0-based character offset in the rule text."""

    def __init__(self, message: str, position: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.position = position


class UnknownBundle(DomainError):
    """The catalogue has no bundle with the requested code."""

    def __init__(self, code: str, known: list[str]) -> None:
        super().__init__(f"no bundle {code!r}; known bundles: {', '.join(known) or 'none'}")
        self.code = code


class InvalidAnswers(DomainError):
    """Guidance answers do not fit the bundle's questions; one message per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class IllegalTransition(DomainError):
    """A case cannot go from its current state to the one asked for."""

    def __init__(self, case: str, state: str, target: str) -> None:
        super().__init__(f"case {case} is {state} and cannot become {target}")
        self.case = case
        self.state = state
        self.target = target


class InvalidAuditEvent(DomainError):
    """An audit event attribute is missing, of the wrong type or ill-formed; `attribute` names it."""

    def __init__(self, attribute: str, reason: str) -> None:
        super().__init__(f"audit event attribute {attribute!r} {reason}")
        self.attribute = attribute
        self.reason = reason


class InvalidCertificate(DomainError):
    """An electronic certificate's field is missing, ill-formed or inconsistent; `field` names it."""

    def __init__(self, field: str, reason: str, zh: str = "") -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason
        self.zh = zh or reason  # the reason in Chinese, where a citizen reads it


class InvalidPurpose(DomainError):
    """A stated purpose (申请事由) for using shared data is empty or too long; `message` has zh and en."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{en} ({zh})")
        self.zh = zh
        self.en = en
