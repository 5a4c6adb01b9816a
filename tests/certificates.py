"""Electronic certificates built in code, for tests."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from yijianshi.domain.certificates import Certificate, CertificateIdentifier, Holder
from yijianshi.domain.issuance import stand_in_credit_code

MOTHER_ID = "11010519491231002X"
ISSUED = dt.date(2020, 5, 1)


def certificate(holder: str = MOTHER_ID, serial: str = "20200000001", **changes: Any) -> Certificate:
    """A mother's resident ID card, valid from 2020-05-01 for 20 years, unless `changes` say otherwise."""
    identifier = CertificateIdentifier(
        stand_in_credit_code("100000", "type:resident_id_card") + "001",
        stand_in_credit_code("110105", "psb"),
        serial,
    )
    card = Certificate(
        identifier=identifier,
        certificate_type="resident_id_card",
        type_name="居民身份证",
        number=holder,
        issuer="北京市公安局东城分局",
        issue_date=ISSUED,
        holder_name="李秀英",
        holder=Holder(holder),
        jurisdiction="110101",
        valid_from=ISSUED,
        valid_until=dt.date(2040, 5, 1),
        data={"name": "李秀英", "id_number": holder, "sex": "2", "birth_date": "1949-12-31"},
    )
    return dataclasses.replace(card, **changes)
