"""Schemathesis against the API's own OpenAPI document: no input makes a server error.

Every operation of the document is called with generated inputs (a bounded number of examples
each), with a token of a role the operation declares, so requests get past authorisation and
reach validation and the service layer.
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings

from tests.e2e.conftest import Api, department_account
from yijianshi.domain.accounts import Role

ACCOUNTS = {
    Role.APPLICANT.value: "mother",
    Role.CLERK.value: "clerk",
    Role.ADMIN.value: "admin",
    Role.DEPARTMENT.value: department_account("ruian-psb"),
}
EXAMPLES = 6


def fuzz(
    operation: schemathesis.APIOperation, signed_in: dict[str, str], statuses: list[int], failures: list[str]
) -> None:
    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def call(case: schemathesis.Case) -> None:
        case.headers = {**(case.headers or {}), **signed_in}
        response = case.call()
        statuses.append(response.status_code)
        if response.status_code >= 500 or "Traceback" in response.text:
            failures.append(
                f"{case.method} {case.formatted_path}: {response.status_code} {response.text[:200]}"
            )

    call()


def test_no_generated_request_makes_a_server_error(api: Api) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", api.client.app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 25
    statuses: list[int] = []
    failures: list[str] = []
    for operation in operations:
        roles = operation.definition.raw.get("x-roles", [])
        account = next((ACCOUNTS[r] for r in roles if r in ACCOUNTS), None)
        signed_in = api.login(account) if account else {}
        if account == "clerk":
            signed_in["X-On-Behalf-Of"] = "mother"
        fuzz(operation, signed_in, statuses, failures)
    assert failures == []
    assert len(statuses) >= 2 * len(operations)
    assert {200, 201, 204} & set(statuses), "some generated requests must get through to a success"
