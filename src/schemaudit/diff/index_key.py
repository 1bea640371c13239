"""What makes two index definitions the same index: a comparable key per index.

Elements compare by column (after renames) or normalized expression, with direction and
MySQL prefix length; the index by uniqueness, normalized WHERE, method (`btree` when
unstated) and INCLUDE columns. Between two databases of one dialect, each element's
operator class, collation and NULLS ordering count too: `text_pattern_ops` serves `LIKE 'a%'`
where the default class does not, `COLLATE "C"` orders differently, `NULLS FIRST` changes
which rows an `ORDER BY ... LIMIT` reads from the index. Across dialects they do not exist
on the other side and are left out.

Spellings are normalized the way the catalogs print them: an operator class or collation
compares without its schema (`public.gin_trgm_ops` is `gin_trgm_ops`), and an operator
class that is its type's default for the method (`pg_dump` omits them, a model may write
them) is no operator class at all. `nulls` is already None when it is the direction's
default (docs/CONVENTIONS.md).
"""

from __future__ import annotations

from collections.abc import Callable

from schemaudit.diff.expressions import expression_key
from schemaudit.model import Index, IndexElement

# PostgreSQL's default operator classes per access method (`pg_opclass.opcdefault`, PostgreSQL
# 15), plus the defaults of the extensions real schemas index with (PostGIS, btree_gist).
_DEFAULTS = {
    "btree": """array_ops bit_ops bool_ops bpchar_ops bytea_ops char_ops date_ops enum_ops float4_ops
        float8_ops inet_ops int2_ops int4_ops int8_ops interval_ops jsonb_ops macaddr8_ops macaddr_ops
        money_ops multirange_ops name_ops numeric_ops oid_ops oidvector_ops pg_lsn_ops range_ops record_ops
        text_ops tid_ops time_ops timestamp_ops timestamptz_ops timetz_ops tsquery_ops tsvector_ops uuid_ops
        varbit_ops xid8_ops""",
    "hash": """aclitem_ops array_ops bool_ops bpchar_ops bytea_ops char_ops cid_ops date_ops enum_ops
        float4_ops float8_ops inet_ops int2_ops int4_ops int8_ops interval_ops jsonb_ops macaddr8_ops
        macaddr_ops multirange_ops name_ops numeric_ops oid_ops oidvector_ops pg_lsn_ops range_ops record_ops
        text_ops tid_ops time_ops timestamp_ops timestamptz_ops timetz_ops uuid_ops xid8_ops xid_ops""",
    "gin": "array_ops jsonb_ops tsvector_ops",
    "gist": """box_ops circle_ops multirange_ops point_ops poly_ops range_ops tsquery_ops tsvector_ops
        gist_geometry_ops_2d gist_geography_ops gist_int4_ops gist_int8_ops gist_text_ops gist_timestamp_ops
        gist_timestamptz_ops gist_date_ops gist_numeric_ops gist_uuid_ops""",
    "spgist": "box_ops inet_ops poly_ops quad_point_ops range_ops text_ops",
}


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


DEFAULT_OPCLASSES: dict[str, frozenset[str]] = {method: _words(names) for method, names in _DEFAULTS.items()}


def _bare(name: str | None) -> str | None:
    """`public."C"` -> `c`: the last part of a possibly qualified, possibly quoted name, in
    lower case (catalogs print these names without quotes)."""
    if not name:
        return None
    return name.rsplit(".", 1)[-1].strip().strip('"`').lower() or None


def opclass_key(element: IndexElement, method: str | None) -> str | None:
    """The element's operator class as compared: bare, and None for the method's default."""
    bare = _bare(element.opclass)
    if bare is None or bare in DEFAULT_OPCLASSES.get((method or "btree").lower(), frozenset()):
        return None
    return bare


def collation_key(element: IndexElement) -> str | None:
    bare = _bare(element.collation)
    return None if bare is None or bare == "default" else bare


def element_key(
    element: IndexElement,
    name: Callable[[str], str],
    dialect: str,
    method: str | None,
    renames: tuple[tuple[str, str], ...] = (),
    full: bool = True,
) -> tuple[object, ...]:
    """One element's key; `full` adds operator class, collation and NULLS ordering (both
    sides in one dialect)."""
    what = expression_key(element.expr, dialect, renames) if element.is_expression else "c:" + name(element.expr)
    base: tuple[object, ...] = (what, element.descending, element.length)
    if not full:
        return base
    return (*base, element.nulls, collation_key(element), opclass_key(element, method))


def index_key(
    index: Index,
    name: Callable[[str], str],
    dialect: str,
    renames: tuple[tuple[str, str], ...] = (),
    full: bool = True,
    stated: bool = True,
) -> tuple[object, ...]:
    """The key two indexes share exactly when they are the same index (`stated`: MySQL's
    index comments and options count, where the target states them all)."""
    elements = tuple(element_key(e, name, dialect, index.method, renames, full) for e in index.elements)
    where = expression_key(index.where, dialect, renames) if index.where else None
    method = (index.method or "btree").lower()
    declared = (index.comment, index.options) if full and stated else None
    return elements, index.unique, where, method, tuple(sorted(name(x) for x in index.include)), declared


def index_sql(index: Index) -> str:
    """An index as a reader compares two of them: every fact that makes it differ."""
    elems = ", ".join(element_text(e) for e in index.elements)
    text = ("UNIQUE " if index.unique else "") + (f"USING {index.method} " if index.method else "") + f"({elems})"
    text += f" INCLUDE ({', '.join(index.include)})" if index.include else ""
    text += f" WHERE {index.where}" if index.where else ""
    text += "".join(f" {o}" for o in index.options)
    return text + (f" COMMENT {index.comment!r}" if index.comment else "")


def element_text(e: IndexElement) -> str:
    text = e.expr + (f"({e.length})" if e.length else "")
    text += f" COLLATE {e.collation}" if e.collation else ""
    text += f" {e.opclass}" if e.opclass else ""
    text += " DESC" if e.descending else ""
    return text + (f" NULLS {e.nulls}" if e.nulls else "")
