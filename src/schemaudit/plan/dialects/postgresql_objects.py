"""PostgreSQL statements for objects beyond tables: create, drop, alter in place, rename,
comment. The planner (`plan/objects.py`) decides the order; this module only spells.

Views, routines and triggers are recreated from the definition the server printed
(`pg_get_viewdef`, `pg_get_functiondef`, `pg_get_triggerdef`), which runs as it is under
the `search_path` the apply session sets to the audited schema. `alter` returns None when a
difference cannot be made in place (a trigger's definition, a policy's command, a domain's
base type): the planner then drops and recreates the object.
"""

from __future__ import annotations

from schemaudit.identifiers import quote
from schemaudit.model_objects import (
    AnyObject,
    Domain,
    EnumType,
    Event,
    Extension,
    Policy,
    Routine,
    RowSecurity,
    Sequence,
    Trigger,
    View,
    VirtualTable,
)

VIEWS_BIND_COLUMNS = True
OR_REPLACE_VIEWS = True
# bodies may call routines created later in the same step: checked when called
ROUTINE_PREAMBLE: tuple[str, ...] = ("SET LOCAL check_function_bodies = off",)
_ENABLE = {"O": "ENABLE TRIGGER", "D": "DISABLE TRIGGER", "R": "ENABLE REPLICA TRIGGER", "A": "ENABLE ALWAYS TRIGGER"}


def q(name: str) -> str:
    return quote(name, "postgresql")


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _routine_ref(r: Routine) -> str:
    base, _, args = r.name.partition("(")
    return f"{r.kind.upper()} {q(base)}({args}"


def _view_ref(v: View) -> str:
    return f"{'MATERIALIZED VIEW' if v.materialized else 'VIEW'} {q(v.name)}"


def ref(obj: AnyObject) -> str:
    """How COMMENT ON / DROP name the object."""
    if isinstance(obj, Extension):
        return f"EXTENSION {q(obj.name)}"
    if isinstance(obj, EnumType):
        return f"TYPE {q(obj.name)}"
    if isinstance(obj, Domain):
        return f"DOMAIN {q(obj.name)}"
    if isinstance(obj, Sequence):
        return f"SEQUENCE {q(obj.name)}"
    if isinstance(obj, View):
        return _view_ref(obj)
    if isinstance(obj, Routine):
        return _routine_ref(obj)
    if isinstance(obj, Trigger):
        return f"TRIGGER {q(obj.name)} ON {q(obj.table)}"
    if isinstance(obj, Policy):
        return f"POLICY {q(obj.name)} ON {q(obj.table)}"
    if isinstance(obj, Event):
        return f"EVENT {q(obj.name)}"
    if isinstance(obj, VirtualTable):
        raise ValueError("PostgreSQL has no virtual tables")
    return f"TABLE {q(obj.table)}"


def create(obj: AnyObject) -> list[str]:
    """Statements that create the object as the target has it, its comment included."""
    out = _create(obj)
    comment = getattr(obj, "comment", None)
    if comment is not None:
        out.append(f"COMMENT ON {ref(obj)} IS {literal(comment)}")
    return out


def _create(obj: AnyObject) -> list[str]:
    if isinstance(obj, Extension):
        text = f"CREATE EXTENSION IF NOT EXISTS {q(obj.name)}"
        if obj.schema:
            text += f" WITH SCHEMA {q(obj.schema)}"
        return [text + (f" VERSION {literal(obj.version)}" if obj.version else "")]
    if isinstance(obj, EnumType):
        return [f"CREATE TYPE {q(obj.name)} AS ENUM ({', '.join(literal(v) for v in obj.values)})"]
    if isinstance(obj, Domain):
        parts = [f"CREATE DOMAIN {q(obj.name)} AS {obj.base}"]
        if obj.collation:
            parts.append(f"COLLATE {q(obj.collation)}")
        if obj.default is not None:
            parts.append(f"DEFAULT {obj.default}")
        if not obj.nullable:
            parts.append("NOT NULL")
        parts += [f"CONSTRAINT {q(c.name)} {c.expression}" for c in obj.checks]
        return [" ".join(parts)]
    if isinstance(obj, Sequence):
        return [f"CREATE SEQUENCE {q(obj.name)} {_sequence_options(obj, creating=True)}"]
    if isinstance(obj, View):
        body = obj.definition.strip().rstrip(";")
        head = "CREATE MATERIALIZED VIEW" if obj.materialized else "CREATE VIEW"
        options = f" WITH ({', '.join(obj.options)})" if obj.options else ""
        return [f"{head} {q(obj.name)}{options} AS\n{body}", *obj.indexes]
    if isinstance(obj, Routine):
        return [obj.definition.strip()]
    if isinstance(obj, Trigger):
        out = [obj.definition.strip()]
        if obj.enabled != "O":
            out.append(f"ALTER TABLE {q(obj.table)} {_ENABLE[obj.enabled]} {q(obj.name)}")
        return out
    if isinstance(obj, Policy):
        return [_policy(obj)]
    if isinstance(obj, RowSecurity):
        out = [f"ALTER TABLE {q(obj.table)} ENABLE ROW LEVEL SECURITY"]
        return out + ([f"ALTER TABLE {q(obj.table)} FORCE ROW LEVEL SECURITY"] if obj.forced else [])
    return [obj.definition]


def _sequence_options(s: Sequence, creating: bool) -> str:
    parts = [f"AS {s.data_type}", f"INCREMENT BY {s.increment}"]
    parts.append(f"MINVALUE {s.min_value}" if s.min_value is not None else "NO MINVALUE")
    parts.append(f"MAXVALUE {s.max_value}" if s.max_value is not None else "NO MAXVALUE")
    parts += [f"START WITH {s.start}", f"CACHE {s.cache}", "CYCLE" if s.cycle else "NO CYCLE"]
    return " ".join(parts)


