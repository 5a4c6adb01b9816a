"""YAML documents with the line of every value, so problems can be reported as file:line."""

from __future__ import annotations

from collections.abc import Sequence
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


class Located:
    """A parsed document and the 1-based line of each path inside it.

    Lines are needed only to report a problem, so a document parsed from text indexes them
    on first use, by composing the text again; a catalogue of thousands of files with no
    problem never pays for its line maps.
    """

    __slots__ = ("_lines", "_text", "data")

    def __init__(
        self, data: Any, lines: dict[PathKey, int] | None = None, *, text: str | None = None
    ) -> None:
        self.data = data
        self._lines = lines if lines is not None or text is not None else {}
        self._text = text

    def without_data(self) -> Located:
        """The same document's lines without its data, for a reader done with the data."""
        return Located(None, self._lines, text=self._text)

    @property
    def lines(self) -> dict[PathKey, int]:
        if self._lines is None:
            self._lines = _line_map(self._text or "")
            self._text = None
        return self._lines

    def line(self, path: Sequence[str | int]) -> int:
        """The line of the longest prefix of `path` present in the document (1 if none).

        A mapping key that YAML read as a number (e.g. a year) is indexed as its text.
        """
        lines = self.lines
        found: PathKey = ()
        for part in path:
            for candidate in ((*found, part), (*found, str(part))):
                if candidate in lines:
                    found = candidate
                    break
            else:
                break
        return lines.get(found, 1)


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


def _line_map(text: str) -> dict[PathKey, int]:
    """The line of every path of a document that has parsed before."""
    loader = Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return {(): 1}
        _construct(loader, node)  # PyYAML's constructor merges `<<` keys into the node tree
    finally:
        loader.dispose()
    lines: dict[PathKey, int] = {}
    _index(node, (), lines)
    return lines


_STR, _MAP, _SEQ, _NULL, _BOOL, _INT, _FLOAT = (
    f"tag:yaml.org,2002:{kind}" for kind in ("str", "map", "seq", "null", "bool", "int", "float")
)
_KEY_TAGS = frozenset((_STR, _INT, _FLOAT, _BOOL, _NULL))
_STARTED = object()


class _Unusual(Exception):
    """A node the quick construction leaves to PyYAML's own constructor."""


class _QuickConstructor:
    """Builds the same data as SafeConstructor for plain documents, in one recursive walk.

    It handles mappings with scalar keys, sequences, and str, int, float, bool and null
    scalars, sharing an anchored node's object as PyYAML does. Anything else (merge keys,
    other tags, recursive aliases) raises _Unusual, and the caller constructs the whole
    document with PyYAML, which also raises PyYAML's own errors.
    """

    def __init__(self, loader: Any) -> None:
        self.loader = loader
        self.objects: dict[int, Any] = {}  # id(node) -> its object (_STARTED while being built)

    def __call__(self, node: yaml.Node) -> Any:
        kind = type(node)
        if kind is yaml.ScalarNode:
            return self.scalar(node)
        known = self.objects.get(id(node))
        if known is _STARTED:
            raise _Unusual
        if known is not None:  # an alias: PyYAML gives the anchored node's object again
            return known
        self.objects[id(node)] = _STARTED
        if kind is yaml.MappingNode and node.tag == _MAP:
            result: Any = {}
            for key, value in node.value:
                if type(key) is not yaml.ScalarNode or key.tag not in _KEY_TAGS:
                    raise _Unusual
                # most keys and values are plain text: take them without a call
                result[key.value if key.tag == _STR else self.scalar(key)] = (
                    value.value if type(value) is yaml.ScalarNode and value.tag == _STR else self(value)
                )
        elif kind is yaml.SequenceNode and node.tag == _SEQ:
            result = [self(value) for value in node.value]
        else:
            raise _Unusual
        self.objects[id(node)] = result
        return result

    def scalar(self, node: yaml.Node) -> Any:
        tag = node.tag
        if tag == _STR:
            return node.value
        if tag == _NULL:
            return None
        if tag == _BOOL:
            return self.loader.bool_values[node.value.lower()]
        if tag == _INT:
            return self.loader.construct_yaml_int(node)
        if tag == _FLOAT:
            return self.loader.construct_yaml_float(node)
        raise _Unusual


def _construct(loader: Any, node: yaml.Node) -> Any:
    try:
        return _QuickConstructor(loader)(node)
    except _Unusual:
        return loader.construct_document(node)


def parse(text: str) -> Located:
    """Parse one YAML document; raise YamlSyntaxError with its line."""
    loader = Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return Located(None, {(): 1})
        data = _construct(loader, node)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        raise YamlSyntaxError(line, f"YAML syntax: {error.problem or error}") from None
    except yaml.YAMLError as error:
        raise YamlSyntaxError(1, f"YAML: {error}") from None
    finally:
        loader.dispose()
    return Located(data, text=text)


def load(path: Path) -> Located:
    """Read and parse a UTF-8 YAML file; raise YamlSyntaxError (or OSError)."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise YamlSyntaxError(1, f"not UTF-8 text ({error.reason} at byte {error.start})") from None
    return parse(text)
