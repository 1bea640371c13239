"""The catalog queries behind `postgresql_live`: SQL text only, no logic.

Each query reads one kind of object for *every* table of the schema at once, so loading a
schema costs the same fixed number of round trips whether it holds 3 tables or 5,000.
The queries take the schema's namespace oid as `%(ns)s`. The row shapes are documented at
each query because `postgresql_live` unpacks them by position (tuples are the cheapest rows
psycopg can build, which matters at tens of thousands of columns).

Expressions are printed by `pg_get_expr` without pretty-printing, the spelling pg_dump uses;
index elements by `pg_get_indexdef(index, n, true)`, which prints one element without the
extra parentheses that `CREATE INDEX` syntax wraps around expressions. The loader sets
`search_path` to the audited schema first, so names in that schema print unqualified.
"""

from __future__ import annotations

from typing import Final

# Tables we audit: ordinary and partitioned tables of the schema, neither a partition of
# another table (listed as not audited) nor a member of an extension (e.g. PostGIS's
# spatial_ref_sys, which belongs to the extension, not to the application).
_AUDITED_TABLE: Final = """
    c.relnamespace = %(ns)s
    AND c.relkind IN ('r', 'p')
    AND NOT c.relispartition
    AND NOT EXISTS (
        SELECT 1 FROM pg_depend x
        WHERE x.classid = 'pg_class'::regclass AND x.objid = c.oid AND x.deptype = 'e')
"""

# -> (database name, namespace oid or NULL, search_path now in effect)
# Also points search_path at the audited schema (transaction-local) so that defaults,
# checks and type names in it print unqualified, as they would in that schema's own DDL.
NAMESPACE: Final = """
SELECT current_database(),
       (SELECT n.oid FROM pg_namespace n WHERE n.nspname = %(schema)s),
       set_config('search_path', quote_ident(%(schema)s), true)
"""

# -> (oid, name, relkind, comment)
TABLES: Final = f"""
SELECT c.oid, c.relname, c.relkind::text, d.description
FROM pg_class c
LEFT JOIN pg_description d
  ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
WHERE {_AUDITED_TABLE}
"""

# -> (table oid, attnum, name, format_type, not null, default/generation expression,
#     attidentity, attgenerated, comment, non-default collation, type oid, typtype,
#     array element type oid, domain base type oid, domain base format_type,
#     owned sequence name, owned sequence schema, owned sequence as regclass text,
#     sequence start, sequence increment)
# The owned sequence is the one pg_depend ties to the column: deptype 'a' for
# serial/OWNED BY, 'i' for an identity column's internal sequence.
COLUMNS: Final = f"""
SELECT a.attrelid, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
       pg_get_expr(ad.adbin, ad.adrelid), a.attidentity::text, a.attgenerated::text,
       d.description, coll.collname, t.oid, t.typtype::text,
       CASE WHEN t.typcategory = 'A' THEN t.typelem END,
       CASE WHEN t.typtype = 'd' THEN t.typbasetype END,
       CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) END,
       os.relname, os.nspname, os.regclass_text, os.seqstart, os.seqincrement
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
LEFT JOIN pg_description d
  ON d.objoid = a.attrelid AND d.classoid = 'pg_class'::regclass AND d.objsubid = a.attnum
LEFT JOIN pg_collation coll
  ON coll.oid = a.attcollation AND a.attcollation <> t.typcollation AND a.attcollation <> 0
LEFT JOIN (
    SELECT DISTINCT ON (dep.refobjid, dep.refobjsubid)
           dep.refobjid, dep.refobjsubid, s.relname, sn.nspname,
           s.oid::regclass::text AS regclass_text, sq.seqstart, sq.seqincrement
    FROM pg_depend dep
    JOIN pg_class s ON s.oid = dep.objid AND s.relkind = 'S'
    JOIN pg_namespace sn ON sn.oid = s.relnamespace
    JOIN pg_sequence sq ON sq.seqrelid = s.oid
    WHERE dep.classid = 'pg_class'::regclass AND dep.refclassid = 'pg_class'::regclass
      AND dep.deptype IN ('a', 'i') AND dep.refobjsubid > 0
    ORDER BY dep.refobjid, dep.refobjsubid, dep.deptype DESC, s.oid
) os ON os.refobjid = a.attrelid AND os.refobjsubid = a.attnum
WHERE {_AUDITED_TABLE} AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attrelid, a.attnum
"""

# -> (type oid, label), labels in enumsortorder. Every enum of the database: a column may
# use an enum from another schema, and the list is short.
ENUM_LABELS: Final = """
SELECT e.enumtypid, e.enumlabel FROM pg_enum e ORDER BY e.enumtypid, e.enumsortorder
"""

# -> (table oid, name, contype, conkey, referenced table, referenced schema, referenced
#     column names, confupdtype, confdeltype, deferrable, initially deferred, check expr)
# Referenced column names come from pg_attribute here because the referenced table may
# live in another schema, outside what the column query read. `conparentid = 0` drops the
# per-partition clones PostgreSQL adds for a foreign key that references a partitioned table.
CONSTRAINTS: Final = f"""
SELECT con.conrelid, con.conname, con.contype::text, con.conkey::int2[],
       fr.relname, fn.nspname,
       CASE WHEN con.contype = 'f' THEN ARRAY(
           SELECT fa.attname::text
           FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, pos)
           JOIN pg_attribute fa ON fa.attrelid = con.confrelid AND fa.attnum = k.attnum
           ORDER BY k.pos) END,
       con.confupdtype::text, con.confdeltype::text, con.condeferrable, con.condeferred,
       CASE WHEN con.contype = 'c' THEN pg_get_expr(con.conbin, con.conrelid) END
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid
LEFT JOIN pg_class fr ON fr.oid = con.confrelid
LEFT JOIN pg_namespace fn ON fn.oid = fr.relnamespace
WHERE {_AUDITED_TABLE} AND con.contype IN ('p', 'u', 'f', 'c') AND con.conparentid = 0
"""

