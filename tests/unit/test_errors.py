"""The service layer's one error family, and how the API answers each kind (in one place)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from yijianshi.domain.errors import IllegalTransition, UnknownBundle
from yijianshi.domain.problems import Problem
from yijianshi.domain.text import Text
from yijianshi.entrypoints.api import problems
from yijianshi.entrypoints.web.errors import refusal_status
from yijianshi.services import errors
from yijianshi.services.errors import (
    Conflict,
    Forbidden,
    FormInvalid,
    Invalid,
    Locked,
    NotAuthenticated,
    NotFound,
    ServiceError,
    StorageUnavailable,
    TooLarge,
    Unavailable,
    UnsupportedType,
)

WHAT = Text("出错了", "something is wrong")


def answered(error: Exception) -> tuple[int, dict[str, Any], dict[str, str]]:
    """What the API answers when a route raises `error`: status, problem body, headers."""
    app = FastAPI()
    problems.install(app)

    @app.get("/api/raise")
    def raising() -> None:
        raise error

    response = TestClient(app).get("/api/raise")
    assert response.headers["content-type"] == problems.MEDIA_TYPE
    return response.status_code, response.json(), dict(response.headers)


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (NotFound(WHAT), 404),
        (Conflict(WHAT), 409),
        (Invalid(WHAT, "file"), 422),
        (TooLarge(WHAT, "file"), 413),
        (UnsupportedType(WHAT, "file"), 415),
        (Forbidden(WHAT), 403),
        (NotAuthenticated(WHAT), 401),
        (Locked(WHAT), 423),
        (Unavailable(WHAT), 503),
        (StorageUnavailable("cannot open database db.internal:5432"), 503),
    ],
)
def test_each_kind_is_answered_with_its_status(error: ServiceError, status: int) -> None:
    code, body, _ = answered(error)
    assert (code, body["status"]) == (status, status)
    assert (body["detail"], body["detail_zh"]) == (error.message.en, error.message.zh)
    assert refusal_status(error) == status  # the pages answer the same kind alike


def test_a_not_found_carries_its_message_in_both_languages_and_its_field() -> None:
    error = NotFound(Text("没有这位申请人", "no such applicant"), "X-On-Behalf-Of")
    assert (error.message.zh, error.message.en, error.field) == (
        "没有这位申请人",
        "no such applicant",
        "X-On-Behalf-Of",
    )
    assert str(error) == "no such applicant"
    assert not hasattr(error, "status")  # no HTTP in the service layer
    _, body, _ = answered(error)
    assert body["errors"] == [
        {"field": "X-On-Behalf-Of", "message": "no such applicant", "message_zh": "没有这位申请人"}
    ]


def test_an_error_without_a_field_lists_no_errors() -> None:
    _, body, _ = answered(Conflict(Text("已经回复过", "already replied")))
    assert "errors" not in body
    assert (body["title"], body["title_zh"]) == ("Conflict", "状态冲突")


def test_invalid_lists_every_field_that_is_wrong() -> None:
    error = FormInvalid(
        [
            Problem("mother.name", Text("请填写", "required")),
            Problem("mother.id_number", Text("校验码不对", "wrong check character")),
        ]
    )
    assert error.field == "values.mother.name"
    code, body, _ = answered(error)
    assert code == 422
    assert body["detail"] == "the form has errors; correct each field listed"
    assert [(e["field"], e["message"], e["message_zh"]) for e in body["errors"]] == [
        ("values.mother.name", "required", "请填写"),
        ("values.mother.id_number", "wrong check character", "校验码不对"),
    ]


def test_not_authenticated_asks_for_a_bearer_token_and_locked_does_not() -> None:
    _, _, headers = answered(NotAuthenticated(WHAT))
    assert headers["www-authenticate"] == "Bearer"
    _, _, headers = answered(errors.InvalidToken("the token has expired; log in again"))
    assert headers["www-authenticate"] == "Bearer"
    _, _, headers = answered(Locked(WHAT))
    assert "www-authenticate" not in headers


def test_an_unavailable_store_tells_the_operator_why_and_the_caller_only_to_retry() -> None:
    error = StorageUnavailable("cannot open database db.internal:5432: connection refused")
    assert str(error) == "cannot open database db.internal:5432: connection refused"
    _, body, _ = answered(error)
    assert body["detail"] == "the database is unavailable; retry later"
    assert "db.internal" not in str(body)


def test_a_subclass_keeps_its_operators_line_and_its_callers_message() -> None:
    error = errors.NoSuchDeadLetter("evt-1")
    assert str(error) == "no dead letter with event id evt-1"
    code, body, _ = answered(error)
    assert (code, body["detail"]) == (404, "no such dead letter (it may have been replayed)")


def test_every_error_of_the_service_layer_is_of_the_family() -> None:
    raised = [
        v
        for v in vars(errors).values()
        if isinstance(v, type) and issubclass(v, Exception) and v is not ServiceError
    ]
    assert len(raised) > 20
    assert all(issubclass(kind, ServiceError) for kind in raised)
    kinds = (NotFound, Conflict, Invalid, Forbidden, Unavailable)
    assert all(issubclass(kind, kinds) for kind in raised if kind not in kinds)


def test_domain_errors_are_mapped_in_the_same_place() -> None:
    code, body, _ = answered(UnknownBundle("nope", ["birth"]))
    assert (code, body["detail_zh"]) == (404, "没有这件事：nope")
    code, _, _ = answered(IllegalTransition("c1", "completed", "accepted"))
    assert code == 409
