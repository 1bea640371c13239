"""The catalog queries behind `live.postgresql`: SQL text only, no logic.

Each query reads one kind of object for *every* table of the schema at once, so loading a
schema costs the same fixed number of round trips whether it holds 3 tables or 5,000.
The queries take the schema's namespace oid as `%(ns)s`. The row shapes are documented at
each query because `live.postgresql` unpacks them by position (tuples are the cheapest rows
psycopg can build, which matters at tens of thousands of columns).

Expressions are printed by `pg_get_expr` without pretty-printing, the spelling pg_dump uses;
index elements by `pg_get_indexdef(index, n, true)`, which prints one element without the
extra parentheses that `CREATE INDEX` syntax wraps around expressions. The loader sets
`search_path` to the audited schema first, so names in that schema print unqualified.
"""

from __future__ import annotations

from typing import Final

from schemaudit.sources.live.postgresql_objects import OBJECTS

# Tables we audit: ordinary and partitioned tables of the schema, neither a partition of
# another table (read by PARTITIONS, into the table it belongs to) nor a member of an extension (e.g. PostGIS's
# spatial_ref_sys, which belongs to the extension, not to the application).
# The queries for columns, constraints, indexes and sequences test only the cheap part
# (`_SCHEMA_TABLE`); the loader drops their rows for extension members by table oid,
# which spares each of them an anti-join over all of pg_depend.
_SCHEMA_TABLE: Final = """
    c.relnamespace = %(ns)s
    AND c.relkind IN ('r', 'p')
    AND NOT c.relispartition
"""
# The same, partitions of the schema included: what a partition has of its own (an index,
# a foreign key, a check) is read with the tables' and put into its `Partition`.
_SCHEMA_RELATION: Final = """
    c.relnamespace = %(ns)s
    AND c.relkind IN ('r', 'p')
"""
_AUDITED_TABLE: Final = f"""{_SCHEMA_TABLE}
    AND NOT EXISTS (
        SELECT 1 FROM pg_depend x
        WHERE x.classid = 'pg_class'::regclass AND x.objid = c.oid AND x.deptype = 'e')
"""

# -> (database name, namespace oid or NULL, search_path now in effect, jit now in effect)
# Also points search_path at the audited schema (transaction-local) so that defaults,
# checks and type names in it print unqualified, as they would in that schema's own DDL.
# And turns JIT compilation off for the transaction: on a big catalog the planner's cost
# estimates pass `jit_above_cost`, and compiling then took 30-60 ms per query, more than
# running it (measured at 5,000 tables); these are short scans, never worth compiling.
NAMESPACE: Final = """
SELECT current_database(),
       (SELECT n.oid FROM pg_namespace n WHERE n.nspname = %(schema)s),
       set_config('search_path', quote_ident(%(schema)s), true),
       set_config('jit', 'off', true)
"""

# -> (oid, name, relkind, comment, relpersistence, partition key or NULL)
TABLES: Final = f"""
SELECT c.oid, c.relname, c.relkind::text, d.description, c.relpersistence::text,
       CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END
FROM pg_class c
LEFT JOIN pg_description d
  ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
WHERE {_AUDITED_TABLE}
"""

# -> (type oid or relation oid, name, sort key) tagged by kind: 'enum' labels (every enum of
# the database: a column may use an enum from another schema), 'opclass' for the
# operator classes that are not their type's default, 'collation' for every collation.
# Small lookup tables: the index and column queries return oids, the loader names them.
LOOKUPS: Final = """
SELECT 'enum', e.enumtypid, e.enumlabel::text, e.enumsortorder FROM pg_enum e
UNION ALL
SELECT 'opclass', o.oid, o.opcname::text, 0 FROM pg_opclass o WHERE NOT o.opcdefault
UNION ALL
SELECT 'collation', co.oid, co.collname::text, 0 FROM pg_collation co
ORDER BY 1, 2, 4
"""

