import datetime as dt

import pytest

from tests.factories import MONDAY, plain_calendar
from yijianshi.domain.cases import Application, ApplicationStatus, Case, CaseState, Colour
from yijianshi.domain.errors import IllegalTransition
from yijianshi.domain.text import Text

AT = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
REASON = Text("材料不符合要求", "the materials do not meet the requirements")


def at(days: int) -> dt.datetime:
    return AT + dt.timedelta(days=days)


def newborn() -> Application:
    """hospital -> police -> insurance; hospital -> benefit (deferrable)."""
    cases = [
        Case("c1", "birth-certificate", "hospital", 0),
        Case("c2", "household", "police", 1, upstream=("c1",)),
        Case("c3", "insurance", "insurance", 0, upstream=("c2",)),
        Case("c4", "benefit", "insurance", 5, upstream=("c1",), deferrable=True),
    ]
    return Application("a1", "birth", "applicant-1", {c.id: c for c in cases})


def run_to_acceptance(case: Case) -> None:
    case.dispatch(AT)
    case.accept(AT)


def test_only_cases_without_upstream_start_ready() -> None:
    app = newborn()
    assert [c.id for c in app.start(AT)] == ["c1"]
    assert app.case("c2").state is CaseState.WAITING


def test_outputs_of_a_completed_case_flow_to_the_cases_waiting_for_them() -> None:
    app = newborn()
    app.start(AT)
    run_to_acceptance(app.case("c1"))
    ready = app.complete_case("c1", {"child.birth_medical_certificate_no": "Q330381001"}, AT)
    assert [c.id for c in ready] == ["c2", "c4"]
    assert app.data["child.birth_medical_certificate_no"] == "Q330381001"


def test_a_rejected_case_blocks_everything_downstream_with_a_readable_reason() -> None:
    app = newborn()
    app.start(AT)
    run_to_acceptance(app.case("c1"))
    app.complete_case("c1", {}, AT)
    app.case("c2").dispatch(AT)
    blocked = app.end_case("c2", REASON, AT)
    assert [c.id for c in blocked] == ["c3"]
    assert app.case("c3").reason is not None
    assert "household" in app.case("c3").reason.en
    assert app.case("c4").state is CaseState.READY


def test_illegal_transitions_raise_and_change_nothing() -> None:
    case = Case("c1", "x", "d", 1)
    with pytest.raises(IllegalTransition, match="case c1 is waiting and cannot become accepted"):
        case.accept(AT)
    assert case.state is CaseState.WAITING
    assert case.events == []


def test_a_final_case_cannot_be_withdrawn_or_completed_again() -> None:
    case = Case("c1", "x", "d", 1, state=CaseState.READY)
    case.dispatch(AT)
    case.accept(AT)
    case.complete({}, AT)
    for action in (lambda: case.withdraw(AT), lambda: case.complete({}, AT)):
        with pytest.raises(IllegalTransition):
            action()


def test_every_transition_is_recorded_as_an_event() -> None:
    case = Case("c1", "x", "d", 1, state=CaseState.READY)
    case.dispatch(at(0))
    case.accept(at(0))
    case.request_supplement(Text("请补充户口簿", "add the household booklet"), at(1))
    case.supplement({"household_booklet": "file-1"}, at(2))
    case.complete({"child.id_number": "x"}, at(3))
    assert [e.type for e in case.events] == [
        "case.sent",
        "case.accepted",
        "case.supplement_requested",
        "case.supplemented",
        "case.completed",
    ]


def test_the_deadline_counts_working_days_from_acceptance() -> None:
    case = Case("c1", "x", "d", 5, state=CaseState.READY)
    case.dispatch(AT)
    case.accept(AT)
    assert case.deadline(plain_calendar(), MONDAY) == dt.date(2026, 3, 9)


def test_a_supplement_stops_the_clock() -> None:
    calendar = plain_calendar()
    case = Case("c1", "x", "d", 5, state=CaseState.READY)
    case.dispatch(AT)
    case.accept(AT)  # Monday 2 March
    case.request_supplement(REASON, at(1))  # Tuesday
    case.supplement({}, at(3))  # Thursday: 2 working days paused
    assert case.deadline(calendar, dt.date(2026, 3, 5)) == dt.date(2026, 3, 11)


def test_yellow_at_eighty_percent_and_red_when_overdue() -> None:
    calendar = plain_calendar()
    case = Case("c1", "x", "d", 5, state=CaseState.READY)
    case.dispatch(AT)
    case.accept(AT)
    assert case.colour(calendar, dt.date(2026, 3, 5)) is Colour.GREEN  # 3 of 5 used
    assert case.colour(calendar, dt.date(2026, 3, 6)) is Colour.YELLOW  # 4 of 5
    assert case.colour(calendar, dt.date(2026, 3, 9)) is Colour.YELLOW  # the last day
    assert case.colour(calendar, dt.date(2026, 3, 10)) is Colour.RED
    case.complete({}, at(8))
    assert case.colour(calendar, dt.date(2026, 3, 10)) is Colour.GREEN


def test_the_application_status_is_derived_from_its_cases() -> None:
    app = newborn()
    app.start(AT)
    assert app.status is ApplicationStatus.IN_PROGRESS
    run_to_acceptance(app.case("c1"))
    app.case("c1").request_supplement(REASON, AT)
    assert app.status is ApplicationStatus.ACTION_REQUIRED
    app.case("c1").supplement({}, AT)
    app.complete_case("c1", {}, AT)
    app.case("c4").defer(AT)
    for code in ("c2", "c3"):
        run_to_acceptance(app.case(code))
        app.complete_case(code, {}, AT)
    assert app.status is ApplicationStatus.COMPLETED  # the deferred benefit does not hold it open


def test_an_application_with_a_refused_item_is_partially_completed() -> None:
    app = newborn()
    app.start(AT)
    run_to_acceptance(app.case("c1"))
    app.complete_case("c1", {}, AT)
    app.case("c2").dispatch(AT)
    app.end_case("c2", REASON, AT)
    run_to_acceptance(app.case("c4"))
    app.complete_case("c4", {}, AT)
    assert app.status is ApplicationStatus.PARTIALLY_COMPLETED


def test_withdrawing_ends_every_open_case() -> None:
    app = newborn()
    app.start(AT)
    assert len(app.withdraw(AT)) == 4
    assert app.status is ApplicationStatus.WITHDRAWN


def test_only_a_deferrable_case_may_be_deferred() -> None:
    app = newborn()
    with pytest.raises(IllegalTransition):
        app.case("c2").defer(AT)
    app.case("c4").defer(AT)
    assert app.case("c4").deferred
