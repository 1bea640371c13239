"""PostgreSQL objects beyond tables, read in one bulk query and assembled into `Objects`.

One query (`OBJECTS`) returns one row per object of every modelled kind, as
`(kind, name, facts as json)`, so reading them costs one round trip whatever the schema
holds. Definitions come from the server's own printers (`pg_get_viewdef`,
`pg_get_functiondef`, `pg_get_triggerdef`, `pg_get_constraintdef`, `pg_get_expr`), under
the `search_path` the loader set to the audited schema, so names in it print unqualified
and two databases built from the same DDL print the same text.

Dependencies come from `pg_depend`: the relations a view's rewrite rule reads, the
routines and row types a routine needs, and whether a table's default, check or index calls
a routine (then it must exist before the tables). Sequences that are a column's own
(identity, or serial with the column default calling them) stay on the column's
`Identity`, and are dropped here by the assembler, which knows the columns. Functions the
server made for another object (a range type's constructors) are that object's, not listed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

from schemaudit.model import Table
from schemaudit.model_objects import (
    Domain,
    DomainCheck,
    EnumType,
    Extension,
    Objects,
    Policy,
    Routine,
    RowSecurity,
    Sequence,
    Trigger,
    View,
)

KINDS: Final = ("extension", "enum", "domain", "sequence", "view", "routine", "trigger", "policy")


def _not_member(classid: str, oid: str) -> str:
    return f"""NOT EXISTS (SELECT 1 FROM pg_depend x
        WHERE x.classid = '{classid}'::regclass AND x.objid = {oid} AND x.deptype = 'e')"""


def _comment(classid: str, oid: str) -> str:
    return f"""(SELECT d.description FROM pg_description d
        WHERE d.objoid = {oid} AND d.classoid = '{classid}'::regclass AND d.objsubid = 0)"""


# -> (kind, name, json facts); kinds: extension, enum, domain, sequence, view, routine,
# trigger, policy, rls. `plpgsql` is every database's, never the application's.
OBJECTS: Final = f"""
SELECT 'extension', e.extname::text, json_build_object(
    'schema', en.nspname, 'version', e.extversion, 'comment', {_comment("pg_extension", "e.oid")})
FROM pg_extension e JOIN pg_namespace en ON en.oid = e.extnamespace
WHERE e.extname <> 'plpgsql'
UNION ALL
SELECT CASE t.typtype WHEN 'e' THEN 'enum' ELSE 'domain' END, t.typname::text, json_build_object(
    'values', CASE WHEN t.typtype = 'e' THEN ARRAY(
        SELECT l.enumlabel::text FROM pg_enum l WHERE l.enumtypid = t.oid ORDER BY l.enumsortorder) END,
    'base', CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) END,
    'notnull', t.typnotnull, 'default', t.typdefault,
    'checks', ARRAY(SELECT json_build_array(k.conname::text, pg_get_constraintdef(k.oid))
                    FROM pg_constraint k WHERE k.contypid = t.oid ORDER BY k.conname),
    'collation', (SELECT co.collname FROM pg_collation co JOIN pg_type b ON b.oid = t.typbasetype
                  WHERE co.oid = t.typcollation AND t.typcollation <> b.typcollation),
    'comment', {_comment("pg_type", "t.oid")})
FROM pg_type t
WHERE t.typnamespace = %(ns)s AND t.typtype IN ('e', 'd') AND {_not_member("pg_type", "t.oid")}
UNION ALL
SELECT 'sequence', c.relname::text, json_build_object(
    'type', format_type(s.seqtypid, NULL), 'start', s.seqstart, 'increment', s.seqincrement,
    'min', s.seqmin, 'max', s.seqmax, 'cache', s.seqcache, 'cycle', s.seqcycle,
    'owned_by', (SELECT oc.relname || '.' || oa.attname FROM pg_depend o
                 JOIN pg_class oc ON oc.oid = o.refobjid
                 JOIN pg_attribute oa ON oa.attrelid = o.refobjid AND oa.attnum = o.refobjsubid
                 WHERE o.classid = 'pg_class'::regclass AND o.objid = c.oid
                   AND o.refclassid = 'pg_class'::regclass AND o.deptype = 'a' LIMIT 1),
    'comment', {_comment("pg_class", "c.oid")})
