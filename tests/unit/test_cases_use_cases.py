"""Use cases of the cases area through the fake context (tests/fakes.py): what departments
decide, what applicants do to their cases, time limits, ratings and the figures over them."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.fakes import (
    CHILD_ID,
    HOSPITAL_OUTPUTS,
    NOW,
    RecordingGateway,
    case_of,
    clock_of,
    fake_context,
    submit_birth,
)
from yijianshi.domain.accounts import Principal, Role
from yijianshi.domain.cases import Colour
from yijianshi.domain.errors import IllegalTransition
from yijianshi.domain.ratings import RatingLevel, RectificationStatus
from yijianshi.domain.text import Text
from yijianshi.services.applications.queries import ListApplications, applications_of
from yijianshi.services.cases.actions import (
    DecideCase,
    SupplementCase,
    WithdrawApplication,
    department_decision,
    supplement_case,
    withdraw_application,
)
from yijianshi.services.cases.deadlines import (
    ListDeadlineWarnings,
    RecordTimeLimits,
    deadline_warnings,
    record_time_limits,
)
from yijianshi.services.cases.decisions import (
    AcceptCase,
    AnswerCase,
    RejectCase,
    RequestSupplement,
    Supplement,
    accept_case,
    answer_case,
    answer_cases,
    reject_case,
    request_supplement,
    supplement,
)
from yijianshi.services.cases.ratings import (
    ListRectifications,
    RateApplication,
    ReadRating,
    ReplyToRectification,
    rate_application,
    rated_rectifications,
    rating_of,
    rectifications_of,
    reply_to_rectification,
)
from yijianshi.services.cases.statistics import ComputeStatistics, statistics
from yijianshi.services.context import Context
from yijianshi.services.delivery.dispatching import DeliverDue, deliver_pending
from yijianshi.services.delivery.ports import AnswerCases
from yijianshi.services.errors import AlreadyRated, Conflict, Invalid, NotFound, OutputsInvalid

PARENT = Principal("parent-1", Role.APPLICANT, "李秀英")
STRANGER = Principal("parent-2", Role.APPLICANT, "王伟")
HOSPITAL = Principal("doctor-1", Role.DEPARTMENT, "陈医生", "ruian-hospital")
POLICE = Principal("officer-1", Role.DEPARTMENT, "赵警官", "ruian-psb")
INSURANCE = Principal("clerk-1", Role.DEPARTMENT, "孙科员", "ruian-medical-insurance")
HEALTH = Principal("officer-2", Role.DEPARTMENT, "周科长", "ruian-health")
REASON = Text("出生医学证明信息与病历不符", "the certificate does not match the medical record")
ASK = Text("请补充单位名称", "give the employer's name")


def states(context: Context, application_id: str) -> dict[str, str]:
    with context.unit_of_work() as uow:
        application = uow.applications.get(application_id)
    assert application is not None
    return {c.item: c.state.value for c in application.cases.values()}


def status(context: Context, application_id: str) -> str:
    (row,) = [r for r in applications_of(context, ListApplications(PARENT.account)) if r.id == application_id]
    return row.status


def trail(context: Context, application_id: str) -> list[str]:
    with context.unit_of_work() as uow:
        return [e.type.removeprefix("org.yijianshi.") for e in uow.audit.log(application_id)]


def born(context: Context) -> str:
    """A birth whose hospital case is completed: the next cases went out."""
    application_id = submit_birth(context)
    hospital = case_of(context, application_id, "birth-medical-certificate").id
    department_decision(context, DecideCase(HOSPITAL, hospital, "accept"))
    department_decision(context, DecideCase(HOSPITAL, hospital, "complete", outputs=HOSPITAL_OUTPUTS))
    return application_id


def accepted(context: Context, application_id: str, item: str, staff: Principal) -> str:
    case_id = case_of(context, application_id, item).id
    department_decision(context, DecideCase(staff, case_id, "accept"))
    return case_id


# A department's decisions


def test_the_hospital_completing_its_case_sends_the_cases_waiting_for_its_outputs() -> None:
    context = fake_context()
    application_id = born(context)
    after = states(context, application_id)
    assert after["birth-medical-certificate"] == "completed"
    assert after["birth-household-registration"] == "sent"
    assert after["vaccination-certificate"] == "sent"
    assert after["resident-medical-insurance-enrolment"] == "waiting"  # also waits for the police
    gateway = RecordingGateway()
    deliver_pending(context, DeliverDue(), gateway)
    to_police = next(d for d in gateway.delivered if d.department == "ruian-psb")
    assert to_police.data["child.birth_medical_certificate_no"] == "Q330381260001"  # the output flowed


def test_every_decision_is_in_the_trail_with_the_staff_member_who_made_it() -> None:
    context = fake_context()
    application_id = born(context)
    with context.unit_of_work() as uow:
        log = uow.audit.log(application_id)
    decided = [(e.type, e.actor) for e in log if e.type.endswith(("accepted", "completed"))]
    assert decided == [
        ("org.yijianshi.case.accepted", "department:doctor-1"),
        ("org.yijianshi.case.completed", "department:doctor-1"),
    ]


def test_a_completion_missing_or_malforming_outputs_is_refused_per_output_and_changes_nothing() -> None:
    context = fake_context()
    application_id = submit_birth(context)
    case_id = accepted(context, application_id, "birth-medical-certificate", HOSPITAL)
    outputs = {**HOSPITAL_OUTPUTS, "child.sex": "9"}
    del outputs["child.birth_place"]
    with pytest.raises(OutputsInvalid) as refused:
        department_decision(context, DecideCase(HOSPITAL, case_id, "complete", outputs=outputs))
    assert {str(p.where) for p in refused.value.problems} == {
        "outputs.child.sex",
        "outputs.child.birth_place",
    }
    assert states(context, application_id)["birth-medical-certificate"] == "accepted"


def test_the_police_cannot_complete_a_household_registration_with_an_id_number_that_fails_its_check() -> None:
    context = fake_context()
    application_id = born(context)
    case_id = accepted(context, application_id, "birth-household-registration", POLICE)
    with pytest.raises(OutputsInvalid) as refused:
        department_decision(
            context, DecideCase(POLICE, case_id, "complete", outputs={"child.id_number": CHILD_ID[:-1] + "9"})
        )
    assert [str(p.where) for p in refused.value.problems] == ["outputs.child.id_number"]
    department_decision(
        context, DecideCase(POLICE, case_id, "complete", outputs={"child.id_number": CHILD_ID})
    )
    assert states(context, application_id)["birth-household-registration"] == "completed"


def test_a_rejection_blocks_every_case_downstream_with_a_reason_naming_the_item() -> None:
    context = fake_context()
    application_id = submit_birth(context)
    case_id = accepted(context, application_id, "birth-medical-certificate", HOSPITAL)
    department_decision(context, DecideCase(HOSPITAL, case_id, "reject", text=REASON))
    assert set(states(context, application_id).values()) == {"rejected", "blocked"}
    police = case_of(context, application_id, "birth-household-registration")
    assert police.reason is not None
    assert "birth-medical-certificate" in police.reason.en
    assert status(context, application_id) == "rejected"
    assert deliver_pending(context, DeliverDue(), RecordingGateway()) == 1  # the first only


def test_another_departments_case_is_not_found_as_is_a_case_not_sent_yet() -> None:
    context = fake_context()
    application_id = submit_birth(context)
    hospital = case_of(context, application_id, "birth-medical-certificate").id
    waiting = case_of(context, application_id, "birth-household-registration").id
    with pytest.raises(NotFound):
        department_decision(context, DecideCase(POLICE, hospital, "accept"))
    with pytest.raises(NotFound):
        department_decision(context, DecideCase(POLICE, waiting, "accept"))
    with pytest.raises(NotFound):
        department_decision(context, DecideCase(POLICE, "no-such-case", "accept"))
    assert states(context, application_id)["birth-medical-certificate"] == "sent"


def test_a_case_cannot_be_completed_before_it_is_accepted() -> None:
    context = fake_context()
    application_id = submit_birth(context)
    case_id = case_of(context, application_id, "birth-medical-certificate").id
    with pytest.raises(IllegalTransition):
        department_decision(context, DecideCase(HOSPITAL, case_id, "complete", outputs=HOSPITAL_OUTPUTS))
    assert states(context, application_id)["birth-medical-certificate"] == "sent"


# Supplements and withdrawal


def test_a_supplement_request_needs_the_applicant_and_their_answer_resumes_the_clock() -> None:
    context = fake_context()  # Monday 2 March
    application_id = born(context)
    case_id = accepted(context, application_id, "maternity-benefits", INSURANCE)
    clock_of(context).moment = NOW + dt.timedelta(days=1)
    department_decision(context, DecideCase(INSURANCE, case_id, "request_supplement", text=ASK))
    assert status(context, application_id) == "action_required"
    assert case_of(context, application_id, "maternity-benefits").reason == ASK

    clock_of(context).moment = NOW + dt.timedelta(days=3)  # Thursday: two working days paused
    supplement_case(
        context,
        SupplementCase(
            PARENT, "parent-1", application_id, case_id, {"mother.employer_name": "瑞安市塘下镇卫生院"}
        ),
    )
    assert states(context, application_id)["maternity-benefits"] == "accepted"
    assert status(context, application_id) == "in_progress"
    (warning,) = deadline_warnings(
        context, ListDeadlineWarnings("ruian-medical-insurance", include_green=True)
    )
    assert warning.deadline == dt.date(2026, 3, 11)  # five working days from Monday, plus two


def test_a_supplement_is_refused_when_none_is_asked_when_empty_or_naming_an_unknown_field() -> None:
    context = fake_context()
    application_id = born(context)
    case_id = accepted(context, application_id, "maternity-benefits", INSURANCE)
    with pytest.raises(Conflict):
        supplement_case(
            context,
            SupplementCase(PARENT, "parent-1", application_id, case_id, {"mother.employer_name": "x"}),
        )
    department_decision(context, DecideCase(INSURANCE, case_id, "request_supplement", text=ASK))
    with pytest.raises(Invalid) as empty:
        supplement_case(context, SupplementCase(PARENT, "parent-1", application_id, case_id, {}))
    assert empty.value.field == "values"
    with pytest.raises(Invalid) as unknown:
        supplement_case(
            context,
            SupplementCase(PARENT, "parent-1", application_id, case_id, {"child.id_number": CHILD_ID}),
        )
    assert unknown.value.field == "values.child.id_number"
    with pytest.raises(NotFound):
        supplement_case(
            context,
            SupplementCase(STRANGER, "parent-2", application_id, case_id, {"mother.employer_name": "x"}),
        )
    assert states(context, application_id)["maternity-benefits"] == "supplement_requested"


def test_withdrawing_ends_every_open_case_and_cannot_be_done_twice() -> None:
    context = fake_context()
    application_id = born(context)
    with pytest.raises(NotFound):
        withdraw_application(context, WithdrawApplication(STRANGER, "parent-2", application_id))
    withdraw_application(context, WithdrawApplication(PARENT, "parent-1", application_id))
    after = states(context, application_id)
    assert after.pop("birth-medical-certificate") == "completed"
    assert set(after.values()) == {"withdrawn"}
    assert status(context, application_id) == "partially_completed"
    with pytest.raises(Conflict):
        withdraw_application(context, WithdrawApplication(PARENT, "parent-1", application_id))


def test_a_clerk_withdrawing_for_an_applicant_is_named_in_the_trail_with_them() -> None:
    context = fake_context()
    application_id = submit_birth(context)
    withdraw_application(
        context, WithdrawApplication(Principal("window-1", Role.CLERK, "窗口"), "parent-1", application_id)
    )
    assert status(context, application_id) == "withdrawn"
    with context.unit_of_work() as uow:
        last = uow.audit.log(application_id)[-1]
    assert (last.type, last.actor) == (
        "org.yijianshi.case.withdrawn",
        "clerk:window-1 for applicant:parent-1",
    )


# The system's decisions (decisions.py)


def test_a_departments_answer_applied_twice_completes_the_case_once() -> None:
    context = fake_context()
    application_id = submit_birth(context)
    case_id = case_of(context, application_id, "birth-medical-certificate").id
    answer_case(context, AnswerCase(case_id, HOSPITAL_OUTPUTS, actor="department"))
    answer_case(context, AnswerCase(case_id, HOSPITAL_OUTPUTS, actor="department"))  # a replay after a crash
    assert trail(context, application_id).count("case.completed") == 1
    assert states(context, application_id)["birth-household-registration"] == "sent"


def test_answers_to_cases_of_several_applications_are_applied_together() -> None:
    context = fake_context()
    first, second = submit_birth(context, key="a"), submit_birth(context, key="b")
    answers = [
        (case_of(context, a, "birth-medical-certificate").id, HOSPITAL_OUTPUTS) for a in (first, second)
    ]
    answer_cases(context, AnswerCases(answers, actor="department"))
    assert states(context, first)["birth-medical-certificate"] == "completed"
    assert states(context, second)["birth-medical-certificate"] == "completed"


def test_a_rejection_by_the_system_blocks_downstream_and_a_supplement_request_waits_for_the_applicant() -> (
    None
):
    context = fake_context()
    rejected = submit_birth(context, key="a")
    reject_case(context, RejectCase(case_of(context, rejected, "birth-medical-certificate").id, REASON))
    assert status(context, rejected) == "rejected"

    asked = submit_birth(context, key="b")
    case_id = case_of(context, asked, "birth-medical-certificate").id
    accept_case(context, AcceptCase(case_id))
    request_supplement(context, RequestSupplement(case_id, ASK))
    assert status(context, asked) == "action_required"
    supplement(context, Supplement(case_id, {"child.name": "李小红"}))
    assert states(context, asked)["birth-medical-certificate"] == "accepted"
    with context.unit_of_work() as uow:
        application = uow.applications.get(asked)
    assert application is not None
    assert application.data["child.name"] == "李小红"


# Time limits, in working days


def test_a_case_turns_yellow_at_four_fifths_of_its_working_days_and_red_after_the_last() -> None:
    context = fake_context()  # Monday 2 March 2026
    application_id = born(context)
    case_id = accepted(context, application_id, "maternity-benefits", INSURANCE)  # 5 working days

    def colour_on(day: int) -> Colour | None:
        clock_of(context).moment = NOW + dt.timedelta(days=day)
        found = deadline_warnings(context, ListDeadlineWarnings("ruian-medical-insurance"))
        assert [w.case_id for w in found] in ([], [case_id])
        return found[0].colour if found else None

    assert colour_on(3) is None  # Thursday: 3 of 5 used
    assert colour_on(4) is Colour.YELLOW  # Friday: 4 of 5
    assert colour_on(6) is Colour.YELLOW  # Sunday: the weekend does not count
    assert colour_on(7) is Colour.YELLOW  # Monday 9 March: the last day
    assert colour_on(8) is Colour.RED


def test_each_colour_a_case_turns_is_recorded_once() -> None:
    context = fake_context()
    application_id = born(context)
    accepted(context, application_id, "maternity-benefits", INSURANCE)
    clock_of(context).moment = NOW + dt.timedelta(days=4)
    assert record_time_limits(context, RecordTimeLimits()) == 1
    assert record_time_limits(context, RecordTimeLimits()) == 0
    (warning,) = deadline_warnings(context, ListDeadlineWarnings())
    assert warning.recorded is Colour.YELLOW
    clock_of(context).moment = NOW + dt.timedelta(days=8)
    assert record_time_limits(context, RecordTimeLimits()) == 1
    assert record_time_limits(context, RecordTimeLimits()) == 0
    assert [t for t in trail(context, application_id) if t.startswith("case.time_limit")] == [
        "case.time_limit_warning",
        "case.time_limit_breached",
    ]


def test_a_finished_case_is_no_longer_warned_about() -> None:
    context = fake_context()
    application_id = born(context)
    case_id = accepted(context, application_id, "maternity-benefits", INSURANCE)
    clock_of(context).moment = NOW + dt.timedelta(days=8)
    department_decision(context, DecideCase(INSURANCE, case_id, "complete", outputs={}))
    assert deadline_warnings(context, ListDeadlineWarnings()) == []
    assert record_time_limits(context, RecordTimeLimits()) == 0


# Ratings and rectifications


def refused_birth(context: Context, key: str = "key-1") -> str:
    """A birth the hospital refused: finished, so it may be rated."""
    application_id = submit_birth(context, key=key)
    case_id = case_of(context, application_id, "birth-medical-certificate").id
    department_decision(context, DecideCase(HOSPITAL, case_id, "reject", text=REASON))
    return application_id


def test_a_bad_rating_opens_a_rectification_for_the_lead_department_due_in_working_days() -> None:
    context = fake_context()
    application_id = refused_birth(context)
    rating, rectification = rate_application(
        context, RateApplication(PARENT, "parent-1", application_id, RatingLevel.DISSATISFIED, "太慢")
    )
    assert rating.department == "ruian-health"  # the bundle's lead department
    assert rectification is not None
    assert rectification.due == dt.date(2026, 3, 23)  # 15 working days from Monday 2 March
    assert [r.id for r in rectifications_of(context, ListRectifications("ruian-health"))] == [
        rectification.id
    ]
    assert rectifications_of(context, ListRectifications("ruian-hospital")) == []
    assert trail(context, application_id)[-1] == "application.rated"


def test_a_bad_rating_of_one_item_is_answered_by_that_items_department() -> None:
    context = fake_context()
    application_id = refused_birth(context)
    command = RateApplication(
        PARENT, "parent-1", application_id, RatingLevel.VERY_DISSATISFIED, item="birth-medical-certificate"
    )
    _, rectification = rate_application(context, command)
    assert rectification is not None
    assert rectification.department == "ruian-hospital"
    (rated,) = rated_rectifications(context, ListRectifications("ruian-hospital"))
    assert rated.rating is not None
    assert rated.rating.level is RatingLevel.VERY_DISSATISFIED


def test_a_good_rating_opens_no_rectification() -> None:
    context = fake_context()
    application_id = refused_birth(context)
    _, rectification = rate_application(
        context, RateApplication(PARENT, "parent-1", application_id, RatingLevel.SATISFIED)
    )
    assert rectification is None
    assert rectifications_of(context, ListRectifications()) == []


def test_an_application_is_rated_once_by_its_applicant_once_it_is_finished() -> None:
    context = fake_context()
    running = submit_birth(context, key="running")
    with pytest.raises(Conflict):
        rate_application(context, RateApplication(PARENT, "parent-1", running, RatingLevel.SATISFIED))
    finished = refused_birth(context, key="finished")
    with pytest.raises(NotFound):
        rate_application(context, RateApplication(STRANGER, "parent-2", finished, RatingLevel.SATISFIED))
    with pytest.raises(Invalid) as unknown_item:
        rate_application(
            context,
            RateApplication(PARENT, "parent-1", finished, RatingLevel.SATISFIED, item="funeral-grant"),
        )
    assert unknown_item.value.field == "item"
    with pytest.raises(Invalid) as too_long:
        rate_application(
            context, RateApplication(PARENT, "parent-1", finished, RatingLevel.SATISFIED, "长" * 501)
        )
    assert too_long.value.field == "comment"
    rate_application(context, RateApplication(PARENT, "parent-1", finished, RatingLevel.SATISFIED))
    with pytest.raises(AlreadyRated):
        rate_application(context, RateApplication(PARENT, "parent-1", finished, RatingLevel.DISSATISFIED))


def test_the_department_replies_once_and_the_applicant_reads_the_reply() -> None:
    context = fake_context()
    application_id = refused_birth(context)
    _, opened = rate_application(
        context, RateApplication(PARENT, "parent-1", application_id, RatingLevel.DISSATISFIED)
    )
    assert opened is not None
    assert rating_of(context, ReadRating("parent-1", application_id)) is not None
    with pytest.raises(NotFound):
        reply_to_rectification(
            context, ReplyToRectification(HOSPITAL, opened.id, "不是我们的事")
        )  # another department's
    with pytest.raises(Invalid):
        reply_to_rectification(context, ReplyToRectification(HEALTH, opened.id, "   "))
    clock_of(context).moment = NOW + dt.timedelta(days=2)
    replied = reply_to_rectification(context, ReplyToRectification(HEALTH, opened.id, "已约谈医院，加快出证"))
    assert (replied.status, replied.replied_at) == (RectificationStatus.REPLIED, NOW + dt.timedelta(days=2))
    with pytest.raises(Conflict):
        reply_to_rectification(context, ReplyToRectification(HEALTH, opened.id, "再次回复"))
    found = rating_of(context, ReadRating("parent-1", application_id))
    assert found is not None
    _, seen = found
    assert seen is not None
    assert seen.reply == "已约谈医院，加快出证"
    with pytest.raises(NotFound):
        rating_of(context, ReadRating("parent-2", application_id))
    assert trail(context, application_id)[-1] == "rectification.replied"


def test_before_rating_the_applicant_sees_no_rating() -> None:
    context = fake_context()
    application_id = refused_birth(context)
    assert rating_of(context, ReadRating("parent-1", application_id)) is None


# Statistics


def test_statistics_count_applications_completion_times_and_time_limit_compliance() -> None:
    context = fake_context()  # Monday
    in_time, late = submit_birth(context, key="a"), submit_birth(context, key="b")
    for application_id in (in_time, late):
        accepted(context, application_id, "birth-medical-certificate", HOSPITAL)  # same day promised
    department_decision(
        context,
        DecideCase(
            HOSPITAL,
            case_of(context, in_time, "birth-medical-certificate").id,
            "complete",
            outputs=HOSPITAL_OUTPUTS,
        ),
    )
    clock_of(context).moment = NOW + dt.timedelta(days=2)  # Wednesday
    figures = statistics(context, ComputeStatistics())
    assert figures.overdue_open == 1  # the late one, still open
    department_decision(
        context,
        DecideCase(
            HOSPITAL,
            case_of(context, late, "birth-medical-certificate").id,
            "complete",
            outputs=HOSPITAL_OUTPUTS,
        ),
    )
    figures = statistics(context, ComputeStatistics())
    assert figures.applications == {"birth": {"in_progress": 2}}
    assert figures.cases_completed == 2
    assert figures.completion_days == {0: 1, 2: 1}
    assert figures.mean_working_days == 1.0
    assert figures.within_time_limit == 0.5
    assert figures.overdue_open == 0
    assert (figures.satisfaction, figures.rectifications_open) == (None, 0)


def test_statistics_count_ratings_satisfaction_and_overdue_rectifications() -> None:
    context = fake_context()
    for key, level in (("a", RatingLevel.VERY_SATISFIED), ("b", RatingLevel.DISSATISFIED)):
        application_id = refused_birth(context, key)
        rate_application(context, RateApplication(PARENT, "parent-1", application_id, level))
    figures = statistics(context, ComputeStatistics())
    assert figures.applications == {"birth": {"rejected": 2}}
    assert figures.ratings["very_satisfied"] == figures.ratings["dissatisfied"] == 1
    assert figures.satisfaction == 0.5
    assert (figures.rectifications_open, figures.rectifications_overdue) == (1, 0)
    clock_of(context).moment = dt.datetime(2026, 3, 24, 9, tzinfo=NOW.tzinfo)  # the day after it was due
    assert statistics(context, ComputeStatistics()).rectifications_overdue == 1