# -> (table oid, index name, unique, number of key columns, indkey, indoption,
#     access method, partial-index predicate, per-key-element expression text (NULL for
#     plain columns), per-key-element non-default opclass, per-key-element non-default
#     collation)
# Indexes that back a primary key, unique or exclusion constraint of the same table are
# left out: they are the constraint, not an index someone created.
INDEXES: Final = f"""
SELECT i.indrelid, ic.relname, i.indisunique, i.indnkeyatts, i.indkey::int2[],
       i.indoption::int2[], am.amname, pg_get_expr(i.indpred, i.indrelid),
       el.exprs, el.opclasses, el.collations
FROM pg_index i
JOIN pg_class c ON c.oid = i.indrelid
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_am am ON am.oid = ic.relam
CROSS JOIN LATERAL (
    SELECT array_agg(CASE WHEN k.attnum = 0
                          THEN pg_get_indexdef(i.indexrelid, k.pos::int, true) END
                     ORDER BY k.pos) AS exprs,
           array_agg(CASE WHEN NOT opc.opcdefault THEN opc.opcname::text END
                     ORDER BY k.pos) AS opclasses,
           array_agg(CASE WHEN k.coll <> 0 AND k.coll <> COALESCE(att.attcollation, 100)
                          THEN cl.collname::text END
                     ORDER BY k.pos) AS collations
    FROM unnest(i.indkey::int2[], i.indclass::oid[], i.indcollation::oid[])
         WITH ORDINALITY AS k(attnum, cls, coll, pos)
    LEFT JOIN pg_opclass opc ON opc.oid = k.cls
    LEFT JOIN pg_collation cl ON cl.oid = k.coll
    LEFT JOIN pg_attribute att ON att.attrelid = i.indrelid AND att.attnum = k.attnum
                              AND k.attnum > 0
    WHERE k.pos <= i.indnkeyatts
) el
WHERE {_AUDITED_TABLE}
  AND NOT EXISTS (
      SELECT 1 FROM pg_constraint pc
      WHERE pc.conindid = i.indexrelid AND pc.conrelid = i.indrelid
        AND pc.contype IN ('p', 'u', 'x'))
"""

# -> (kind, name, table or NULL) for everything in the schema the model does not audit.
# Functions and procedures are named with their argument types (`touch()`,
# `noop(integer)`), since overloads are distinct objects.
# Objects that belong to an extension (pg_depend deptype 'e') are the extension's, not
# the application's, and are represented by one "extension" entry instead.
NOT_AUDITED: Final = """
WITH ext AS (
    SELECT classid, objid FROM pg_depend WHERE deptype = 'e'
), owned_seq AS (
    SELECT objid FROM pg_depend
    WHERE classid = 'pg_class'::regclass AND refclassid = 'pg_class'::regclass
      AND deptype IN ('a', 'i') AND refobjsubid > 0
)
SELECT CASE c.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view'
                      WHEN 'S' THEN 'sequence' WHEN 'f' THEN 'foreign table'
                      ELSE 'partition' END,
       c.relname::text,
       (SELECT p.relname::text FROM pg_inherits inh JOIN pg_class p ON p.oid = inh.inhparent
        WHERE inh.inhrelid = c.oid AND c.relispartition LIMIT 1)
FROM pg_class c
WHERE c.relnamespace = %(ns)s
  AND (c.relkind IN ('v', 'm', 'f')
       OR (c.relkind = 'S' AND NOT EXISTS (SELECT 1 FROM owned_seq o WHERE o.objid = c.oid))
       OR (c.relkind IN ('r', 'p') AND c.relispartition))
  AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_class'::regclass AND ext.objid = c.oid)
UNION ALL
SELECT 'trigger', t.tgname::text, c.relname::text
FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
WHERE c.relnamespace = %(ns)s AND NOT t.tgisinternal AND t.tgparentid = 0
UNION ALL
SELECT CASE p.prokind WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate' ELSE 'function' END,
       p.oid::regprocedure::text, NULL
FROM pg_proc p
WHERE p.pronamespace = %(ns)s
  AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_proc'::regclass AND ext.objid = p.oid)
UNION ALL
SELECT 'policy', pol.polname::text, c.relname::text
FROM pg_policy pol JOIN pg_class c ON c.oid = pol.polrelid
WHERE c.relnamespace = %(ns)s
UNION ALL
SELECT 'domain', t.typname::text, NULL
FROM pg_type t
WHERE t.typnamespace = %(ns)s AND t.typtype = 'd'
  AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_type'::regclass AND ext.objid = t.oid)
UNION ALL
SELECT 'rule', r.rulename::text, c.relname::text
FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class
WHERE c.relnamespace = %(ns)s AND r.rulename <> '_RETURN'
UNION ALL
SELECT 'exclusion constraint', con.conname::text, c.relname::text
FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
WHERE c.relnamespace = %(ns)s AND con.contype = 'x' AND con.conparentid = 0
UNION ALL
SELECT 'extension', e.extname::text, NULL
FROM pg_extension e
WHERE e.extnamespace = %(ns)s
"""

# The catalog queries a load runs, in order, after NAMESPACE: used by the benchmark
# script and the query-count test to time or count exactly what a load runs.
BULK_QUERIES: Final = (TABLES, COLUMNS, ENUM_LABELS, CONSTRAINTS, INDEXES, NOT_AUDITED)
