"""A PostgreSQL DDL file's functions, procedures, triggers, sequences, enum types and
extensions, read from its text when no scratch server prints them (`--scratch-url`).

These kinds can be read from the text exactly, fact by fact: the server keeps a function's
body verbatim (`pg_proc.prosrc` is the string between the `$$` delimiters, or the `'...'`
string with its `''` made one), and its language, volatility, strictness and security as
keywords; a trigger's table, timing, events, row or statement level, function and arguments;
a sequence's options; an enum's labels; an extension's name, and its schema, version and
comment where the file states them. `Objects.textual` names these kinds, so comparing uses
those facts (`diff.object_text`), never the printed definition, which the file cannot match.

Views cannot be read this way (the server rewrites a view's query), nor can an object with a
clause whose stored form is the server's own: a trigger's WHEN, a function's SET or COST, an
SQL-standard body (`BEGIN ATOMIC`, `RETURN`), a C function. Those stay listed as not audited,
each with the reason and the hint to pass --scratch-url.
"""

from __future__ import annotations

import re
from dataclasses import replace

from schemaudit.model import Schema
from schemaudit.model_objects import EnumType, Extension, Objects, Routine, Sequence, Trigger
from schemaudit.pg_words import Word, close_of, qualified, trigger_call, words
from schemaudit.sources.ddl.catalog import Catalog

KINDS = ("extension", "enum", "sequence", "routine", "trigger")
VIEW_HINT = "the server rewrites a view's query: pass --scratch-url to compare it"
HINT = "pass --scratch-url to compare it"
# kinds a scratch server reads that the text cannot: listed with the hint
_SERVER_KINDS = frozenset({"view", "materialized view", "aggregate", "policy", "domain", "rule"})
_VOLATILITY = {"IMMUTABLE": "immutable", "STABLE": "stable", "VOLATILE": "volatile"}
# function clauses whose stored form the text does not give exactly
_UNREAD_CLAUSES = frozenset({"LEAKPROOF", "PARALLEL", "COST", "ROWS", "SUPPORT", "SET", "WINDOW", "TRANSFORM"})
_CLAUSES = frozenset(
    {"LANGUAGE", "AS", "IMMUTABLE", "STABLE", "VOLATILE", "STRICT", "CALLED", "SECURITY", "EXTERNAL", "NOT", "RETURN",
     "BEGIN"} | _UNREAD_CLAUSES
)  # fmt: skip
_TRIGGER_UNREAD = ("CONSTRAINT", "WHEN", "REFERENCING", "FROM", "DEFERRABLE", "OF")
_TYPES = {"int2": "smallint", "smallint": "smallint", "int4": "integer", "int": "integer", "integer": "integer",
          "int8": "bigint", "bigint": "bigint"}  # fmt: skip
_LIMITS = {"smallint": 2**15 - 1, "integer": 2**31 - 1, "bigint": 2**63 - 1}
_OWNER = re.compile(r"(?is)^\s*ALTER\s+\w+\s+.*\bOWNER\s+TO\s+\S+\s*;?\s*$")


class Unread(ValueError):
    """An object whose text holds something not read exactly: the reason."""


def with_text_objects(schema: Schema, catalog: Catalog) -> Schema:
    audited = catalog.schema or "public"
    found: dict[tuple[str, str, str | None], object] = {}
    unread: dict[tuple[str, str, str | None], str] = {}
    gone: set[tuple[str, str, str | None]] = set()
    for kind, name, table, text in catalog.texts.created:
        if kind == "drop":  # a --clean dump drops before it creates; a later DROP removes
            gone |= _dropped(name, text, found, unread)
            continue
        gone.discard((kind, name, table))
        key = (kind, name, table)
        try:
            found[key] = _READERS[kind](name, table, text, audited)
        except Unread as why:
            unread[key] = str(why)
            found.pop(key, None)
        except KeyError:
            continue
    _alters(catalog, found, unread)
    comments = _comments(catalog, audited)
    objects = _objects(schema, catalog, found, unread, comments, audited)
    listed = []
    sequences = {s.name for s in objects.sequences}
    for obj in schema.not_audited:
        key = (obj.kind, obj.name, obj.table)
        if (key in found and key not in unread) or key in gone or (obj.kind == "sequence" and obj.name in sequences):
            continue
        reason = unread.get(key)
        if reason is None and obj.kind in _SERVER_KINDS:
            reason = VIEW_HINT if obj.kind in ("view", "materialized view") else HINT
        listed.append(replace(obj, reason=reason) if reason else obj)
    return replace(schema, objects=objects, not_audited=tuple(listed))


