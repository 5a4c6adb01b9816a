"""The rule language: SQL boolean expressions, parsed once, evaluated per applicant.

A rule is the WHERE clause a database would run, restricted to what guidance needs::

    rule      := or
    or        := and ("OR" and)*
    and       := not ("AND" not)*
    not       := "NOT" not | predicate
    predicate := operand [ cmp operand | ["NOT"] "IN" "(" literal ("," literal)* ")"
                         | "IS" ["NOT"] "NULL" | ["NOT"] "BETWEEN" operand "AND" operand ]
    operand   := literal | name | "(" rule ")"
    cmp       := "=" | "<>" | "!=" | "<" | "<=" | ">" | ">="
    literal   := 'text' | number | TRUE | FALSE | NULL
    name      := letter (letter | digit | "_" | ".")*

Evaluation follows SQL's three-valued logic: an unanswered question is NULL, a comparison
with NULL is unknown, and a rule applies only when it is TRUE. `Rule.to_sql()` renders the
same expression as standard SQL so that it can run over a table of residents; an adapter
transpiles it to a particular engine's dialect. Nothing here calls `eval`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TypeAlias

from yijianshi.domain.errors import RuleError

Value: TypeAlias = str | int | float | bool | None

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<string>'(?:[^']|'')*')
      | (?P<number>\d+(?:\.\d+)?)
      | (?P<op><>|!=|<=|>=|=|<|>|\(|\)|,)
      | (?P<word>[A-Za-z_][A-Za-z0-9_.]*)
      | (?P<bad>\S)
    )""",
    re.VERBOSE,
)
_KEYWORDS = {"AND", "OR", "NOT", "IN", "IS", "NULL", "TRUE", "FALSE", "BETWEEN"}


@dataclass(frozen=True, slots=True)
class Token:
    kind: str
    text: str
    position: int


def _tokens(text: str) -> list[Token]:
    tokens: list[Token] = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind is None:  # trailing white space
            continue
        value = match.group(kind)
        position = match.start(kind)
        if kind == "bad":
            raise RuleError(f"unexpected character {value!r}", position)
        if kind == "word" and value.upper() in _KEYWORDS:
            kind, value = "keyword", value.upper()
        tokens.append(Token(kind, value, position))
    tokens.append(Token("end", "", len(text)))
    return tokens


class Node:
    """Base of the rule syntax tree."""

    def evaluate(self, values: Mapping[str, Value]) -> Value:
        raise NotImplementedError

    def sql(self, column: Callable[[str], str]) -> str:
        raise NotImplementedError

    def children(self) -> tuple[Node, ...]:
        return ()


@dataclass(frozen=True, slots=True)
class Literal(Node):
    value: Value

    def evaluate(self, values: Mapping[str, Value]) -> Value:
        return self.value

    def sql(self, column: Callable[[str], str]) -> str:
        if self.value is None:
            return "NULL"
        if isinstance(self.value, bool):
            return "TRUE" if self.value else "FALSE"
        if isinstance(self.value, str):
            return "'" + self.value.replace("'", "''") + "'"
        return repr(self.value)


@dataclass(frozen=True, slots=True)
class Name(Node):
    name: str
    position: int

    def evaluate(self, values: Mapping[str, Value]) -> Value:
        return values.get(self.name)

    def sql(self, column: Callable[[str], str]) -> str:
        return column(self.name)


def _coerce(left: Value, right: Value) -> tuple[Value, Value] | None:
    """Bring two non-NULL values to one comparable type, or None when they cannot be."""
    if isinstance(left, bool) or isinstance(right, bool):
        return (left, right) if type(left) is type(right) else None
    numeric = (int, float)
    if isinstance(left, numeric) and isinstance(right, numeric):
        return left, right
    if isinstance(left, str) and isinstance(right, str):
        return left, right
    try:  # a numeric answer given as text, as forms deliver it
        return float(left), float(right)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


_COMPARE: dict[str, Callable[[Value, Value], bool]] = {
    "=": lambda a, b: a == b,
    "<>": lambda a, b: a != b,
    "<": lambda a, b: a < b,  # type: ignore[operator]
    "<=": lambda a, b: a <= b,  # type: ignore[operator]
    ">": lambda a, b: a > b,  # type: ignore[operator]
    ">=": lambda a, b: a >= b,  # type: ignore[operator]
}


def _compare(op: str, left: Value, right: Value) -> bool | None:
    if left is None or right is None:
        return None
    pair = _coerce(left, right)
    if pair is None:
        return None if op not in ("=", "<>") else op == "<>"
    return _COMPARE[op](*pair)


