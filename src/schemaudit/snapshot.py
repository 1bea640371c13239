"""The JSON snapshot: the model written out exactly, and read back into equal values.

The conversion is driven by the dataclasses' own type hints, so adding a field to the model
needs no change here. Fields equal to their default are left out to keep files small and
readable; reading fills them back in. The format carries a version: a file from a newer,
incompatible format is refused with a clear message instead of being half-read.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from enum import Enum
from functools import cache
from typing import Any, Union

from schemaudit import model, model_objects
from schemaudit.errors import SchemauditError
from schemaudit.files import json_text
from schemaudit.identifiers import IdentifierRules

FORMAT = "schemaudit-snapshot"
VERSION = 1


def to_dict(schema: model.Schema) -> dict[str, Any]:
    return {"format": FORMAT, "version": VERSION, "schema": _dump(schema)}


def dumps(schema: model.Schema) -> str:
    """Deterministic JSON text (sorted tables come from the model; keys keep field order)."""
    return json_text(to_dict(schema))


def loads(text: str, where: str = "snapshot") -> model.Schema:
    from schemaudit.files import parse_json

    return from_dict(parse_json(text, where), where)


def from_dict(data: Any, where: str = "snapshot") -> model.Schema:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise SchemauditError(f'{where} is not a schemaudit snapshot (no "format": "{FORMAT}")')
    version = data.get("version")
    if version != VERSION:
        raise SchemauditError(f"{where} has snapshot version {version!r}; this schemaudit reads version {VERSION}")
    try:
        schema = _load(model.Schema, data["schema"])
    except (KeyError, TypeError, ValueError) as exc:
        raise SchemauditError(f"{where} is a malformed snapshot: {str(exc)[:200]}") from None
    except RecursionError:
        raise SchemauditError(f"{where} is a malformed snapshot: nested too deeply") from None
    assert isinstance(schema, model.Schema)
    return schema


def _dump(value: Any) -> Any:
    kind: Any = type(value)
    fields = _dump_fields(kind)
    if fields is not None:
        out: dict[str, Any] = {}
        for name, default in fields:
            item = getattr(value, name)
            if default is not _MISSING and item == default:  # a default is left out
                continue
            out[name] = _dump(item)
        return out
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple):
        return [_dump(v) for v in value]
    return value


_MISSING: Any = dataclasses.MISSING


@cache
def _dump_fields(cls: Any) -> tuple[tuple[str, Any], ...] | None:
    """(name, default) of a dataclass's init fields, or None for any other type: asked per
    value written, so answered once per class (a 5,000-table schema has a million values)."""
    if not dataclasses.is_dataclass(cls):
        return None
    return tuple((f.name, f.default) for f in dataclasses.fields(cls) if f.init)


@cache
def _init_fields(cls: type) -> frozenset[str]:
    return frozenset(f.name for f in dataclasses.fields(cls) if f.init)


@cache
def _hints(cls: type) -> dict[str, Any]:
    namespace = {**vars(model_objects), **vars(model), "IdentifierRules": IdentifierRules}
    return typing.get_type_hints(cls, globalns=namespace)


def _load(tp: Any, raw: Any) -> Any:
    if (tp is str and isinstance(raw, str)) or (tp is bool and isinstance(raw, bool)):
        return raw  # most values: answered before the generic questions below
    origin = typing.get_origin(tp)
    if origin in (Union, types.UnionType):
        if raw is None:
            return None
        (inner,) = [a for a in typing.get_args(tp) if a is not type(None)]
        return _load(inner, raw)
    if origin is tuple:
        if not isinstance(raw, list):
            raise TypeError(f"expected a list, got {type(raw).__name__}")
        args = typing.get_args(tp)
        return tuple(_load(args[0], v) for v in raw)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        if not isinstance(raw, dict):
            raise TypeError(f"expected an object for {tp.__name__}, got {type(raw).__name__}")
        hints = _hints(tp)
        unknown = raw.keys() - _init_fields(tp)
        if unknown:
            raise ValueError(f"unknown field(s) {sorted(unknown)} in {tp.__name__}")
        return tp(**{name: _load(hints[name], v) for name, v in raw.items()})
    if isinstance(tp, type) and issubclass(tp, Enum):
        return tp(raw)
    if tp is int and isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    if tp in (str, bool) and isinstance(raw, tp):
        return raw
    raise TypeError(f"expected {getattr(tp, '__name__', tp)}, got {raw!r}")