def _objects(
    schema: Schema,
    catalog: Catalog,
    found: dict[tuple[str, str, str | None], object],
    unread: dict[tuple[str, str, str | None], str],
    comments: dict[tuple[str, str, str], str | None],
    audited: str,
) -> Objects:
    kept = [obj for key, obj in found.items() if key not in unread]
    used = _table_expressions(schema)
    routines = [
        replace(r, comment=comments.get(("routine", r.base_name, "")), used_by_tables=f"{r.base_name}(" in used)
        for r in kept
        if isinstance(r, Routine)
    ]
    triggers = [replace(t, comment=comments.get(("trigger", t.name, t.table))) for t in kept if isinstance(t, Trigger)]
    extensions = [
        replace(e, comment=comments.get(("extension", e.name, ""), e.comment)) for e in kept if isinstance(e, Extension)
    ]
    enums = [EnumType(name, labels, comments.get(("type", name, ""))) for name, labels in catalog.enums.items()]
    return Objects(
        kinds=KINDS,
        textual=KINDS,
        extensions=tuple(sorted(extensions, key=lambda o: o.name)),
        enums=tuple(sorted(enums, key=lambda o: o.name)),
        sequences=tuple(sorted(_sequences(schema, catalog, comments), key=lambda o: o.name)),
        routines=tuple(sorted(routines, key=lambda o: o.name)),
        triggers=tuple(sorted(triggers, key=lambda t: (t.table, t.name))),
    )


def _table_expressions(schema: Schema) -> str:
    """Every default, check, generated and index expression of the tables, in one text: a
    function named there is created before the tables."""
    parts: list[str] = []
    for table in schema.tables:
        parts += [c.default or "" for c in table.columns]
        parts += [c.generated.expression for c in table.columns if c.generated is not None]
        parts += [c.expression for c in table.checks]
        parts += [e.expr for i in table.indexes for e in i.elements if e.is_expression]
        parts += [i.where or "" for i in table.indexes]
    return "\n".join(parts).lower()


# --- functions and procedures -------------------------------------------------------------


def _routine(name: str, table: str | None, text: str, audited: str) -> Routine:
    items = words(text)
    kind = "procedure" if any(w.is_("PROCEDURE") for w in items[:4]) else "function"
    at = next((i for i, w in enumerate(items) if w.kind == "symbol" and w.text == "("), len(items))
    i = close_of(items, at) + 1
    facts: dict[str, object] = {"volatility": "volatile", "strict": False, "security_definer": False}
    body: str | None = None
    while i < len(items):
        word = items[i]
        if word.is_("RETURNS") and not (i + 1 < len(items) and items[i + 1].is_("NULL")):
            i = _skip_type(items, i + 1)
            continue
        if word.is_("RETURNS", "STRICT"):  # RETURNS NULL ON NULL INPUT
            facts["strict"] = True
            i += 5 if word.text == "RETURNS" else 1
        elif word.is_("CALLED"):
            facts["strict"] = False
            i += 4
        elif word.is_("LANGUAGE") and i + 1 < len(items):
            facts["language"] = items[i + 1].text.lower()
            i += 2
        elif word.kind == "word" and word.text in _VOLATILITY:
            facts["volatility"] = _VOLATILITY[word.text]
            i += 1
        elif word.is_("EXTERNAL"):
            i += 1
        elif word.is_("SECURITY") and i + 1 < len(items):
            facts["security_definer"] = items[i + 1].is_("DEFINER")
            i += 2
        elif word.is_("NOT") and i + 1 < len(items) and items[i + 1].is_("LEAKPROOF"):
            i += 2
        elif word.is_("AS") and i + 1 < len(items) and items[i + 1].kind == "string":
            if not items[i + 1].exact or (i + 2 < len(items) and items[i + 2].text == ","):
                raise Unread(f"a C or escaped-string body is compared only as the server prints it: {HINT}")
            body = items[i + 1].text
            i += 2
        elif word.is_("RETURN", "BEGIN"):
            raise Unread(f"an SQL-standard body is kept parsed by the server: {HINT}")
        elif word.kind == "word" and word.text in _UNREAD_CLAUSES:
            raise Unread(f"its {word.text} clause is compared only as the server prints it: {HINT}")
        elif word.kind == "symbol" and word.text == ";":
            i += 1
        else:
            raise Unread(f"unread clause {word.text!r}: {HINT}")
    language = str(facts.get("language") or "")
    if not language or language in ("c", "internal") or body is None:
        raise Unread(f"a {language or 'body-less'} function is compared only as the server prints it: {HINT}")
    definition = re.sub(r"(?is)^\s*CREATE\s+(?:OR\s+REPLACE\s+)?", "CREATE OR REPLACE ", text, count=1)
    return Routine(
        name,
        kind,
        definition,
        language,
        volatility=str(facts["volatility"]),
        strict=bool(facts["strict"]),
        security_definer=bool(facts["security_definer"]),
        body=body,
    )


