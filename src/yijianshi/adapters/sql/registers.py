"""The local shared registers in SQL: population, household and marriage registers.

A stand-in for the registers a government already runs, behind the same port: a lookup by
resident ID number reads the person, their household (with the head's name) and their latest
marriage. `SqlRegisterStore` replaces the whole content at once (seeding).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, insert, or_, select

from yijianshi.adapters.sql.tables import register_households, register_marriages, register_residents
from yijianshi.domain.registers import (
    Household,
    Marriage,
    PersonRecord,
    Population,
    Purpose,
    Resident,
    person_elements,
)
from yijianshi.services.sharing.ports import Seeded


def _resident(row: Any) -> Resident:
    return Resident(
        row.id_number,
        row.name,
        row.sex,
        row.birth_date,
        row.ethnicity,
        row.birth_place,
        row.household,
        row.phone,
    )


class SqlRegisters:
    """Lookups by person. `purpose` travels with every query, as a remote register requires; the
    use is recorded in the audit trail by the service that asks."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def lookup(self, id_number: str, subject: str, keys: Collection[str], purpose: Purpose) -> dict[str, str]:
        with self.engine.connect() as connection:
            record = self._record(connection, id_number)
        return person_elements(record, subject, keys) if record else {}

    def _record(self, connection: Connection, id_number: str) -> PersonRecord | None:
        row = connection.execute(
            select(register_residents).where(register_residents.c.id_number == id_number)
        ).first()
        if row is None:
            return None
        household = connection.execute(
            select(register_households).where(register_households.c.number == row.household)
        ).first()
        head = (
            connection.execute(
                select(register_residents.c.name).where(register_residents.c.id_number == household.head)
            ).scalar()
            if household
            else None
        )
        marriage = connection.execute(
            select(register_marriages)
            .where(or_(register_marriages.c.husband == id_number, register_marriages.c.wife == id_number))
            .order_by(register_marriages.c.registered_on.desc())
        ).first()
        spouse_id = (
            None
            if marriage is None
            else (marriage.wife if marriage.husband == id_number else marriage.husband)
        )
        spouse = (
            connection.execute(
                select(register_residents).where(register_residents.c.id_number == spouse_id)
            ).first()
            if spouse_id
            else None
        )
        return PersonRecord(
            _resident(row),
            Household(household.number, household.address, household.head, household.region)
            if household
            else None,
            head or "",
            _resident(spouse) if spouse else None,
            Marriage(marriage.husband, marriage.wife, marriage.registered_on, marriage.certificate_number)
            if marriage
            else None,
        )


class SqlRegisterStore:
    """Writes the registers' content in bulk (executemany per chunk), in one transaction."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def replace(self, content: Iterable[Population]) -> Seeded:
        tables = (register_marriages, register_residents, register_households)
        with self.engine.begin() as connection:
            for table in tables:
                connection.execute(delete(table))
            for chunk in content:
                self._write(connection, chunk)
            households, residents, marriages = (
                connection.execute(select(func.count()).select_from(t)).scalar_one() for t in reversed(tables)
            )
        return Seeded(households, residents, marriages)

    @staticmethod
    def _write(connection: Connection, chunk: Population) -> None:
        if chunk.households:
            connection.execute(
                insert(register_households),
                [
                    {"number": h.number, "address": h.address, "head": h.head, "region": h.region}
                    for h in chunk.households
                ],
            )
        if chunk.residents:
            connection.execute(
                insert(register_residents),
                [
                    {
                        "id_number": r.id_number,
                        "name": r.name,
                        "sex": r.sex,
                        "birth_date": r.birth_date,
                        "ethnicity": r.ethnicity,
                        "birth_place": r.birth_place,
                        "household": r.household,
                        "phone": r.phone,
                    }
                    for r in chunk.residents
                ],
            )
        if chunk.marriages:
            connection.execute(
                insert(register_marriages),
                [
                    {
                        "certificate_number": m.certificate_number,
                        "husband": m.husband,
                        "wife": m.wife,
                        "registered_on": m.registered_on,
                    }
                    for m in chunk.marriages
                ],
            )
