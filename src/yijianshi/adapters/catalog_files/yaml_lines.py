"""YAML documents with the line of every value, so problems can be reported as file:line."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import yaml

_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Loader(_Base):  # type: ignore[misc]
    """Safe loader that leaves dates as text: the schema parses them and can say where."""

    yaml_implicit_resolvers: ClassVar[dict[str, list[tuple[str, Any]]]] = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in _Base.yaml_implicit_resolvers.items()
    }

PathKey = tuple[str | int, ...]


@dataclass
class Located:
    """A parsed document and the 1-based line of each path inside it."""

    data: Any
    lines: dict[PathKey, int] = field(default_factory=dict)

    def line(self, path: Sequence[str | int]) -> int:
        """The line of the longest prefix of `path` present in the document (1 if none).

        A mapping key that YAML read as a number (e.g. a year) is indexed as its text.
        """
        found: PathKey = ()
        for part in path:
            for candidate in ((*found, part), (*found, str(part))):
                if candidate in self.lines:
                    found = candidate
                    break
            else:
                break
        return self.lines.get(found, 1)


class YamlSyntaxError(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def _index(node: yaml.Node, path: PathKey, lines: dict[PathKey, int]) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else str(key.start_mark.line)
            _index(value, (*path, name), lines)
            # a problem with the key itself (e.g. an unknown key) points at the key's line
            lines.setdefault((*path, name), key.start_mark.line + 1)
    elif isinstance(node, yaml.SequenceNode):
        for position, value in enumerate(node.value):
            _index(value, (*path, position), lines)


def parse(text: str) -> Located:
    """Parse one YAML document; raise YamlSyntaxError with its line."""
    loader = Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return Located(None, {(): 1})
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        raise YamlSyntaxError(line, f"YAML syntax: {error.problem or error}") from None
    except yaml.YAMLError as error:
        raise YamlSyntaxError(1, f"YAML: {error}") from None
    finally:
        loader.dispose()
    lines: dict[PathKey, int] = {}
    _index(node, (), lines)
    return Located(data, lines)


def load(path: Path) -> Located:
    """Read and parse a UTF-8 YAML file; raise YamlSyntaxError (or OSError)."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise YamlSyntaxError(1, f"not UTF-8 text ({error.reason} at byte {error.start})") from None
    return parse(text)