FROM pg_class c JOIN pg_sequence s ON s.seqrelid = c.oid
WHERE c.relnamespace = %(ns)s AND c.relkind = 'S' AND {_not_member("pg_class", "c.oid")}
  AND NOT EXISTS (SELECT 1 FROM pg_depend i WHERE i.classid = 'pg_class'::regclass
                  AND i.objid = c.oid AND i.deptype = 'i')
UNION ALL
SELECT 'view', c.relname::text, json_build_object(
    'definition', pg_get_viewdef(c.oid), 'materialized', c.relkind = 'm',
    'columns', ARRAY(SELECT a.attname::text FROM pg_attribute a
                     WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum),
    'options', c.reloptions,
    'depends_on', ARRAY(SELECT DISTINCT dc.relname::text FROM pg_rewrite r
                        JOIN pg_depend dp ON dp.classid = 'pg_rewrite'::regclass AND dp.objid = r.oid
                         AND dp.refclassid = 'pg_class'::regclass
                        JOIN pg_class dc ON dc.oid = dp.refobjid
                        WHERE r.ev_class = c.oid AND dc.oid <> c.oid AND dc.relnamespace = %(ns)s),
    'indexes', ARRAY(SELECT pg_get_indexdef(ix.indexrelid) FROM pg_index ix
                     WHERE ix.indrelid = c.oid ORDER BY 1),
    'comment', {_comment("pg_class", "c.oid")})
FROM pg_class c
WHERE c.relnamespace = %(ns)s AND c.relkind IN ('v', 'm') AND {_not_member("pg_class", "c.oid")}
UNION ALL
SELECT 'routine', p.oid::regprocedure::text, json_build_object(
    'kind', CASE p.prokind WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate' ELSE 'function' END,
    'definition', CASE WHEN p.prokind <> 'a' THEN pg_get_functiondef(p.oid) END,
    'language', l.lanname, 'returns', pg_get_function_result(p.oid),
    'volatility', p.provolatile, 'strict', p.proisstrict, 'secdef', p.prosecdef,
    'args', pg_get_function_identity_arguments(p.oid),
    'body', CASE WHEN l.lanname NOT IN ('c', 'internal') THEN NULLIF(p.prosrc, '') END,
    'aggregate', (SELECT json_build_object(
        'sfunc', ag.aggtransfn::regproc::text, 'stype', format_type(ag.aggtranstype, NULL),
        'finalfunc', NULLIF(ag.aggfinalfn, 0)::regproc::text, 'initcond', ag.agginitval,
        'combinefunc', NULLIF(ag.aggcombinefn, 0)::regproc::text, 'sortop', NULLIF(ag.aggsortop, 0)::regoperator::text)
        FROM pg_aggregate ag WHERE ag.aggfnoid = p.oid),
    'depends_on', ARRAY(
        SELECT DISTINCT COALESCE(dr.relname::text, dp.refobjid::regprocedure::text)
        FROM pg_depend dp
        LEFT JOIN pg_type dt ON dp.refclassid = 'pg_type'::regclass AND dt.oid = dp.refobjid
        LEFT JOIN pg_class dr ON dr.oid = dt.typrelid AND dr.relkind IN ('r', 'p', 'v', 'm')
        LEFT JOIN pg_proc dpp ON dp.refclassid = 'pg_proc'::regclass AND dpp.oid = dp.refobjid
        WHERE dp.classid = 'pg_proc'::regclass AND dp.objid = p.oid AND dp.deptype = 'n'
          AND (dr.relnamespace = %(ns)s OR (dpp.pronamespace = %(ns)s AND dpp.oid <> p.oid))),
    'used_by_tables', EXISTS (
        SELECT 1 FROM pg_depend u WHERE u.refclassid = 'pg_proc'::regclass AND u.refobjid = p.oid
          AND u.classid IN ('pg_attrdef'::regclass, 'pg_constraint'::regclass, 'pg_class'::regclass)),
    'comment', {_comment("pg_proc", "p.oid")})
FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
WHERE p.pronamespace = %(ns)s AND {_not_member("pg_proc", "p.oid")}
  AND NOT EXISTS (SELECT 1 FROM pg_depend i WHERE i.classid = 'pg_proc'::regclass
                  AND i.objid = p.oid AND i.deptype = 'i')