@dataclass(frozen=True, slots=True)
class Compare(Node):
    op: str
    left: Node
    right: Node

    def evaluate(self, values: Mapping[str, Value]) -> Value:
        return _compare(self.op, self.left.evaluate(values), self.right.evaluate(values))

    def sql(self, column: Callable[[str], str]) -> str:
        return f"{self.left.sql(column)} {self.op} {self.right.sql(column)}"

    def children(self) -> tuple[Node, ...]:
        return (self.left, self.right)


@dataclass(frozen=True, slots=True)
class In(Node):
    operand: Node
    options: tuple[Literal, ...]
    negated: bool

    def evaluate(self, values: Mapping[str, Value]) -> Value:
        value = self.operand.evaluate(values)
        results = [_compare("=", value, option.value) for option in self.options]
        found: bool | None = True if True in results else (None if None in results else False)
        return found if found is None or not self.negated else not found

    def sql(self, column: Callable[[str], str]) -> str:
        options = ", ".join(option.sql(column) for option in self.options)
        keyword = "NOT IN" if self.negated else "IN"
        return f"{self.operand.sql(column)} {keyword} ({options})"

    def children(self) -> tuple[Node, ...]:
        return (self.operand, *self.options)


@dataclass(frozen=True, slots=True)
class IsNull(Node):
    operand: Node
    negated: bool

    def evaluate(self, values: Mapping[str, Value]) -> Value:
        return (self.operand.evaluate(values) is None) != self.negated

    def sql(self, column: Callable[[str], str]) -> str:
        return f"{self.operand.sql(column)} IS {'NOT ' if self.negated else ''}NULL"

    def children(self) -> tuple[Node, ...]:
        return (self.operand,)


@dataclass(frozen=True, slots=True)
class Between(Node):
    operand: Node
    low: Node
    high: Node
    negated: bool

    def evaluate(self, values: Mapping[str, Value]) -> Value:
        value = self.operand.evaluate(values)
        inside = _and(
            [
                _compare(">=", value, self.low.evaluate(values)),
                _compare("<=", value, self.high.evaluate(values)),
            ]
        )
        return _not(inside) if self.negated else inside

    def sql(self, column: Callable[[str], str]) -> str:
        keyword = "NOT BETWEEN" if self.negated else "BETWEEN"
        return f"{self.operand.sql(column)} {keyword} {self.low.sql(column)} AND {self.high.sql(column)}"

    def children(self) -> tuple[Node, ...]:
        return (self.operand, self.low, self.high)


def _truth(value: Value) -> bool | None:
    return None if value is None else bool(value)


def _not(value: Value) -> bool | None:
    truth = _truth(value)
    return None if truth is None else not truth


def _and(values: list[Value]) -> bool | None:
    truths = [_truth(v) for v in values]
    if False in truths:
        return False
    return None if None in truths else True


def _or(values: list[Value]) -> bool | None:
    truths = [_truth(v) for v in values]
    if True in truths:
        return True
    return None if None in truths else False


@dataclass(frozen=True, slots=True)
class Not(Node):
    operand: Node

    def evaluate(self, values: Mapping[str, Value]) -> Value:
        return _not(self.operand.evaluate(values))

    def sql(self, column: Callable[[str], str]) -> str:
        return f"NOT ({self.operand.sql(column)})"

    def children(self) -> tuple[Node, ...]:
        return (self.operand,)


