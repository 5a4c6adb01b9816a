"""JSON written as text by the caller, bound to a JSON column as it is.

A hot path that already holds a document's JSON text (an audit entry hashed over it, a
certificate signed over it) stores that text instead of having the column encode the object again.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, BindParameter, Dialect, TypeDecorator, bindparam


class EncodedJSON(TypeDecorator[str]):
    """A JSON column's value given as JSON text; stored unchanged (PostgreSQL casts it to json)."""

    impl = JSON
    cache_ok = True

    def bind_processor(self, dialect: Dialect) -> None:
        return None


def encoded(name: str) -> BindParameter[Any]:
    """A bind parameter `name` that takes JSON text for a JSON column."""
    return bindparam(name, type_=EncodedJSON)