UNION ALL
SELECT 'trigger', t.tgname::text, json_build_object(
    'table', c.relname, 'definition', pg_get_triggerdef(t.oid), 'function', t.tgfoid::regproc::text,
    'type', t.tgtype, 'enabled', t.tgenabled, 'comment', {_comment("pg_trigger", "t.oid")})
FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
WHERE c.relnamespace = %(ns)s AND NOT t.tgisinternal AND t.tgparentid = 0
UNION ALL
SELECT 'policy', pol.polname::text, json_build_object(
    'table', c.relname, 'command', pol.polcmd, 'permissive', pol.polpermissive,
    'roles', ARRAY(SELECT CASE WHEN r = 0 THEN 'public' ELSE pg_get_userbyid(r)::text END
                   FROM unnest(pol.polroles) AS r ORDER BY 1),
    'using', pg_get_expr(pol.polqual, pol.polrelid), 'check', pg_get_expr(pol.polwithcheck, pol.polrelid),
    'comment', {_comment("pg_policy", "pol.oid")})
FROM pg_policy pol JOIN pg_class c ON c.oid = pol.polrelid
WHERE c.relnamespace = %(ns)s
UNION ALL
SELECT 'rls', c.relname::text, json_build_object('forced', c.relforcerowsecurity)
FROM pg_class c
WHERE c.relnamespace = %(ns)s AND c.relrowsecurity
"""

_VOLATILITY = {"i": "immutable", "s": "stable", "v": "volatile"}
_COMMANDS = {"r": "SELECT", "a": "INSERT", "w": "UPDATE", "d": "DELETE", "*": "ALL"}
_ROW, _BEFORE, _INSERT, _DELETE, _UPDATE, _TRUNCATE, _INSTEAD = 1, 2, 4, 8, 16, 32, 64  # pg_trigger.tgtype
_LIMITS = {"smallint": 2**15 - 1, "integer": 2**31 - 1, "bigint": 2**63 - 1}


def assemble(rows: Iterable[tuple[str, str, dict[str, Any]]], tables: Iterable[Table], schema: str) -> Objects:
    """The objects of the rows; `tables` tells which sequences are a column's own."""
    own = {
        (c.identity.sequence or "")
        for t in tables
        for c in t.columns
        if c.identity is not None and c.identity.kind == "serial"
    }
    found: dict[str, list[Any]] = {k: [] for k in (*KINDS, "rls")}
    for kind, name, facts in rows:
        if kind == "sequence" and name in own:
            continue
        found[kind].append(_BUILDERS[kind](name, facts, schema))
    return Objects(
        kinds=KINDS,
        extensions=_sorted(found["extension"]),
        enums=_sorted(found["enum"]),
        domains=_sorted(found["domain"]),
        sequences=_sorted(found["sequence"]),
        views=_sorted(found["view"]),
        routines=_sorted(found["routine"]),
        triggers=tuple(sorted(found["trigger"], key=lambda t: (t.table, t.name))),
        policies=tuple(sorted(found["policy"], key=lambda p: (p.table, p.name))),
        row_security=tuple(sorted(found["rls"], key=lambda r: r.table)),
    )


def _sorted(items: list[Any]) -> tuple[Any, ...]:
    return tuple(sorted(items, key=lambda o: o.name))


def _extension(name: str, f: dict[str, Any], schema: str) -> Extension:
    where = f["schema"]
    return Extension(name, None if where == schema else where, f["version"], f["comment"] or None)


def _type(name: str, f: dict[str, Any], schema: str) -> EnumType | Domain:
    if f["values"] is not None:
        return EnumType(name, tuple(f["values"]), f["comment"] or None)
    checks = tuple(DomainCheck(n, d) for n, d in f["checks"])
    return Domain(name, f["base"], not f["notnull"], f["default"], checks, f["collation"], f["comment"] or None)