# -> (table oid, attnum, sequence name, sequence schema, sequence as regclass text,
#     start, increment): the sequence pg_depend ties to a column, deptype 'a' for
# serial/OWNED BY, 'i' for an identity column's internal sequence; the first row of a
# column wins. Its own query, not a join in COLUMNS: few columns own a sequence, and
# finding them once costs less than carrying five mostly-NULL fields on every column row.
OWNED_SEQUENCES: Final = f"""
SELECT dep.refobjid, dep.refobjsubid, s.relname::text, sn.nspname::text,
       s.oid::regclass::text, sq.seqstart, sq.seqincrement
FROM pg_class c
JOIN pg_depend dep
  ON dep.refclassid = 'pg_class'::regclass AND dep.refobjid = c.oid AND dep.refobjsubid > 0
 AND dep.classid = 'pg_class'::regclass AND dep.deptype IN ('a', 'i')
JOIN pg_class s ON s.oid = dep.objid AND s.relkind = 'S'
JOIN pg_namespace sn ON sn.oid = s.relnamespace
JOIN pg_sequence sq ON sq.seqrelid = s.oid
WHERE {_SCHEMA_TABLE}
ORDER BY dep.refobjid, dep.refobjsubid, dep.deptype DESC, s.oid
"""

# -> (table oid, attnum, name, format_type, not null, default/generation expression,
#     attidentity, attgenerated, comment, non-default collation, collation oid, type oid,
#     typtype, array element type oid, domain base type oid, domain base format_type)
# The biggest result by far (15 columns a table in the benchmark): the loader reads it in
# chunks and keeps no row, so every field here costs time but no lasting memory.
COLUMNS: Final = f"""
SELECT a.attrelid, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
       pg_get_expr(ad.adbin, ad.adrelid), a.attidentity::text, a.attgenerated::text,
       d.description, coll.collname, a.attcollation, t.oid, t.typtype::text,
       CASE WHEN t.typcategory = 'A' THEN t.typelem END,
       CASE WHEN t.typtype = 'd' THEN t.typbasetype END,
       CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) END
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
LEFT JOIN pg_description d
  ON d.objoid = a.attrelid AND d.classoid = 'pg_class'::regclass AND d.objsubid = a.attnum
LEFT JOIN pg_collation coll
  ON coll.oid = a.attcollation AND a.attcollation <> t.typcollation AND a.attcollation <> 0
WHERE {_SCHEMA_RELATION} AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attrelid, a.attnum
"""

# -> (table oid, name, contype, conkey, referenced table, referenced schema, referenced
#     table oid, confkey, referenced column names or NULL, confupdtype, confdeltype,
#     deferrable, initially deferred, check expr, validated)
# The loader names referenced columns from the column rows, by (confrelid, attnum). Only
# when the referenced table is outside what COLUMNS read (another schema, a partition)
# does the server name them here. `conparentid = 0` drops the per-partition clones
# PostgreSQL adds for a foreign key that references a partitioned table.
CONSTRAINTS: Final = f"""
SELECT con.conrelid, con.conname, con.contype::text, con.conkey::int2[],
       fr.relname, fn.nspname, con.confrelid, con.confkey::int2[],
       CASE WHEN con.contype = 'f' AND (fr.relnamespace <> %(ns)s OR fr.relispartition) THEN ARRAY(
           SELECT fa.attname::text
           FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, pos)
           JOIN pg_attribute fa ON fa.attrelid = con.confrelid AND fa.attnum = k.attnum
           ORDER BY k.pos) END,
       con.confupdtype::text, con.confdeltype::text, con.condeferrable, con.condeferred,
       CASE WHEN con.contype = 'c' THEN pg_get_expr(con.conbin, con.conrelid) END, con.convalidated
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid
LEFT JOIN pg_class fr ON fr.oid = con.confrelid
LEFT JOIN pg_namespace fn ON fn.oid = fr.relnamespace
WHERE {_SCHEMA_RELATION} AND con.contype IN ('p', 'u', 'f', 'c') AND con.conparentid = 0
  -- a partition's check from its table is the table's (a cloned key has conparentid set)
  AND NOT (c.relispartition AND con.contype = 'c' AND con.coninhcount > 0)
"""

