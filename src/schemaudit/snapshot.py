"""The JSON snapshot: the model written out exactly, and read back into equal values.

The conversion is driven by the dataclasses' own type hints, so adding a field to the model
needs no change here. Fields equal to their default are left out to keep files small and
readable; reading fills them back in. The format carries a version: a file from a newer,
incompatible format is refused with a clear message instead of being half-read.
"""

from __future__ import annotations

import dataclasses
import operator
import types
import typing
from collections.abc import Callable
from enum import Enum
from functools import cache
from itertools import compress
from operator import ne
from typing import Any, Union

from schemaudit import model, model_objects
from schemaudit.errors import SchemauditError
from schemaudit.files import encode_json, escape_json
from schemaudit.identifiers import IdentifierRules

FORMAT = "schemaudit-snapshot"
VERSION = 1


def to_dict(schema: model.Schema) -> dict[str, Any]:
    return {"format": FORMAT, "version": VERSION, "schema": _dump(schema)}


def dumps(schema: model.Schema) -> str:
    """Deterministic JSON text (sorted tables come from the model; keys keep field order):
    `json_text(to_dict(schema))`, written without building the dictionary first."""
    parts: list[str] = []
    dump(schema, parts.append)
    return "".join(parts)


def dump(schema: model.Schema, put: Callable[[str], object]) -> None:
    """`dumps(schema)` handed to `put` in pieces, so a file can be written without the whole
    text (23 MB for 5,000 tables) or a dictionary of every value (a million) in memory."""
    put('{\n  "format": ' + escape_json(FORMAT) + ',\n  "version": ' + str(VERSION) + ',\n  "schema": ')
    _write(schema, put, 1, {})
    put("\n}\n")


def _write(value: Any, put: Callable[[str], object], level: int, spelled: _Spelled) -> None:
    """One value as `json_text` indents it at `level`, the fields `_dump` keeps in its order.
    A schema of 75,000 columns holds a few dozen distinct types, so each is spelled once
    per level (`spelled`)."""
    kind: Any = type(value)
    fields = _write_fields(kind)
    if fields is None:
        if isinstance(value, tuple):
            if not value:
                put("[]")
                return
            pad = _pad(level + 1)
            put("[" + pad)
            for i, item in enumerate(value):
                if i:
                    put("," + pad)
                _write(item, put, level + 1, spelled)
            put(_pad(level) + "]")
        else:
            encode_json(value.value if isinstance(value, Enum) else value, put, level)
        return
    if kind is model.SqlType:
        key = (value, level)
        text = spelled.get(key)
        if text is None:
            pieces: list[str] = []
            _write_object(value, fields, pieces.append, level, spelled)
            text = spelled[key] = "".join(pieces)
        put(text)
        return
    _write_object(value, fields, put, level, spelled)


def _write_object(value: Any, fields: _Fields, put: Callable[[str], object], level: int, spelled: _Spelled) -> None:
    get, keys, defaults = fields
    items = get(value)
    pad = _pad(level + 1)
    opened = False
    # the fields that differ from their default (`_dump` leaves the others out; a field
    # without one differs from _MISSING), picked in C: most of a column's fields are defaults
    for key, item in compress(zip(keys, items, strict=True), map(ne, items, defaults)):
        head = ("," if opened else "{") + pad + key
        opened = True
        kind = type(item)  # the common scalars spelled here, as `encode_json` spells them
        if kind is str:
            put(head + escape_json(item))
        elif kind is bool:
            put(head + ("true" if item else "false"))
        elif kind is int:
            put(head + int.__repr__(item))
        elif item is None:
            put(head + "null")
        else:
            put(head)
            _write(item, put, level + 1, spelled)
    put(_pad(level) + "}" if opened else "{}")


_Fields = tuple[Callable[[Any], tuple[Any, ...]], tuple[str, ...], tuple[Any, ...]]
_Spelled = dict[tuple[Any, int], str]


@cache
def _write_fields(cls: Any) -> _Fields | None:
    """For `_write`: a getter of the fields `_dump` reads, in order, and each field's key as
    written (`"name": `) with its default; None for any type but a dataclass."""
    fields = _dump_fields(cls)
    if fields is None:
        return None
    names = [name for name, _ in fields]
    get = operator.attrgetter(*names) if len(names) > 1 else lambda v: (getattr(v, names[0]),)
    return get, tuple(escape_json(name) + ": " for name in names), tuple(default for _, default in fields)


@cache
def _pad(level: int) -> str:
    return "\n" + "  " * level


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
    return _loader(tp)(raw)


@cache
def _loader(tp: Any) -> Callable[[Any], Any]:
    """The reader of values of type `tp`, decided once per type: asking the same questions
    of the type for each of a schema's tens of thousands of values was a third of reading a
    models source's answer."""
    if tp is str or tp is bool or tp is int:
        plain: type = tp

        def load_plain(raw: Any) -> Any:
            if isinstance(raw, plain) and (plain is not int or not isinstance(raw, bool)):
                return raw
            raise TypeError(f"expected {plain.__name__}, got {raw!r}")

        return load_plain
    origin = typing.get_origin(tp)
    if origin in (Union, types.UnionType):
        inner_types = [a for a in typing.get_args(tp) if a is not type(None)]

        def load_optional(raw: Any) -> Any:
            if raw is None:
                return None
            (inner,) = inner_types
            return _loader(inner)(raw)

        return load_optional
    if origin is tuple:
        item_type = typing.get_args(tp)[0]

        def load_tuple(raw: Any) -> Any:
            if not isinstance(raw, list):
                raise TypeError(f"expected a list, got {type(raw).__name__}")
            item = _loader(item_type)
            return tuple(item(v) for v in raw)

        return load_tuple
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return _object_loader(tp)
    if isinstance(tp, type) and issubclass(tp, Enum):
        return tp
    return lambda raw: _refuse(tp, raw)


def _object_loader(cls: type) -> Callable[[Any], Any]:
    fields = _init_fields(cls)
    readers: dict[str, Callable[[Any], Any]] = {}  # filled on first use (types may nest)

    def reader(name: str) -> Callable[[Any], Any]:
        found = readers.get(name)
        if found is None:
            found = readers[name] = _loader(_hints(cls)[name])
        return found

    def load_object(raw: Any) -> Any:
        if not isinstance(raw, dict):
            raise TypeError(f"expected an object for {cls.__name__}, got {type(raw).__name__}")
        unknown = raw.keys() - fields
        if unknown:
            raise ValueError(f"unknown field(s) {sorted(unknown)} in {cls.__name__}")
        return cls(**{name: reader(name)(v) for name, v in raw.items()})

    return load_object


def _refuse(tp: Any, raw: Any) -> Any:
    """A field of a type no snapshot holds (the model has none): the file is not ours."""
    raise TypeError(f"expected {getattr(tp, '__name__', tp)}, got {raw!r}")
