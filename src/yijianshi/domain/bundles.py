"""Bundles (一件事): items composed around a life event, with guidance questions.

A bundle lists items and, for each, an optional applicability rule over the answers to its
guidance questions (智能引导). Without an answer a question takes its default, so a bundle
with no answers at all plans its common path.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from yijianshi.domain.catalog import Catalog, Option, Ref
from yijianshi.domain.errors import InvalidAnswers
from yijianshi.domain.problems import Problem, untranslated
from yijianshi.domain.rules import Rule
from yijianshi.domain.text import Text


@dataclass(frozen=True, slots=True)
class Question:
    """A guidance question with its options (智能引导问题)."""

    code: str
    text: Text
    options: tuple[Option, ...]
    default: str
    help: Text | None = None

    def option_codes(self) -> tuple[str, ...]:
        return tuple(option.code for option in self.options)


@dataclass(frozen=True, slots=True)
class BundleItem:
    """An item of a bundle and the rule that decides whether it applies (None: always)."""

    item: str
    when: Rule | None = None


@dataclass(frozen=True, slots=True)
class ReportedFigures:
    """Figures a source reports for a bundle, kept to compare with what the plan computes."""

    source: str
    before: Mapping[str, float]
    after: Mapping[str, float]


@dataclass(frozen=True, slots=True)
class Bundle:
    """A one thing (一件事): a composition of items around one life event."""

    code: str
    name: Text
    lead_department: str
    items: tuple[BundleItem, ...]
    questions: tuple[Question, ...] = ()
    description: Text | None = None
    reported: ReportedFigures | None = None

    def question(self, code: str) -> Question | None:
        for question in self.questions:
            if question.code == code:
                return question
        return None

    def resolve_answers(self, answers: Mapping[str, str]) -> dict[str, str]:
        """Return every question's answer, defaults filled in.

        Raises InvalidAnswers naming each unknown question and each option not offered.
        """
        problems: list[str] = []
        for code, value in answers.items():
            question = self.question(code)
            if question is None:
                known = ", ".join(q.code for q in self.questions) or "none"
                problems.append(f"bundle {self.code!r} has no question {code!r} (questions: {known})")
            elif str(value) not in question.option_codes():
                offered = ", ".join(question.option_codes())
                problems.append(f"question {code!r} has no option {value!r} (options: {offered})")
        if problems:
            raise InvalidAnswers(problems)
        resolved = {q.code: q.default for q in self.questions}
        resolved.update({code: str(value) for code, value in answers.items()})
        return resolved

    def applicable(self, answers: Mapping[str, str]) -> list[str]:
        """Codes of the items that apply for fully resolved `answers`, in bundle order."""
        return [entry.item for entry in self.items if entry.when is None or entry.when.applies(answers)]


def _check_question(bundle: Bundle, index: int, question: Question) -> Iterator[Problem[Ref]]:
    if question.default not in question.option_codes():
        yield Problem(
            Ref("bundle", bundle.code, ("questions", index, "default")),
            untranslated(
                f"default {question.default!r} of question {question.code!r} is not one of "
                f"its options ({', '.join(question.option_codes())})"
            ),
        )


def _check_rule(bundle: Bundle, index: int, rule: Rule) -> Iterator[Problem[Ref]]:
    where = Ref("bundle", bundle.code, ("items", index, "when"))
    for name in rule.names():
        if bundle.question(name.name) is None:
            known = ", ".join(q.code for q in bundle.questions) or "none"
            yield Problem(
                where, untranslated(f"rule names unknown question {name.name!r} (questions: {known})")
            )
    for name, literal in rule.comparisons():
        question = bundle.question(name.name)
        if (
            question is not None
            and literal.value is not None
            and str(literal.value) not in question.option_codes()
        ):
            yield Problem(
                where,
                untranslated(
                    f"rule compares {name.name!r} with {literal.value!r}, which is "
                    f"not one of its options ({', '.join(question.option_codes())})"
                ),
            )


def bundle_problems(catalog: Catalog, bundle: Bundle) -> list[Problem[Ref]]:
    """Check a bundle against the catalogue: its items, department, questions and rules."""
    problems: list[Problem[Ref]] = []
    if bundle.lead_department not in catalog.departments:
        problems.append(
            Problem(
                Ref("bundle", bundle.code, ("lead_department",)),
                untranslated(f"unknown department {bundle.lead_department!r}"),
                refers_to=("department", bundle.lead_department),
            )
        )
    for index, question in enumerate(bundle.questions):
        problems.extend(_check_question(bundle, index, question))
    for index, entry in enumerate(bundle.items):
        if entry.item not in catalog.items:
            problems.append(
                Problem(
                    Ref("bundle", bundle.code, ("items", index, "item")),
                    untranslated(f"unknown item {entry.item!r}"),
                    refers_to=("item", entry.item),
                )
            )
        if entry.when is not None:
            problems.extend(_check_rule(bundle, index, entry.when))
    return problems
