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
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out: dict[str, Any] = {}
        for f in dataclasses.fields(value):
            if not f.init:
                continue
            item = getattr(value, f.name)
            if _is_default(f, item):
                continue
            out[f.name] = _dump(item)
        return out
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple):
        return [_dump(v) for v in value]
    return value


def _is_default(f: dataclasses.Field[Any], value: Any) -> bool:
    if f.default is not dataclasses.MISSING:
        return bool(value == f.default)
    return False


@cache
def _hints(cls: type) -> dict[str, Any]:
    namespace = {**vars(model_objects), **vars(model), "IdentifierRules": IdentifierRules}
    return typing.get_type_hints(cls, globalns=namespace)


def _load(tp: Any, raw: Any) -> Any:
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
        fields = {f.name for f in dataclasses.fields(tp) if f.init}
        unknown = set(raw) - fields
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
