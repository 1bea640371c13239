"""Comparing objects one side read from a file's text (`Objects.textual`): on the facts the
text states exactly, never on the printed definition, which a file cannot match.

A function compares on its kind, language, volatility, strictness, security and body (the
server keeps the body verbatim, so it compares as text, unchanged); a trigger on its table,
timing, events, level, function and arguments, enabled state and comment; a sequence and an
enum type on all their facts; an extension on its name, and on its schema, version and
comment only where both sides state them (a file's `CREATE EXTENSION x` names no version,
the database has the one it installed).
"""

from __future__ import annotations

from schemaudit.model_objects import AnyObject, EnumType, Extension, Routine, Sequence, Trigger
from schemaudit.pg_words import trigger_call

_ROUTINE = ("kind", "language", "volatility", "strict", "security_definer", "body", "comment")
_TRIGGER = ("table", "timing", "events", "for_each_row", "enabled", "comment")
_EXTENSION_STATED = ("schema", "version", "comment")


def text_differences(to: AnyObject, from_: AnyObject, audited: str) -> tuple[str, ...]:
    """The facts that differ between two objects of one kind, one of them read from text."""
    if isinstance(to, Routine) and isinstance(from_, Routine):
        return tuple(f for f in _ROUTINE if getattr(to, f) != getattr(from_, f))
    if isinstance(to, Trigger) and isinstance(from_, Trigger):
        what = [f for f in _TRIGGER if getattr(to, f) != getattr(from_, f)]
        if trigger_call(to.definition, audited) != trigger_call(from_.definition, audited):
            what.append("function")
        return tuple(what)
    if isinstance(to, Extension) and isinstance(from_, Extension):
        return tuple(
            f
            for f in _EXTENSION_STATED
            if getattr(to, f) is not None and getattr(from_, f) is not None and getattr(to, f) != getattr(from_, f)
        )
    if isinstance(to, (Sequence, EnumType)) and isinstance(from_, (Sequence, EnumType)):
        fields = ("values", "comment") if isinstance(to, EnumType) else tuple(to.__dataclass_fields__)
        return tuple(f for f in fields if f != "name" and getattr(to, f) != getattr(from_, f))
    return ()
