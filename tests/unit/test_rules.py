import sqlite3

import pytest
import sqlglot
from hypothesis import given, settings
from hypothesis import strategies as st

from yijianshi.domain.errors import RuleError
from yijianshi.domain.rules import Rule


def test_a_rule_applies_only_when_true() -> None:
    rule = Rule.parse("insurance = 'employee' AND want_card IN ('yes', 'later')")
    assert rule.applies({"insurance": "employee", "want_card": "yes"})
    assert not rule.applies({"insurance": "resident", "want_card": "yes"})


def test_an_unanswered_question_is_null_and_does_not_apply() -> None:
    rule = Rule.parse("insurance <> 'employee'")
    assert not rule.applies({})
    assert Rule.parse("insurance IS NULL").applies({})
    assert Rule.parse("NOT (insurance = 'x') OR TRUE").applies({})


def test_numbers_compare_as_numbers_even_when_answered_as_text() -> None:
    rule = Rule.parse("age >= 60 AND years BETWEEN 15 AND 40")
    assert rule.applies({"age": "60", "years": "15"})
    assert not rule.applies({"age": "59", "years": "15"})


def test_keywords_are_case_insensitive_and_quotes_escape() -> None:
    rule = Rule.parse("name = 'O''Brien' and not flag = true")
    assert rule.applies({"name": "O'Brien", "flag": False})


@pytest.mark.parametrize(
    ("text", "message", "position"),
    [
        ("a = ", "expected a value, found the end of the rule", 4),
        ("a == 1", "expected a value, found '='", 3),
        ("a IN 'x'", "expected '(' to open the list after IN", 5),
        ("(a = 1", "expected ')'", 6),
        ("a = 1 b", "unexpected 'b'", 6),
        ("a = 1; DROP TABLE x", "unexpected character ';'", 5),
        ("__import__('os')", "unexpected '('", 10),
        ("", "the rule is empty", 0),
    ],
)
def test_malformed_rules_are_refused_with_the_place(text: str, message: str, position: int) -> None:
    with pytest.raises(RuleError) as caught:
        Rule.parse(text)
    assert message in caught.value.message
    assert caught.value.position == position


def test_a_rule_lists_the_names_it_reads() -> None:
    rule = Rule.parse("a = 'x' OR (b IN ('y', 'z') AND c IS NOT NULL)")
    assert [n.name for n in rule.names()] == ["a", "b", "c"]
    assert [(n.name, lit.value) for n, lit in rule.comparisons()] == [("a", "x"), ("b", "y"), ("b", "z")]


def test_rendered_sql_parses_in_sqlglot_for_other_engines() -> None:
    rule = Rule.parse("insurance = 'employee' AND NOT age BETWEEN 1 AND 3 OR x IS NULL")
    for dialect in ("duckdb", "postgres", "spark"):
        assert sqlglot.transpile(rule.to_sql(), read="postgres", write=dialect)


QUESTIONS = ["a", "b", "c"]
OPTIONS = ["yes", "no", "x"]

atoms = st.one_of(
    st.builds(
        lambda q, o, op: f"{q} {op} '{o}'",
        st.sampled_from(QUESTIONS),
        st.sampled_from(OPTIONS),
        st.sampled_from(["=", "<>", "<", ">="]),
    ),
    st.builds(
        lambda q, os, neg: f"{q} {'NOT ' if neg else ''}IN ({', '.join(repr(o) for o in os)})",
        st.sampled_from(QUESTIONS),
        st.lists(st.sampled_from(OPTIONS), min_size=1, max_size=3),
        st.booleans(),
    ),
    st.builds(
        lambda q, neg: f"{q} IS {'NOT ' if neg else ''}NULL", st.sampled_from(QUESTIONS), st.booleans()
    ),
)
rules = st.recursive(
    atoms,
    lambda inner: st.one_of(
        st.builds(lambda a, b, op: f"({a}) {op} ({b})", inner, inner, st.sampled_from(["AND", "OR"])),
        st.builds(lambda a: f"NOT ({a})", inner),
    ),
    max_leaves=8,
)
answers = st.fixed_dictionaries({q: st.one_of(st.none(), st.sampled_from(OPTIONS)) for q in QUESTIONS})


@settings(max_examples=300, deadline=None)
@given(rules, answers)
def test_python_evaluation_agrees_with_a_sql_engine(text: str, values: dict[str, str | None]) -> None:
    rule = Rule.parse(text)
    with sqlite3.connect(":memory:") as db:
        db.execute("CREATE TABLE t (a TEXT, b TEXT, c TEXT)")
        db.execute("INSERT INTO t VALUES (?, ?, ?)", [values[q] for q in QUESTIONS])
        (matches,) = db.execute(f"SELECT count(*) FROM t WHERE {rule.to_sql()}").fetchone()
    assert rule.applies(values) == (matches == 1)