def _policy(p: Policy) -> str:
    text = f"CREATE POLICY {q(p.name)} ON {q(p.table)}"
    if not p.permissive:
        text += " AS RESTRICTIVE"
    text += f" FOR {p.command} TO {', '.join('PUBLIC' if r == 'public' else q(r) for r in p.roles)}"
    if p.using is not None:
        text += f" USING ({p.using})"
    if p.with_check is not None:
        text += f" WITH CHECK ({p.with_check})"
    return text


def drop(obj: AnyObject) -> list[str]:
    if isinstance(obj, RowSecurity):
        out = [f"ALTER TABLE {q(obj.table)} DISABLE ROW LEVEL SECURITY"]
        return out + ([f"ALTER TABLE {q(obj.table)} NO FORCE ROW LEVEL SECURITY"] if obj.forced else [])
    return [f"DROP {ref(obj)}"]


def owned_by(s: Sequence) -> list[str]:
    """OWNED BY runs once the table exists (after the tables' steps)."""
    if s.owned_by is None:
        return []
    table, _, column = s.owned_by.partition(".")
    return [f"ALTER SEQUENCE {q(s.name)} OWNED BY {q(table)}.{q(column)}"]


def rename(from_: AnyObject, to: AnyObject) -> list[str] | None:
    if isinstance(from_, View) and isinstance(to, View):
        return [f"ALTER {_view_ref(from_)} RENAME TO {q(to.name)}"]
    if isinstance(from_, Routine) and isinstance(to, Routine):
        return [f"ALTER {_routine_ref(from_)} RENAME TO {q(to.base_name)}"]
    if isinstance(from_, Trigger) and isinstance(to, Trigger):
        return [f"ALTER TRIGGER {q(from_.name)} ON {q(to.table)} RENAME TO {q(to.name)}"]
    raise ValueError(f"cannot rename {type(from_).__name__}")


def alter(from_: AnyObject, to: AnyObject, what: tuple[str, ...]) -> list[str] | None:
    """In-place statements for the differences, or None when it takes drop + create."""
    out: list[str] = []
    rest = [w for w in what if w != "comment"]
    if rest:
        done = _alter(from_, to, tuple(rest))
        if done is None:
            return None
        out += done
    if "comment" in what:
        comment = getattr(to, "comment", None)
        out.append(f"COMMENT ON {ref(to)} IS {literal(comment) if comment is not None else 'NULL'}")
    return out


def _alter(from_: AnyObject, to: AnyObject, what: tuple[str, ...]) -> list[str] | None:
    if isinstance(to, Extension) and isinstance(from_, Extension):
        out = (
            [f"ALTER EXTENSION {q(to.name)} UPDATE TO {literal(to.version)}"]
            if "version" in what and to.version
            else []
        )
        if "schema" in what:
            out.append(f"ALTER EXTENSION {q(to.name)} SET SCHEMA {q(to.schema) if to.schema else 'CURRENT_SCHEMA'}")
        return out or None
    if isinstance(to, Sequence) and isinstance(from_, Sequence):
        out = [f"ALTER SEQUENCE {q(to.name)} {_sequence_options(to, creating=False)}"]
        if "owned_by" in what:
            out += owned_by(to) if to.owned_by else [f"ALTER SEQUENCE {q(to.name)} OWNED BY NONE"]
        return out
    if isinstance(to, Domain) and isinstance(from_, Domain):
        return _alter_domain(from_, to, what)
    if isinstance(to, Trigger) and isinstance(from_, Trigger) and what == ("enabled",):
        return [f"ALTER TABLE {q(to.table)} {_ENABLE[to.enabled]} {q(to.name)}"]
    if isinstance(to, Routine) and isinstance(from_, Routine) and to.kind != "aggregate":
        return [to.definition.strip()]  # CREATE OR REPLACE
    if isinstance(to, RowSecurity):
        return [f"ALTER TABLE {q(to.table)} {'FORCE' if to.forced else 'NO FORCE'} ROW LEVEL SECURITY"]
    return None


def _alter_domain(from_: Domain, to: Domain, what: tuple[str, ...]) -> list[str] | None:
    if "base" in what or "collation" in what:
        return None
    name, out = q(to.name), []
    if "default" in what:
        out.append(
            f"ALTER DOMAIN {name} " + (f"SET DEFAULT {to.default}" if to.default is not None else "DROP DEFAULT")
        )
    if "nullable" in what:
        out.append(f"ALTER DOMAIN {name} {'DROP' if to.nullable else 'SET'} NOT NULL")
    if "checks" in what:
        out += [f"ALTER DOMAIN {name} DROP CONSTRAINT {q(c.name)}" for c in from_.checks if c not in to.checks]
        out += [
            f"ALTER DOMAIN {name} ADD CONSTRAINT {q(c.name)} {c.expression}" for c in to.checks if c not in from_.checks
        ]
    return out


def enum_additions(from_: EnumType, to: EnumType) -> list[str] | None:
    """ADD VALUE for each new label, placed where the target has it; None when labels are
    removed or reordered (that takes the type swap)."""
    kept = [v for v in to.values if v in from_.values]
    if kept != list(from_.values):
        return None
    out: list[str] = []
    for i, value in enumerate(to.values):
        if value in from_.values:
            continue
        where = f" AFTER {literal(to.values[i - 1])}" if i else f" BEFORE {literal(kept[0])}" if kept else ""
        out.append(f"ALTER TYPE {q(to.name)} ADD VALUE IF NOT EXISTS {literal(value)}{where}")
    return out
