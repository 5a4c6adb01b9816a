"""Pages of the citizen area (templates/citizen/): a life event from its start page to the plan.

    /events/{bundle}                 start page: what it is, its items, Start now
    /events/{bundle}/questions/{n}   the guidance questions, one per page
    /events/{bundle}/people          whose certificates and register entries to use
    /events/{bundle}/plan            what we will do for you, and what you need not bring
    ... then citizen_apply (form, materials, check, submit) and citizen_status (status, rating)

Every page is also a clerk's page under /clerk/for/{account} (citizen_acting.page). What is
answered and typed is kept in the applicant's draft in the database (context.drafts), so a
refresh, the back button or coming back later loses nothing.
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import quote

from fastapi import APIRouter, Request
from starlette.responses import Response

from yijianshi.domain.bundles import Bundle
from yijianshi.domain.forms import value_problem
from yijianshi.domain.planning import Plan, Source
from yijianshi.domain.problems import Problem
from yijianshi.domain.text import Text
from yijianshi.entrypoints.api.deps import ContainerDep
from yijianshi.entrypoints.presenters.plan_view import plan_as_dict
from yijianshi.entrypoints.web import citizen_apply, citizen_materials, citizen_status
from yijianshi.entrypoints.web.citizen_acting import (
    Acting,
    Acts,
    MaybeActs,
    Posted,
    answered_plan,
    bundle_of,
    field_errors,
    first_error_map,
    first_step,
    page,
    see_other,
)
from yijianshi.entrypoints.web.deps import Renderer
from yijianshi.services.accounts.local_accounts import ReadApplicantIdNumber, applicant_id_number
from yijianshi.services.applications.drafts import ReadDraft, UpdateDraft, draft_of, update_draft
from yijianshi.services.applications.materials import on_paper, to_upload
from yijianshi.services.applications.ports import Draft
from yijianshi.services.errors import NotFound
from yijianshi.services.sharing.guidance import GuideApplicant, guide

router = APIRouter(include_in_schema=False)
MAX_ID = 18


@page(router, "GET", "/events/{bundle}", public=True)
def start(
    request: Request, bundle: str, container: ContainerDep, pages: Renderer, acting: MaybeActs
) -> Response:
    """A life event's start page: what it is, the items it can include, Start now."""
    found = bundle_of(request, bundle)
    draft = draft_of(container.context, ReadDraft(acting.applicant, bundle)) if acting else None
    items = [container.catalog.items[entry.item] for entry in found.items]
    first = f"/events/{bundle}/" + first_step(found, Draft("", bundle))
    return pages.render(
        request,
        "citizen/start.html",
        {
            "bundle": found,
            "items": items,
            "departments": container.catalog.departments,
            "acting": acting,
            "start_url": acting.url(first) if acting else f"/login?next={quote(first, safe='')}",
            "resume_url": acting.url(f"/events/{bundle}/" + first_step(found, draft))
            if acting and draft and draft.updated_at
            else None,
            "draft": draft if draft and draft.updated_at else None,
        },
    )


NO_QUESTION = Text("没有这个问题", "no such question")


def _question_page(
    request: Request,
    pages: Renderer,
    acting: Acting,
    bundle: Bundle,
    number: int,
    chosen: str | None,
    errors: list[dict[str, str]],
    change: bool,
    status: int = 200,
) -> Response:
    if not 1 <= number <= len(bundle.questions):
        raise NotFound(NO_QUESTION)
    back = f"/events/{bundle.code}/questions/{number - 1}" if number > 1 else f"/events/{bundle.code}"
    return pages.render(
        request,
        "citizen/question.html",
        {
            "bundle": bundle,
            "question": bundle.questions[number - 1],
            "number": number,
            "count": len(bundle.questions),
            "chosen": chosen,
            "errors": errors,
            "acting": acting,
            "change": change,
            "back": acting.url(f"/events/{bundle.code}/check" if change else back),
        },
        status=status,
    )


@page(router, "GET", "/events/{bundle}/questions/{number}")
def question(
    request: Request,
    bundle: str,
    number: int,
    container: ContainerDep,
    pages: Renderer,
    acting: Acts,
    change: bool = False,
) -> Response:
    """One guidance question: radios (none chosen until answered), its help as the hint."""
    found = bundle_of(request, bundle)
    draft = draft_of(container.context, ReadDraft(acting.applicant, bundle))
    code = found.questions[number - 1].code if 1 <= number <= len(found.questions) else ""
    return _question_page(request, pages, acting, found, number, draft.answers.get(code), [], change)


@page(router, "POST", "/events/{bundle}/questions/{number}")
def answer(
    request: Request,
    bundle: str,
    number: int,
    container: ContainerDep,
    pages: Renderer,
    acting: Acts,
    form: Posted,
) -> Response:
    """Keep the answer in the draft; go on to the next question, the people, or back to check."""
    found = bundle_of(request, bundle)
    if not 1 <= number <= len(found.questions):
        raise NotFound(NO_QUESTION)
    asked = found.questions[number - 1]
    chosen, change = str(form.get("answer", "")), form.get("change") == "1"
    if chosen not in asked.option_codes():
        _ = pages.gettext(request)
        errors = [
            {
                "field": "answer",
                "message": _("Select an answer") if not chosen else _("Select one of the answers shown"),
            }
        ]
        return _question_page(request, pages, acting, found, number, None, errors, change, status=422)
    context = container.context
    draft = draft_of(context, ReadDraft(acting.applicant, bundle))
    update_draft(context, UpdateDraft(replace(draft, answers={**draft.answers, asked.code: chosen})))
    if change:
        return see_other(acting.url(f"/events/{bundle}/check"))
    following = f"questions/{number + 1}" if number < len(found.questions) else "people"
    return see_other(acting.url(f"/events/{bundle}/{following}"))