# -> (table oid, index name, unique, number of key columns, indkey, indoption,
#     access method, partial-index predicate, per-key-element text (NULL unless the
#     index has expression elements), per-key-element opclass oid, per-key-element
#     collation oid)
# Element texts come from `pg_get_indexdef` only for indexes with expressions; opclass
# and collation oids are named by the loader from LOOKUPS (per-index subqueries here
# cost more than the rest of the query together at 10,000 indexes).
# Indexes that back a primary key, unique or exclusion constraint of the same table are
# left out: they are the constraint, not an index someone created.
INDEXES: Final = f"""
SELECT i.indrelid, ic.relname, i.indisunique, i.indnkeyatts, i.indkey::int2[],
       i.indoption::int2[], am.amname, pg_get_expr(i.indpred, i.indrelid),
       CASE WHEN i.indexprs IS NOT NULL THEN ARRAY(
           SELECT pg_get_indexdef(i.indexrelid, k, true)
           FROM generate_series(1, i.indnkeyatts::int) AS k ORDER BY k) END,
       i.indclass::oid[], i.indcollation::oid[]
FROM pg_index i
JOIN pg_class c ON c.oid = i.indrelid
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_am am ON am.oid = ic.relam
WHERE {_SCHEMA_RELATION}
  AND NOT ic.relispartition  -- an index attached to its table's index is that index
  AND NOT EXISTS (
      SELECT 1 FROM pg_constraint pc
      WHERE pc.conindid = i.indexrelid AND pc.conrelid = i.indrelid
        AND pc.contype IN ('p', 'u', 'x'))
"""

# -> (parent oid, oid, name, schema, bound, partition key or NULL) for every partition of a
# partitioned table of the schema, sub-partitions too, wherever the partition itself lives:
# `pg_inherits` followed down from the schema's partitioned tables, one query for all.
PARTITIONS: Final = """
WITH RECURSIVE tree(oid) AS (
    SELECT c.oid FROM pg_class c
    WHERE c.relnamespace = %(ns)s AND c.relkind = 'p' AND NOT c.relispartition
    UNION ALL
    SELECT inh.inhrelid FROM tree JOIN pg_inherits inh ON inh.inhparent = tree.oid
)
SELECT inh.inhparent, c.oid, c.relname::text, n.nspname::text, pg_get_expr(c.relpartbound, c.oid),
       CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END
FROM tree
JOIN pg_inherits inh ON inh.inhparent = tree.oid
JOIN pg_class c ON c.oid = inh.inhrelid AND c.relispartition
JOIN pg_namespace n ON n.oid = c.relnamespace
ORDER BY c.relname, c.oid
"""

