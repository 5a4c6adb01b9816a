"""Who may see what: ownership of applications, department scoping, field-level minimisation.

A refusal never tells more than "there is nothing here for you": an application of another
applicant and a case of another department are answered exactly as one that does not exist.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from yijianshi.domain.cases import Application, Case
from yijianshi.domain.catalog import Catalog
from yijianshi.domain.text import Text
from yijianshi.services.applications.ports import ApplicationRow, Upload
from yijianshi.services.errors import NotFound
from yijianshi.services.unit_of_work import UnitOfWork

NOT_FOUND_APPLICATION = Text("没有这件申请", "no such application")


NOT_FOUND_CASE = Text("没有这个办件", "no such case")


def owned_application(
    uow: UnitOfWork, application_id: str, applicant: str
) -> tuple[Application, ApplicationRow]:
    """The application if `applicant` submitted it; else NotFound, as if it did not exist."""
    row = uow.reads.row(application_id)
    application = uow.applications.get(application_id) if row and row.applicant == applicant else None
    if row is None or application is None:
        raise NotFound(NOT_FOUND_APPLICATION)
    return application, row


def department_case(uow: UnitOfWork, case_id: str, department: str) -> tuple[Application, Case]:
    """The case and its application if the case is `department`'s and has reached it (sent or
    later); else NotFound, as if it did not exist."""
    owners = uow.applications.get_many_by_cases([case_id])
    application = owners.get(case_id)
    if application is None:
        raise NotFound(NOT_FOUND_CASE)
    case = application.case(case_id)
    if case.department != department or not case.reached_department:
        raise NotFound(NOT_FOUND_CASE)
    return application, case


@dataclass(frozen=True, slots=True)
class MinimisedCase:
    """What a department sees of an application for one of its cases: only the data elements
    and materials its item declares (数据最小化); each material lists the files the applicant
    uploaded for it (`uploads`: id, filename, content_type, size, sha256)."""

    fields: dict[str, Any]
    materials: list[dict[str, Any]]


def minimised(
    catalog: Catalog, application: Application, case: Case, uploads: Sequence[Upload] = ()
) -> MinimisedCase:
    """The case's item's fields and materials of `application`; of `uploads` (the application's),
    only those of the item's materials."""
    item = catalog.items[case.item]
    keys = {f.key for f in item.fields}
    materials = []
    for m in item.materials:
        key = m.key
        materials.append(
            {
                "key": key,
                "name": m.name.zh,
                "name_en": m.name.en,
                "certificate": m.certificate,
                "subject": m.subject,
                "uploads": [
                    {
                        "id": u.id,
                        "filename": u.filename,
                        "content_type": u.content_type,
                        "size": u.size,
                        "sha256": u.sha256,
                    }
                    for u in uploads
                    if u.material == key
                ],
            }
        )
    return MinimisedCase({k: v for k, v in application.data.items() if k in keys}, materials)