def subjects(plan: Plan) -> list[str]:
    """Whose resident ID numbers the plan can use: each subject with an ID number on the form
    that no item produces (a newborn's comes from household registration)."""
    return [
        f.key.split(".", 1)[0]
        for f in plan.fields
        if f.key.endswith(".id_number") and (f.prefill is None or f.prefill.source is not Source.UPSTREAM)
    ]


def _people_page(
    request: Request,
    container: ContainerDep,
    pages: Renderer,
    acting: Acting,
    bundle: Bundle,
    people: dict[str, str],
    errors: list[dict[str, str]],
    status: int = 200,
) -> Response:
    draft = draft_of(container.context, ReadDraft(acting.applicant, bundle.code))
    plan = answered_plan(container, bundle, draft)
    fields = {f.key: f for f in plan.fields}
    rows = [
        {"subject": s, "label": fields[f"{s}.id_number"].label, "value": people.get(s, "")}
        for s in subjects(plan)
    ]
    back = (
        f"/events/{bundle.code}/questions/{len(bundle.questions)}"
        if bundle.questions
        else f"/events/{bundle.code}"
    )
    return pages.render(
        request,
        "citizen/people.html",
        {
            "bundle": bundle,
            "rows": rows,
            "errors": errors,
            "error_for": first_error_map(errors),
            "acting": acting,
            "back": acting.url(back),
        },
        status=status,
    )


def _known_people(container: ContainerDep, acting: Acting, bundle: Bundle, draft: Draft) -> dict[str, str]:
    """The draft's people; before any were named, the applicant's own ID number for the
    `applicant` subject, else for the first person the form asks about."""
    if "people" in draft.steps or draft.people:
        return dict(draft.people)
    own = applicant_id_number(container.identity, ReadApplicantIdNumber(acting.applicant)) or ""
    named = subjects(answered_plan(container, bundle, draft))
    if not own or not named:
        return {}
    return {"applicant" if "applicant" in named else named[0]: own}


@page(router, "GET", "/events/{bundle}/people")
def people(request: Request, bundle: str, container: ContainerDep, pages: Renderer, acting: Acts) -> Response:
    """The people involved, by resident ID number, so what government holds is used."""
    found = bundle_of(request, bundle)
    draft = draft_of(container.context, ReadDraft(acting.applicant, bundle))
    known = _known_people(container, acting, found, draft)
    return _people_page(request, container, pages, acting, found, known, [])


@page(router, "POST", "/events/{bundle}/people")
def name_people(
    request: Request, bundle: str, container: ContainerDep, pages: Renderer, acting: Acts, form: Posted
) -> Response:
    """Keep the ID numbers given (each checked, check digit included) and show the plan."""
    found = bundle_of(request, bundle)
    context = container.context
    draft = draft_of(context, ReadDraft(acting.applicant, bundle))
    named = subjects(answered_plan(container, found, draft))
    given = {s: str(form.get(f"person.{s}", "")).strip().upper()[:40] for s in named}
    problems = []
    for subject, value in given.items():
        element = container.catalog.elements.get(f"{subject}.id_number")
        found_problem = value_problem(element, value) if value and element else None
        if found_problem or len(value) > MAX_ID:
            message = (
                found_problem[0] if found_problem else Text("公民身份号码应为18位", "must be 18 characters")
            )
            problems.append(Problem(f"person.{subject}", message))
    if problems:
        return _people_page(
            request, container, pages, acting, found, given, field_errors(request, problems), status=422
        )
    kept = {s: v for s, v in given.items() if v}
    update_draft(context, UpdateDraft(replace(draft, people=kept, steps=draft.steps | {"people"})))
    return see_other(acting.url(f"/events/{bundle}/plan"))


@page(router, "GET", "/events/{bundle}/plan")
def plan(request: Request, bundle: str, container: ContainerDep, pages: Renderer, acting: Acts) -> Response:
    """What we will do for you: the items by stage, the time limit, what you need not bring and
    what you will need, and what applying as one thing saves."""
    found = bundle_of(request, bundle)
    draft = draft_of(container.context, ReadDraft(acting.applicant, bundle))
    guided = guide(
        container.context,
        GuideApplicant(
            acting.actor.actor,
            acting.applicant,
            bundle,
            dict(draft.answers),
            dict(draft.people),
            prefill=False,
        ),
        container.registers,
    )
    shown = plan_as_dict(container.catalog, guided.plan)
    upload_names = {m.name.zh for m in to_upload(guided.plan)}
    paper_names = {m.name.zh for m in on_paper(guided.plan)}
    return pages.render(
        request,
        "citizen/plan.html",
        {
            "bundle": found,
            "plan": shown,
            "acting": acting,
            "catalog": container.catalog,
            "held": [m for m in shown["materials"] if m["source"] != "applicant"],
            "needed": [m for m in shown["materials"] if m["source"] == "applicant"],
            "upload_names": upload_names,
            "paper_names": paper_names,
            "stages": [
                [i for i in shown["items"] if i["stage"] == n + 1] for n in range(len(shown["stages"]))
            ],
            "back": acting.url(f"/events/{bundle}/people"),
        },
    )


router.include_router(citizen_apply.router)
router.include_router(citizen_materials.router)
router.include_router(citizen_status.router)