# -> (kind, name, table or NULL) for everything in the schema the model does not audit
# (a partition's own primary key or unique constraint too: its own indexes, foreign keys
# and checks are read into its `Partition`, those it has from its table are the table's)
# (views, sequences, routines, triggers, policies, types and extensions are modelled:
# `postgresql_objects.OBJECTS`). Every other kind is listed, so nothing is dropped silently.
# Objects that belong to an extension (pg_depend deptype 'e') are the extension's.
NOT_AUDITED: Final = """
SELECT CASE c.relkind WHEN 'f' THEN 'foreign table' ELSE 'partition' END,
       c.relname::text,
       (SELECT p.relname::text FROM pg_inherits inh JOIN pg_class p ON p.oid = inh.inhparent
        WHERE inh.inhrelid = c.oid AND c.relispartition LIMIT 1)
FROM pg_class c
WHERE c.relnamespace = %(ns)s
  AND (c.relkind = 'f' OR (c.relkind IN ('r', 'p') AND c.relispartition))
  -- a partition of a table of this schema is read by PARTITIONS (one of another schema's is listed)
  AND NOT (c.relispartition AND EXISTS (
      SELECT 1 FROM pg_inherits inh JOIN pg_class p ON p.oid = inh.inhparent
      WHERE inh.inhrelid = c.oid AND (p.relnamespace = %(ns)s OR p.relispartition)))
  AND NOT EXISTS (
      SELECT 1 FROM pg_depend x
      WHERE x.classid = 'pg_class'::regclass AND x.objid = c.oid AND x.deptype = 'e')
UNION ALL
SELECT 'partition index', ic.relname::text, c.relname::text
FROM pg_index i
JOIN pg_class c ON c.oid = i.indrelid
JOIN pg_class ic ON ic.oid = i.indexrelid
WHERE c.relnamespace = %(ns)s AND c.relispartition AND NOT ic.relispartition
  -- of a partition of another schema's table (listed above): not read into a `Partition`
  AND NOT EXISTS (
      SELECT 1 FROM pg_inherits inh JOIN pg_class p ON p.oid = inh.inhparent
      WHERE inh.inhrelid = c.oid AND (p.relnamespace = %(ns)s OR p.relispartition))
UNION ALL
SELECT 'partition constraint', con.conname::text, c.relname::text
FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
WHERE c.relnamespace = %(ns)s AND c.relispartition AND con.conparentid = 0
  AND (con.contype IN ('p', 'u')  -- a partition's own key: not modelled
       OR (con.contype IN ('f', 'c') AND con.coninhcount = 0 AND NOT EXISTS (
           SELECT 1 FROM pg_inherits inh JOIN pg_class p ON p.oid = inh.inhparent
           WHERE inh.inhrelid = c.oid AND (p.relnamespace = %(ns)s OR p.relispartition))))
UNION ALL
SELECT 'rule', r.rulename::text, c.relname::text
FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class
WHERE c.relnamespace = %(ns)s AND r.rulename <> '_RETURN'
UNION ALL
SELECT 'exclusion constraint', con.conname::text, c.relname::text
FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
WHERE c.relnamespace = %(ns)s AND con.contype = 'x' AND con.conparentid = 0
UNION ALL
SELECT 'operator', o.oid::regoperator::text, NULL
FROM pg_operator o
WHERE o.oprnamespace = %(ns)s
  AND NOT EXISTS (
      SELECT 1 FROM pg_depend x
      WHERE x.classid = 'pg_operator'::regclass AND x.objid = o.oid AND x.deptype = 'e')
UNION ALL
SELECT CASE t.typtype WHEN 'r' THEN 'range type' WHEN 'm' THEN 'multirange type'
                      WHEN 'b' THEN 'base type' ELSE 'composite type' END, t.typname::text, NULL
FROM pg_type t
WHERE t.typnamespace = %(ns)s
  AND (t.typtype IN ('r', 'b')
       OR (t.typtype = 'c' AND (SELECT r.relkind FROM pg_class r WHERE r.oid = t.typrelid) = 'c'))
  AND t.typelem = 0
  AND NOT EXISTS (
      SELECT 1 FROM pg_depend x
      WHERE x.classid = 'pg_type'::regclass AND x.objid = t.oid AND x.deptype = 'e')
UNION ALL
SELECT 'operator class', oc.opcname::text, NULL
FROM pg_opclass oc
WHERE oc.opcnamespace = %(ns)s
  AND NOT EXISTS (
      SELECT 1 FROM pg_depend x
      WHERE x.classid = 'pg_opclass'::regclass AND x.objid = oc.oid AND x.deptype = 'e')
UNION ALL
SELECT 'operator family', of.opfname::text, NULL
FROM pg_opfamily of
WHERE of.opfnamespace = %(ns)s
  AND NOT EXISTS (
      SELECT 1 FROM pg_depend x
      WHERE x.classid = 'pg_opfamily'::regclass AND x.objid = of.oid AND x.deptype = 'e')
UNION ALL
SELECT 'collation', co.collname::text, NULL
FROM pg_collation co
WHERE co.collnamespace = %(ns)s
  AND NOT EXISTS (
      SELECT 1 FROM pg_depend x
      WHERE x.classid = 'pg_collation'::regclass AND x.objid = co.oid AND x.deptype = 'e')
UNION ALL
SELECT 'text search configuration', cfg.cfgname::text, NULL
FROM pg_ts_config cfg
WHERE cfg.cfgnamespace = %(ns)s
  AND NOT EXISTS (
      SELECT 1 FROM pg_depend x
      WHERE x.classid = 'pg_ts_config'::regclass AND x.objid = cfg.oid AND x.deptype = 'e')
"""

# The catalog queries a load runs, in order, after NAMESPACE: used by the benchmark
# script and the query-count test to time or count exactly what a load runs.
BULK_QUERIES: Final = (
    TABLES,
    LOOKUPS,
    OWNED_SEQUENCES,
    COLUMNS,
    CONSTRAINTS,
    INDEXES,
    PARTITIONS,
    NOT_AUDITED,
    OBJECTS,
)