@dataclass(frozen=True, slots=True)
class Junction(Node):
    """AND or OR over two or more operands."""

    op: str
    operands: tuple[Node, ...]

    def evaluate(self, values: Mapping[str, Value]) -> Value:
        # Evaluated eagerly: three-valued logic needs every operand when none decides.
        results = [operand.evaluate(values) for operand in self.operands]
        return _and(results) if self.op == "AND" else _or(results)

    def sql(self, column: Callable[[str], str]) -> str:
        return f" {self.op} ".join(f"({operand.sql(column)})" for operand in self.operands)

    def children(self) -> tuple[Node, ...]:
        return self.operands


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.index = 0

    @property
    def current(self) -> Token:
        return self.tokens[self.index]

    def take(self, kind: str, text: str | None = None) -> Token | None:
        token = self.current
        if token.kind == kind and (text is None or token.text == text):
            self.index += 1
            return token
        return None

    def expect(self, kind: str, text: str, what: str) -> Token:
        token = self.take(kind, text)
        if token is None:
            raise RuleError(f"expected {what}, found {self._describe()}", self.current.position)
        return token

    def _describe(self) -> str:
        token = self.current
        return "the end of the rule" if token.kind == "end" else repr(token.text)

    def parse(self) -> Node:
        node = self.disjunction()
        if self.current.kind != "end":
            raise RuleError(f"unexpected {self._describe()}", self.current.position)
        return node

    def disjunction(self) -> Node:
        operands = [self.conjunction()]
        while self.take("keyword", "OR"):
            operands.append(self.conjunction())
        return operands[0] if len(operands) == 1 else Junction("OR", tuple(operands))

    def conjunction(self) -> Node:
        operands = [self.negation()]
        while self.take("keyword", "AND"):
            operands.append(self.negation())
        return operands[0] if len(operands) == 1 else Junction("AND", tuple(operands))

    def negation(self) -> Node:
        if self.take("keyword", "NOT"):
            return Not(self.negation())
        return self.predicate()

    def predicate(self) -> Node:
        left = self.operand()
        token = self.current
        if token.kind == "op" and token.text in ("=", "<>", "!=", "<", "<=", ">", ">="):
            self.index += 1
            return Compare("<>" if token.text == "!=" else token.text, left, self.operand())
        if self.take("keyword", "IS"):
            negated = self.take("keyword", "NOT") is not None
            self.expect("keyword", "NULL", "NULL after IS")
            return IsNull(left, negated)
        negated = self.take("keyword", "NOT") is not None
        if self.take("keyword", "IN"):
            return In(left, self.option_list(), negated)
        if self.take("keyword", "BETWEEN"):
            low = self.operand()
            self.expect("keyword", "AND", "AND between the bounds of BETWEEN")
            return Between(left, low, self.operand(), negated)
        if negated:
            raise RuleError(
                f"expected IN or BETWEEN after NOT, found {self._describe()}", self.current.position
            )
        return left

    def option_list(self) -> tuple[Literal, ...]:
        self.expect("op", "(", "'(' to open the list after IN")
        options = [self.literal()]
        while self.take("op", ","):
            options.append(self.literal())
        self.expect("op", ")", "')' to close the list after IN")
        return tuple(options)

    def literal(self) -> Literal:
        token = self.current
        if token.kind == "string":
            self.index += 1
            return Literal(token.text[1:-1].replace("''", "'"))
        if token.kind == "number":
            self.index += 1
            return Literal(float(token.text) if "." in token.text else int(token.text))
        if token.kind == "keyword" and token.text in ("TRUE", "FALSE", "NULL"):
            self.index += 1
            return Literal({"TRUE": True, "FALSE": False, "NULL": None}[token.text])
        raise RuleError(f"expected a value, found {self._describe()}", token.position)

    def operand(self) -> Node:
        token = self.current
        if self.take("op", "("):
            node = self.disjunction()
            self.expect("op", ")", "')'")
            return node
        if token.kind == "word":
            self.index += 1
            return Name(token.text, token.position)
        return self.literal()


def _walk(node: Node) -> Iterator[Node]:
    yield node
    for child in node.children():
        yield from _walk(child)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@dataclass(frozen=True, slots=True)
class Rule:
    """A parsed rule; build one with `Rule.parse`."""

    text: str
    tree: Node

    @classmethod
    def parse(cls, text: str) -> Rule:
        """Parse `text`; raise RuleError with the offending character offset."""
        if not text.strip():
            raise RuleError("the rule is empty", 0)
        return cls(text, _Parser(text).parse())

    def applies(self, values: Mapping[str, Value]) -> bool:
        """True only when the rule evaluates to TRUE (unknown counts as not applying)."""
        return self.tree.evaluate(values) is True

    def names(self) -> list[Name]:
        """Every name the rule reads, in order of appearance."""
        return [node for node in _walk(self.tree) if isinstance(node, Name)]

    def comparisons(self) -> Iterator[tuple[Name, Literal]]:
        """Pairs of a name and a literal it is compared with (=, <>, IN)."""
        for node in _walk(self.tree):
            if isinstance(node, Compare):
                left, right = node.left, node.right
                if isinstance(left, Name) and isinstance(right, Literal):
                    yield left, right
                elif isinstance(right, Name) and isinstance(left, Literal):
                    yield right, left
            elif isinstance(node, In) and isinstance(node.operand, Name):
                for option in node.options:
                    yield node.operand, option

    def to_sql(self, column: Callable[[str], str] = _quote) -> str:
        """Render as a standard SQL boolean expression; `column` maps a name to SQL."""
        return self.tree.sql(column)