def _skip_type(items: list[Word], i: int) -> int:
    """The index after a RETURNS type (`SETOF x`, `TABLE(...)`, `character varying(10)[]`)."""
    while i < len(items):
        word = items[i]
        if word.kind == "word" and word.text in _CLAUSES:
            return i
        i = close_of(items, i) + 1 if word.kind == "symbol" and word.text == "(" else i + 1
    return i


# --- triggers -----------------------------------------------------------------------------


def _trigger(name: str, table: str | None, text: str, audited: str) -> Trigger:
    items = words(text)
    head = [w.text for w in items if w.kind == "word"]
    for word in _TRIGGER_UNREAD:
        if word in head[: head.index("EXECUTE") if "EXECUTE" in head else len(head)]:
            raise Unread(f"its {word} clause is compared only as the server prints it: {HINT}")
    i = next(i for i, w in enumerate(items) if w.is_("TRIGGER")) + 2
    if items[i].is_("INSTEAD"):
        timing, i = "INSTEAD OF", i + 2
    else:
        timing, i = items[i].text, i + 1
    events: list[str] = []
    while i < len(items) and not items[i].is_("ON"):
        if items[i].is_("INSERT", "UPDATE", "DELETE", "TRUNCATE"):
            events.append(items[i].text)
        i += 1
    order = ("INSERT", "UPDATE", "DELETE", "TRUNCATE")
    row = bool(re.search(r"(?is)\bFOR\s+(?:EACH\s+)?ROW\b", text))
    call = trigger_call(text, audited)
    if call is None:
        raise Unread(f"no EXECUTE FUNCTION read: {HINT}")
    return Trigger(
        name,
        table or "",
        text,
        call[0],
        timing,
        tuple(sorted(set(events), key=order.index)),
        row,
    )


# --- extensions ---------------------------------------------------------------------------


def _extension(name: str, table: str | None, text: str, audited: str) -> Extension:
    items = words(text)
    schema = version = None
    for i, word in enumerate(items[:-1]):
        if word.is_("SCHEMA"):
            schema = items[i + 1].name
        elif word.is_("VERSION"):
            version = items[i + 1].text if items[i + 1].kind == "string" else items[i + 1].name
        elif word.is_("CASCADE"):
            raise Unread(f"CASCADE creates extensions the file does not name: {HINT}")
    return Extension(name, None if schema in (None, audited) else schema, version)


_READERS = {"function": _routine, "procedure": _routine, "trigger": _trigger, "extension": _extension}


# --- what later statements change ---------------------------------------------------------


def _alters(
    catalog: Catalog, found: dict[tuple[str, str, str | None], object], unread: dict[tuple[str, str, str | None], str]
) -> None:
    """ALTER TABLE ... ENABLE/DISABLE TRIGGER sets a trigger's state; any other ALTER of a
    function, trigger or extension but OWNER TO changes what the text cannot follow."""
    states = {"DISABLE": "D", "ENABLE": "O", "ENABLE REPLICA": "R", "ENABLE ALWAYS": "A"}
    for table, text in catalog.texts.alters:
        if _OWNER.match(text):
            continue
        items = words(text)
        if table:
            for i, word in enumerate(items):
                if word.is_("ENABLE", "DISABLE"):
                    mode = word.text + (" " + items[i + 1].text if items[i + 1].is_("REPLICA", "ALWAYS") else "")
                    name = items[i + 2 + (mode.count(" "))]
                    for key, obj in found.items():
                        if isinstance(obj, Trigger) and obj.table == table:
                            if name.is_("ALL", "USER"):
                                unread[key] = f"ALTER TABLE ... {mode} TRIGGER {name.text}: {HINT}"
                            elif obj.name == name.name:
                                found[key] = replace(obj, enabled=states[mode])
                    break
            continue
        kind = items[1].text.lower() if len(items) > 1 else ""
        parts, _ = qualified(items, 2)
        base = parts[-1] if parts else ""
        for key in found:
            if (kind in ("function", "procedure") and key[0] == kind and key[1].split("(", 1)[0] == base) or (
                kind in ("trigger", "extension") and key[0] == kind and key[1] == base
            ):
                unread[key] = f"changed by a later ALTER {kind.upper()}: {HINT}"


