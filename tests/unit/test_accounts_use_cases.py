"""The accounts area's use cases (services/accounts) on fakes: logins with lockout, tokens, local
accounts, demo accounts, and what window clerks do to identify and register applicants, with the
reads and registrations in the applicant's trail."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.clock import FixedClock
from tests.fakes import NOW, fake_context
from yijianshi.adapters.auth.tokens import JwtTokens
from yijianshi.adapters.memory.accounts import MemoryAccounts
from yijianshi.domain.accounts import LockoutPolicy, LoginState, Principal, Role
from yijianshi.services.accounts.applicant_lookup import (
    PURPOSE,
    READ,
    REGISTERED,
    RecordLookup,
    RecordRegistration,
    record_lookup,
    record_registration,
)
from yijianshi.services.accounts.local_accounts import (
    CreateAccount,
    EnsureDemoAccounts,
    FindApplicants,
    ReadApplicant,
    ReadApplicantIdNumber,
    applicant,
    applicant_id_number,
    create_account,
    demo_accounts,
    ensure_demo_accounts,
    find_applicants,
)
from yijianshi.services.accounts.logins import (
    LOCKED_OUT,
    WRONG_LOGIN,
    LogIn,
    ReadToken,
    log_in,
    read_token,
)
from yijianshi.services.accounts.ports import Account, Identity
from yijianshi.services.accounts.registration import (
    ALREADY_REGISTERED,
    MOBILE_TAKEN,
    RegisterApplicant,
    masked_id_number,
    register_applicant,
)
from yijianshi.services.audit.ports import trail
from yijianshi.services.errors import (
    AccountTaken,
    InvalidToken,
    Locked,
    NotAuthenticated,
    RegistrationInvalid,
)

ID_NUMBER = "11010519491231002X"
OTHER_ID_NUMBER = "330381199001011230"
CLERK = Principal("window-1", Role.CLERK, "窗口一号")


class FakePasswords:
    """A PasswordHasher without the cost of argon2: `plain$<password>`; hashes made by an older
    scheme (`old$...`) verify too but need a rehash. Counts the checks it makes."""

    def __init__(self) -> None:
        self.checks = 0

    def hash(self, password: str) -> str:
        return f"plain${password}"

    def verify(self, password_hash: str, password: str) -> bool:
        self.checks += 1
        return password_hash.split("$", 1)[1] == password

    def needs_rehash(self, password_hash: str) -> bool:
        return not password_hash.startswith("plain$")


def fake_identity(attempts: int = 3, minutes: int = 15) -> Identity:
    return Identity(
        MemoryAccounts(),
        FakePasswords(),
        JwtTokens("a-test-secret-long-enough-for-hs256-0123456789", dt.timedelta(minutes=30)),
        FixedClock(NOW),
        LockoutPolicy(attempts, minutes),
    )


def later(identity: Identity, delta: dt.timedelta) -> None:
    identity.clock.moment = NOW + delta  # type: ignore[attr-defined]


# Logins


def test_a_right_password_logs_in_with_a_token_naming_the_person() -> None:
    identity = fake_identity()
    create_account(
        identity, CreateAccount("dept-1", "民政局", Role.DEPARTMENT, "s3cret", department="ruian-civil")
    )
    logged_in = log_in(identity, LogIn("dept-1", "s3cret"))
    principal, token = logged_in.principal, logged_in.token
    assert principal == Principal("dept-1", Role.DEPARTMENT, "民政局", "ruian-civil")
    assert read_token(identity, ReadToken(token)) == principal


def test_a_wrong_password_and_an_unknown_account_are_refused_alike() -> None:
    identity = fake_identity()
    create_account(identity, CreateAccount("p1", "李秀英", Role.APPLICANT, "s3cret"))
    with pytest.raises(NotAuthenticated) as wrong:
        log_in(identity, LogIn("p1", "guess"))
    with pytest.raises(NotAuthenticated) as unknown:
        log_in(identity, LogIn("nobody", "guess"))
    assert type(wrong.value) is type(unknown.value) is NotAuthenticated
    assert wrong.value.message == unknown.value.message == WRONG_LOGIN
    assert identity.hasher.checks == 2  # type: ignore[attr-defined]  # an unknown name takes a check too


def test_an_account_is_locked_after_repeated_failed_logins_even_against_the_right_password() -> None:
    identity = fake_identity(attempts=3, minutes=15)
    create_account(identity, CreateAccount("p1", "李秀英", Role.APPLICANT, "s3cret"))
    for _ in range(2):
        with pytest.raises(NotAuthenticated):
            log_in(identity, LogIn("p1", "guess"))
    with pytest.raises(Locked) as third:
        log_in(identity, LogIn("p1", "guess"))
    assert third.value.message == LOCKED_OUT
    later(identity, dt.timedelta(minutes=14))
    with pytest.raises(Locked):
        log_in(identity, LogIn("p1", "s3cret"))


def test_a_locked_account_logs_in_again_once_the_lock_ends() -> None:
    identity = fake_identity(attempts=1, minutes=15)
    create_account(identity, CreateAccount("p1", "李秀英", Role.APPLICANT, "s3cret"))
    with pytest.raises(Locked):
        log_in(identity, LogIn("p1", "guess"))
    later(identity, dt.timedelta(minutes=15))
    principal = log_in(identity, LogIn("p1", "s3cret")).principal
    assert principal.account == "p1"
    assert identity.accounts.get("p1").login == LoginState()  # type: ignore[union-attr]


def test_a_good_login_forgets_the_failures_before_it() -> None:
    identity = fake_identity(attempts=3)
    create_account(identity, CreateAccount("p1", "李秀英", Role.APPLICANT, "s3cret"))
    for _ in range(2):
        with pytest.raises(NotAuthenticated):
            log_in(identity, LogIn("p1", "guess"))
    log_in(identity, LogIn("p1", "s3cret"))
    for _ in range(2):  # two more failures do not lock: the count started again
        with pytest.raises(NotAuthenticated):
            log_in(identity, LogIn("p1", "guess"))
    assert identity.accounts.get("p1").login.failures == 2  # type: ignore[union-attr]


def test_a_password_hashed_the_old_way_is_rehashed_at_the_next_login() -> None:
    identity = fake_identity()
    identity.accounts.add(Account("p1", "李秀英", Role.APPLICANT, "old$s3cret"))
    log_in(identity, LogIn("p1", "s3cret"))
    assert identity.accounts.get("p1").password_hash == "plain$s3cret"  # type: ignore[union-attr]


def test_a_token_expires_and_a_forged_one_is_refused() -> None:
    identity = fake_identity()
    create_account(identity, CreateAccount("p1", "李秀英", Role.APPLICANT, "s3cret"))
    token = log_in(identity, LogIn("p1", "s3cret")).token
    with pytest.raises(InvalidToken):
        read_token(identity, ReadToken(token[:-4] + "AAAA"))
    later(identity, dt.timedelta(minutes=30))
    with pytest.raises(InvalidToken) as expired:
        read_token(identity, ReadToken(token))
    assert expired.value.message.zh == "登录已失效，请重新登录"


# Accounts


def test_an_account_name_is_taken_once() -> None:
    identity = fake_identity()
    create_account(identity, CreateAccount("p1", "李秀英", Role.APPLICANT, "s3cret"))
    with pytest.raises(AccountTaken) as raised:
        create_account(identity, CreateAccount("p1", "王芳", Role.APPLICANT, "other"))
    assert "p1" in raised.value.message.en
    assert identity.accounts.get("p1").name == "李秀英"  # type: ignore[union-attr]


def test_only_applicants_are_found_and_looked_up_as_applicants() -> None:
    identity = fake_identity()
    create_account(identity, CreateAccount("p1", "李秀英", Role.APPLICANT, "x", id_number=ID_NUMBER))
    create_account(identity, CreateAccount("c1", "李窗口", Role.CLERK, "x"))
    assert [a.account for a in find_applicants(identity, FindApplicants(text="李"))] == ["p1"]
    assert [a.account for a in find_applicants(identity, FindApplicants(id_number=ID_NUMBER))] == ["p1"]
    assert applicant(identity, ReadApplicant("c1")) is None
    assert applicant(identity, ReadApplicant("p1")) is not None
    assert applicant_id_number(identity, ReadApplicantIdNumber("p1")) == ID_NUMBER
    assert applicant_id_number(identity, ReadApplicantIdNumber("nobody")) is None


def test_a_registration_at_the_window_makes_an_applicant_who_logs_in_with_the_mobile_number() -> None:
    identity = fake_identity()
    registered = register_applicant(
        identity, RegisterApplicant(" 李秀英 ", "110105 19491231 002x", "+86 139-1234-5678")
    )
    assert (registered.account.account, registered.account.name, registered.account.id_number) == (
        "13912345678",
        "李秀英",
        ID_NUMBER,
    )
    assert registered.account.role is Role.APPLICANT
    assert len(registered.password) == 19
    assert registered.password.count("-") == 3
    principal = log_in(identity, LogIn("13912345678", registered.password)).principal
    assert principal.role is Role.APPLICANT


def test_a_registration_without_mobile_gets_a_generated_account_name() -> None:
    identity = fake_identity()
    registered = register_applicant(identity, RegisterApplicant("李秀英", ID_NUMBER))
    name = registered.account.account
    assert name.startswith("u")
    assert len(name) == 9
    assert name[1:].isdigit()


def test_a_registration_lists_every_field_error_at_once_in_chinese_and_english() -> None:
    identity = fake_identity()
    with pytest.raises(RegistrationInvalid) as raised:
        register_applicant(identity, RegisterApplicant("", "11010519491231002", "12345"))
    errors = {e.where: e.message for e in raised.value.errors}
    assert set(errors) == {"name", "id_number", "mobile"}
    assert "(this has 17)" in errors["id_number"].en
    assert "17" in errors["id_number"].zh
    assert [str(p.where) for p in raised.value.problems] == ["name", "id_number", "mobile"]
    assert identity.accounts.all() == []


@pytest.mark.parametrize(
    ("id_number", "says"),
    [
        ("11010519491231002Y", "17 digits, then a digit or X"),
        ("110105194902300021", "19490230, which does not exist"),
        ("110105194912310021", "check character"),
    ],
)
def test_a_mistyped_id_number_is_explained(id_number: str, says: str) -> None:
    with pytest.raises(RegistrationInvalid) as raised:
        register_applicant(fake_identity(), RegisterApplicant("李秀英", id_number))
    (error,) = raised.value.errors
    assert error.where == "id_number"
    assert says in error.message.en


def test_an_id_number_registered_already_or_a_mobile_number_taken_is_refused() -> None:
    identity = fake_identity()
    register_applicant(identity, RegisterApplicant("李秀英", ID_NUMBER, "13912345678"))
    with pytest.raises(RegistrationInvalid) as again:
        register_applicant(identity, RegisterApplicant("李秀英", ID_NUMBER))
    assert [(e.where, e.message) for e in again.value.errors] == [("id_number", ALREADY_REGISTERED)]
    with pytest.raises(RegistrationInvalid) as taken:
        register_applicant(identity, RegisterApplicant("王芳", OTHER_ID_NUMBER, "139 1234 5678"))
    assert [(e.where, e.message) for e in taken.value.errors] == [("mobile", MOBILE_TAKEN)]
    assert len(identity.accounts.all()) == 1


def test_lists_show_an_id_number_masked_but_for_its_first_and_last_four() -> None:
    assert masked_id_number(ID_NUMBER) == "1101**********002X"
    assert masked_id_number("12345678") == "********"
    assert masked_id_number(None) == ""


def test_demo_accounts_are_made_once_and_get_the_new_password_unlocked_each_time() -> None:
    identity = fake_identity(attempts=1)
    wanted = demo_accounts({"ruian-civil": "民政局"})
    ensure_demo_accounts(identity, EnsureDemoAccounts(wanted, "first", ID_NUMBER))
    assert [(a.account, a.role) for a in identity.accounts.all()] == [
        ("admin", Role.ADMIN),
        ("citizen", Role.APPLICANT),
        ("clerk", Role.CLERK),
        ("dept-ruian-civil", Role.DEPARTMENT),
    ]
    assert applicant_id_number(identity, ReadApplicantIdNumber("citizen")) == ID_NUMBER
    assert applicant_id_number(identity, ReadApplicantIdNumber("clerk")) is None
    with pytest.raises(Locked):
        log_in(identity, LogIn("clerk", "wrong"))
    ensure_demo_accounts(identity, EnsureDemoAccounts(wanted, "second", ID_NUMBER))
    principal = log_in(identity, LogIn("clerk", "second")).principal
    assert principal.role is Role.CLERK
    principal = log_in(identity, LogIn("dept-ruian-civil", "second")).principal
    assert principal.department == "ruian-civil"


# The applicant's trail


def test_a_clerks_search_is_a_read_in_each_found_applicants_trail() -> None:
    context = fake_context()
    found = [
        Account("p1", "李秀英", Role.APPLICANT, "h", id_number=ID_NUMBER),
        Account("p2", "李明", Role.APPLICANT, "h"),
    ]
    record_lookup(context, RecordLookup(CLERK, "name", found))
    with context.unit_of_work() as uow:
        for account in ("p1", "p2"):
            (entry,) = uow.audit.log(trail(account))
            assert (entry.type, entry.actor, entry.subject, entry.purpose) == (
                READ,
                "clerk:window-1",
                account,
                PURPOSE,
            )
            assert entry.data["searched_by"] == "name"


def test_a_search_that_finds_no_one_records_nothing() -> None:
    context = fake_context()
    record_lookup(context, RecordLookup(CLERK, "id_number", []))
    with context.unit_of_work() as uow:
        assert uow.audit.application_ids() == []


def test_a_registration_at_the_window_is_in_the_new_applicants_trail() -> None:
    context = fake_context()
    record_registration(
        context, RecordRegistration(CLERK, Account("13912345678", "李秀英", Role.APPLICANT, "h"))
    )
    with context.unit_of_work() as uow:
        (entry,) = uow.audit.log(trail("13912345678"))
    assert (entry.type, entry.actor, entry.time, entry.data) == (
        REGISTERED,
        "clerk:window-1",
        NOW,
        {"role": "applicant"},
    )
