"""A synthetic population for the local registers: households of a Wenzhou-like city.

Generated, never real, and the same for the same seed and day. Each household has a head,
often a spouse (a marriage registered after both reached the legal age: 22 for men, 20 for
women), children born while the mother was 21 to 40, sometimes a parent of the head. ID numbers
are unique, carry valid GB 11643 check characters, real GB/T 2260 county codes, the birth date
and a sequence whose parity gives the sex (odd male, even female); names use common surnames,
children take the father's.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

from yijianshi.adapters.synthetic_people import GIVEN, STREETS, SURNAMES
from yijianshi.domain.identifiers import id_number_check_char
from yijianshi.domain.registers import Household, Marriage, Population, Resident

COUNTIES = {
    "330302": "鹿城区",
    "330303": "龙湾区",
    "330304": "瓯海区",
    "330305": "洞头区",
    "330324": "永嘉县",
    "330326": "平阳县",
    "330327": "苍南县",
    "330328": "文成县",
    "330329": "泰顺县",
    "330381": "瑞安市",
    "330382": "乐清市",
    "330383": "龙港市",
}
ETHNICITIES = (
    ("汉族", 950),
    ("畲族", 20),
    ("苗族", 8),
    ("土家族", 7),
    ("回族", 5),
    ("壮族", 5),
    ("布依族", 5),
)
ELSEWHERE = ("福建省宁德市", "江西省上饶市", "安徽省阜阳市", "贵州省毕节市", "四川省南充市", "河南省信阳市")
MALE, FEMALE = "1", "2"


def _years(day: dt.date, years: int) -> dt.date:
    """`day` moved by whole years (29 February becomes 28 February)."""
    return day.replace(year=day.year + years, day=min(day.day, 28) if day.month == 2 else day.day)


class SyntheticPopulation:
    """Generates `Population` chunks of about `chunk` residents each (a `PopulationSource`)."""

    def __init__(self, today: dt.date, seed: int = 0, chunk: int = 5000) -> None:
        self.today = today
        self.seed = seed
        self.chunk = chunk

    def generate(self, residents: int) -> Iterator[Population]:
        """Exactly `residents` residents, in households; the same for the same seed and day."""
        family = _Family(random.Random(self.seed), self.today)
        households: list[Household] = []
        people: list[Resident] = []
        marriages: list[Marriage] = []
        made = numbered = 0
        while made < residents:
            numbered += 1
            household, members, married = family.household(numbered, residents - made)
            households.append(household)
            people.extend(members)
            marriages.extend(married)
            made += len(members)
            if len(people) >= self.chunk or made == residents:
                yield Population(tuple(households), tuple(people), tuple(marriages))
                households, people, marriages = [], [], []


class _Family:
    """Makes one household at a time; remembers every ID number made, so none repeats."""

    def __init__(self, rng: random.Random, today: dt.date) -> None:
        self.rng = rng
        self.today = today
        self.used: set[str] = set()
        self.marriages = 0
        self.ethnicities = [name for name, _ in ETHNICITIES]
        self.weights = [weight for _, weight in ETHNICITIES]

    def household(self, number: int, room: int) -> tuple[Household, list[Resident], list[Marriage]]:
        """A household of at most `room` residents: head first, then spouse, children, a parent."""
        rng = self.rng
        region = rng.choice(list(COUNTIES))
        code = f"{region}{number:08d}"
        head_sex = rng.choice((MALE, FEMALE))
        head = self.person(self.born(rng.randint(22, 80)), head_sex, region, code)
        members, marriages = [head], []
        if room > 1 and rng.random() < 0.7:
            spouse = self.spouse(head, region, code)
            husband, wife = (head, spouse) if head_sex == MALE else (spouse, head)
            members.append(spouse)
            marriages.append(self.marriage(husband, wife, region))
            members += self.children(husband, wife, marriages[0].registered_on, region, code, room - 2)
        if len(members) < room and rng.random() < 0.12 and head.birth_date.year > self.today.year - 70:
            members.append(
                self.person(
                    _years(head.birth_date, -rng.randint(22, 32)), rng.choice((MALE, FEMALE)), region, code
                )
            )
        address = f"浙江省温州市{COUNTIES[region]}{rng.choice(STREETS)}{rng.randint(1, 399)}号"
        return Household(code, address, head.id_number, region), members, marriages

    def born(self, age: int) -> dt.date:
        """A birth date `age` full years ago (up to a year earlier)."""
        return _years(self.today, -age) - dt.timedelta(days=self.rng.randrange(365))

    def spouse(self, head: Resident, region: str, household: str) -> Resident:
        sex = FEMALE if head.sex == MALE else MALE
        born = head.birth_date + dt.timedelta(days=self.rng.randint(-6 * 365, 6 * 365))
        of_age = _years(self.today, -(22 if sex == MALE else 20))
        return self.person(min(born, of_age), sex, region, household)

    def marriage(self, husband: Resident, wife: Resident, region: str) -> Marriage:
        of_age = max(_years(husband.birth_date, 22), _years(wife.birth_date, 20))
        registered = of_age + dt.timedelta(days=self.rng.randint(0, min(8 * 365, (self.today - of_age).days)))
        self.marriages += 1
        return Marriage(
            husband.id_number, wife.id_number, registered, f"J{region}-{registered:%Y}-{self.marriages:06d}"
        )

    def children(
        self, father: Resident, mother: Resident, married: dt.date, region: str, household: str, room: int
    ) -> list[Resident]:
        """Up to 3 children, born after the marriage while the mother was 21 to 40."""
        rng = self.rng
        count = min(room, rng.choices((0, 1, 2, 3), (20, 45, 30, 5))[0])
        earliest = max(_years(mother.birth_date, 21), married)
        latest = min(_years(mother.birth_date, 40), self.today)
        if count <= 0 or earliest > latest:
            return []
        span = (latest - earliest).days
        return [
            self.person(
                earliest + dt.timedelta(days=rng.randint(0, span)),
                rng.choice((MALE, FEMALE)),
                region,
                household,
                surname=father.name[0],
            )
            for _ in range(count)
        ]

    def person(self, born: dt.date, sex: str, region: str, household: str, surname: str = "") -> Resident:
        rng = self.rng
        return Resident(
            id_number=self.id_number(region, born, sex),
            name=(surname or rng.choice(SURNAMES)) + "".join(rng.choices(GIVEN, k=rng.randint(1, 2))),
            sex=sex,
            birth_date=born,
            ethnicity=rng.choices(self.ethnicities, self.weights)[0],
            birth_place=f"浙江省温州市{COUNTIES[region]}" if rng.random() < 0.85 else rng.choice(ELSEWHERE),
            household=household,
            phone=rng.choice(("138", "139", "150", "186", "177")) + f"{rng.randrange(10**8):08d}"
            if born <= _years(self.today, -16)
            else "",
        )

    def id_number(self, region: str, born: dt.date, sex: str) -> str:
        """A GB 11643 number not made before: odd sequence for men, even for women."""
        while True:
            sequence = self.rng.randrange(500) * 2 + (1 if sex == MALE else 0)
            first17 = f"{region}{born:%Y%m%d}{sequence:03d}"
            number = first17 + id_number_check_char(first17)
            if number not in self.used:
                self.used.add(number)
                return number