def _dropped(
    kind: str,
    text: str,
    found: dict[tuple[str, str, str | None], object],
    unread: dict[tuple[str, str, str | None], str],
) -> set[tuple[str, str, str | None]]:
    """DROP FUNCTION / PROCEDURE / TRIGGER / EXTENSION [IF EXISTS] names: what the file made
    before is gone (a function by its name: the overload a DROP names is not told apart)."""
    items = words(text)
    i = 2 + 2 * (len(items) > 3 and items[2].is_("IF"))
    parts, i = qualified(items, i)
    table = None
    if kind == "trigger" and i < len(items) and items[i].is_("ON"):
        table_parts, _ = qualified(items, i + 1)
        table = table_parts[-1] if table_parts else None
    keys = {k for k in found if k[0] == kind and k[1].split("(", 1)[0] == (parts[-1] if parts else None)}
    keys = {k for k in keys if kind != "trigger" or k[2] == table}
    for key in keys:
        found.pop(key)
        unread.pop(key, None)
    return keys


def _comments(catalog: Catalog, audited: str) -> dict[tuple[str, str, str], str | None]:
    """COMMENT ON FUNCTION / TRIGGER / SEQUENCE / TYPE / EXTENSION, keyed (kind, name, table):
    a function by its name without arguments (a comment on one of two overloads is not told
    apart, and applies to both)."""
    out: dict[tuple[str, str, str], str | None] = {}
    for text in catalog.texts.comments:
        items = words(text)
        kind = items[2].text.lower()
        parts, i = qualified(items, 3)
        if not parts or (len(parts) > 1 and parts[-2] != audited):
            continue
        table = ""
        if kind == "trigger" and i < len(items) and items[i].is_("ON"):
            table_parts, i = qualified(items, i + 1)
            table = table_parts[-1] if table_parts else ""
        is_at = next((j for j in range(i, len(items)) if items[j].is_("IS")), -1)
        if is_at < 0 or is_at + 1 >= len(items):
            continue
        value = items[is_at + 1]
        comment = value.text if value.kind == "string" and value.text else None
        key_kind = "routine" if kind in ("function", "procedure") else kind
        out[(key_kind, parts[-1], table)] = comment
    return out


# --- sequences ----------------------------------------------------------------------------


def _sequences(schema: Schema, catalog: Catalog, comments: dict[tuple[str, str, str], str | None]) -> list[Sequence]:
    own = {c.identity.sequence for t in schema.tables for c in t.columns if c.identity and c.identity.kind == "serial"}
    out = []
    for key, name in catalog.sequences.items():
        if name in own:
            continue
        owner = catalog.owned.get(key)
        facts = _sequence_facts(catalog.texts.sequences.get(key, []))
        out.append(
            replace(
                facts,
                name=name,
                owned_by=f"{owner[0]}.{owner[1]}" if owner else None,
                comment=comments.get(("sequence", name, "")),
            )
        )
    return out


def _sequence_facts(texts: list[str]) -> Sequence:
    """The options of CREATE SEQUENCE and the ALTER SEQUENCEs after it, as pg_sequence holds them."""
    given: dict[str, object] = {}
    for text in texts:
        items = words(text)
        i = 0
        while i < len(items):
            word = items[i]
            following = items[i + 1] if i + 1 < len(items) else None
            if word.is_("AS") and following is not None:
                given["type"] = _TYPES.get(following.name, following.name)
            elif word.is_("INCREMENT", "START", "MINVALUE", "MAXVALUE", "CACHE"):
                j = i + 1 + (following is not None and following.is_("BY", "WITH"))
                if j < len(items) and items[j].kind == "number":
                    given[word.text] = int(items[j].text)
            elif word.is_("NO") and following is not None and following.is_("MINVALUE", "MAXVALUE", "CYCLE"):
                given[following.text] = None if following.text != "CYCLE" else False
                i += 1
            elif word.is_("CYCLE"):
                given["CYCLE"] = True
            i += 1
    data_type = str(given.get("type") or "bigint")
    top = _LIMITS.get(data_type, 2**63 - 1)
    step = int(given.get("INCREMENT") or 1)  # type: ignore[call-overload]
    ascending = step > 0
    default_min, default_max = (1, top) if ascending else (-top - 1, -1)
    low = given.get("MINVALUE")
    high = given.get("MAXVALUE")
    low_value = int(low) if isinstance(low, int) else default_min
    high_value = int(high) if isinstance(high, int) else default_max
    start = given.get("START")
    return Sequence(
        "",
        data_type,
        int(start) if isinstance(start, int) else (low_value if ascending else high_value),
        step,
        None if low_value == default_min else low_value,
        None if high_value == default_max else high_value,
        int(given.get("CACHE") or 1),  # type: ignore[call-overload]
        bool(given.get("CYCLE")),
    )