def _sequence(name: str, f: dict[str, Any], schema: str) -> Sequence:
    """Bounds are kept only when they differ from the defaults for the type and direction."""
    top = _LIMITS.get(f["type"], 2**63 - 1)
    ascending = f["increment"] > 0
    default_min, default_max = (1, top) if ascending else (-top - 1, -1)
    return Sequence(
        name,
        f["type"],
        f["start"],
        f["increment"],
        None if f["min"] == default_min else f["min"],
        None if f["max"] == default_max else f["max"],
        f["cache"],
        f["cycle"],
        f["owned_by"],
        f["comment"] or None,
    )


def _view(name: str, f: dict[str, Any], schema: str) -> View:
    return View(
        name,
        f["definition"],
        f["materialized"],
        tuple(f["columns"]),
        tuple(sorted(f["options"] or ())),
        tuple(sorted(f["depends_on"])),
        tuple(_unqualified(i, " ON ", schema) for i in f["indexes"]) if f["materialized"] else (),
        f["comment"] or None,
    )


def _unqualified(text: str, before: str, schema: str) -> str:
    """The definition without the audited schema's name after `before` (the printers qualify
    a routine's and a trigger's table name always), so schemas of other names compare equal
    and the statement runs in whichever schema the plan's `search_path` names."""
    for spelled in {schema, '"' + schema.replace('"', '""') + '"'}:
        text = text.replace(f"{before}{spelled}.", before, 1)
    return text


def _routine(name: str, f: dict[str, Any], schema: str) -> Routine:
    definition = f["definition"]
    if definition is None:
        definition = _aggregate(name.split("(", 1)[0], f["args"], f["aggregate"])
    else:
        definition = _unqualified(definition, "FUNCTION " if f["kind"] == "function" else "PROCEDURE ", schema)
    return Routine(
        name,
        f["kind"],
        definition,
        f["language"],
        f["returns"],
        _VOLATILITY.get(f["volatility"], f["volatility"]),
        f["strict"],
        f["secdef"],
        tuple(sorted(d for d in f["depends_on"] if d)),
        f["used_by_tables"],
        f["comment"] or None,
        body=f["body"],
    )


def _aggregate(name: str, args: str, agg: dict[str, Any]) -> str:
    """CREATE AGGREGATE from pg_aggregate (the server has no printer for aggregates)."""
    parts = [f"SFUNC = {agg['sfunc']}", f"STYPE = {agg['stype']}"]
    if agg["finalfunc"]:
        parts.append(f"FINALFUNC = {agg['finalfunc']}")
    if agg["combinefunc"]:
        parts.append(f"COMBINEFUNC = {agg['combinefunc']}")
    if agg["initcond"] is not None:
        parts.append("INITCOND = '" + agg["initcond"].replace("'", "''") + "'")
    if agg["sortop"]:
        parts.append(f"SORTOP = {agg['sortop'].split('(', 1)[0]}")
    return f"CREATE AGGREGATE {name}({args or '*'}) (\n    " + ",\n    ".join(parts) + "\n)"


def _trigger(name: str, f: dict[str, Any], schema: str) -> Trigger:
    bits = f["type"]
    timing = "INSTEAD OF" if bits & _INSTEAD else "BEFORE" if bits & _BEFORE else "AFTER"
    events = tuple(
        word
        for bit, word in ((_INSERT, "INSERT"), (_UPDATE, "UPDATE"), (_DELETE, "DELETE"), (_TRUNCATE, "TRUNCATE"))
        if bits & bit
    )
    return Trigger(
        name,
        f["table"],
        _unqualified(f["definition"], " ON ", schema),
        f["function"],
        timing,
        events,
        bool(bits & _ROW),
        f["enabled"],
        f["comment"] or None,
    )


def _policy(name: str, f: dict[str, Any], schema: str) -> Policy:
    return Policy(
        name,
        f["table"],
        _COMMANDS[f["command"]],
        f["permissive"],
        tuple(f["roles"]),
        f["using"],
        f["check"],
        f["comment"] or None,
    )


def _rls(name: str, f: dict[str, Any], schema: str) -> RowSecurity:
    return RowSecurity(name, f["forced"])


_BUILDERS: Final[dict[str, Any]] = {
    "extension": _extension,
    "enum": _type,
    "domain": _type,
    "sequence": _sequence,
    "view": _view,
    "routine": _routine,
    "trigger": _trigger,
    "policy": _policy,
    "rls": _rls,
}
