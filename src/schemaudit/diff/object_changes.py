"""One immutable value per operation on an object beyond tables (view, routine, trigger,
sequence, type, extension, policy, event), like the table changes in `changes`.

`kind` is the object group (`model_objects.GROUPS`: "view", "routine", "trigger", ...);
`table` is the target-side table a trigger, policy or row-security flag belongs to, and
empty for objects of the schema, so code that groups changes by table finds them there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from schemaudit.model_objects import AnyObject, kind_label, object_name


def _where(obj: AnyObject, table: str) -> str:
    name = object_name(obj)
    if table and name != table:
        return f"{kind_label(obj)} {name} on {table}"
    return f"{kind_label(obj)} {name}"


@dataclass(frozen=True, slots=True)
class AddObject:
    rank: ClassVar[int] = 20
    kind: str
    to: AnyObject
    table: str = ""

    @property
    def name(self) -> str:
        return object_name(self.to)

    def describe(self) -> str:
        return f"{_where(self.to, self.table).capitalize()} is missing."


@dataclass(frozen=True, slots=True)
class DropObject:
    rank: ClassVar[int] = 21
    kind: str
    from_: AnyObject
    table: str = ""

    @property
    def name(self) -> str:
        return object_name(self.from_)

    def describe(self) -> str:
        return f"{_where(self.from_, self.table).capitalize()} is not in the target."


@dataclass(frozen=True, slots=True)
class ModifyObject:
    """`what` names the fields that differ (`definition`, `comment`, `values`, ...)."""

    rank: ClassVar[int] = 22
    kind: str
    from_: AnyObject
    to: AnyObject
    what: tuple[str, ...]
    table: str = ""

    @property
    def name(self) -> str:
        return object_name(self.to)

    @property
    def comment_only(self) -> bool:
        return self.what == ("comment",)

    def describe(self) -> str:
        return f"{_where(self.to, self.table).capitalize()} differs: {', '.join(self.what)}."


@dataclass(frozen=True, slots=True)
class RenameObject:
    """A current object that is the target's under another name (same definition)."""

    rank: ClassVar[int] = 23
    kind: str
    from_: AnyObject
    to: AnyObject
    reasons: tuple[str, ...]
    table: str = ""

    @property
    def name(self) -> str:
        return object_name(self.to)

    def describe(self) -> str:
        old = object_name(self.from_)
        return f"{_where(self.to, self.table).capitalize()} should be renamed from {old} ({'; '.join(self.reasons)})."


ObjectChange = AddObject | DropObject | ModifyObject | RenameObject
OBJECT_CHANGES = (AddObject, DropObject, ModifyObject, RenameObject)
