"""Rename detection quality, measured on generated schemas against known ground truth.

A seeded generator builds schemas from 15 domain vocabularies (shop, billing, saas, hr, ...)
with random sizes, then mutates a copy the way schemas really drift: table and column renames
(added prefix/suffix words, abbreviations and their expansions, plurals, synonyms, camelCase,
dropping the table word, and a few renames to unrelated names that no scorer can see), drops,
adds and type changes. A third of the pairs are cross-dialect (PostgreSQL target, SQLite
current with SQLite spellings). Objects keep a hidden identity through mutations, so the truth
is exact. The generator's synonym and abbreviation lists are its own (they overlap with the
detector's vocabulary only in part, like real renames would).
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field

from schemaudit.diff import compare
from schemaudit.identifiers import RULES_BY_DIALECT
from schemaudit.model import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    IndexElement,
    PrimaryKey,
    Schema,
    Table,
    UniqueConstraint,
)
from schemaudit.types import parse_type

SEED = 20260221
CASES = 90

DOMAINS: dict[str, list[str]] = {
    "shop": [
        "users",
        "customers",
        "products",
        "categories",
        "orders",
        "order_items",
        "payments",
        "shipments",
        "addresses",
        "reviews",
        "coupons",
        "carts",
    ],
    "billing": [
        "accounts",
        "invoices",
        "invoice_lines",
        "payments",
        "subscriptions",
        "plans",
        "credit_notes",
        "tax_rates",
        "refunds",
    ],
    "blog": ["users", "posts", "comments", "tags", "post_tags", "categories", "media_files", "pages"],
    "saas": [
        "organizations",
        "users",
        "memberships",
        "projects",
        "api_keys",
        "audit_events",
        "invitations",
        "roles",
        "permissions",
    ],
    "hr": ["employees", "departments", "positions", "salaries", "leave_requests", "timesheets", "reviews"],
    "inventory": [
        "warehouses",
        "products",
        "stock_levels",
        "suppliers",
        "purchase_orders",
        "purchase_order_lines",
        "stock_movements",
    ],
    "support": ["customers", "tickets", "ticket_messages", "agents", "teams", "sla_policies", "attachments"],
    "social": ["users", "profiles", "posts", "likes", "follows", "messages", "notifications", "groups"],
    "logistics": ["drivers", "vehicles", "routes", "stops", "deliveries", "parcels", "depots"],
    "school": ["students", "teachers", "courses", "enrollments", "lessons", "grades", "classrooms", "assignments"],
    "clinic": ["patients", "doctors", "appointments", "prescriptions", "invoices", "rooms", "visits"],
    "events": ["venues", "events", "tickets", "bookings", "attendees", "speakers", "sessions"],
    "crm": ["companies", "contacts", "deals", "activities", "pipelines", "stages", "notes"],
    "media": ["projects", "assets", "runs", "run_jobs", "run_candidates", "exports", "style_guides"],
    "iot": ["devices", "sensors", "readings", "alerts", "firmware_versions", "sites"],
}
ATTRIBUTES: list[tuple[str, str]] = [
    ("name", "varchar(255)"),
    ("title", "varchar(255)"),
    ("description", "text"),
    ("status", "varchar(32)"),
    ("email", "varchar(255)"),
    ("phone_number", "varchar(32)"),
    ("total_amount", "numeric(12,2)"),
    ("unit_price", "numeric(10,2)"),
    ("quantity", "integer"),
    ("updated_at", "timestamptz"),
    ("deleted_at", "timestamptz"),
    ("is_active", "boolean"),
    ("notes", "text"),
    ("metadata_json", "jsonb"),
    ("external_ref", "varchar(64)"),
    ("sort_order", "integer"),
    ("starts_at", "timestamptz"),
    ("ends_at", "timestamptz"),
    ("code", "varchar(32)"),
    ("slug", "varchar(128)"),
    ("address_line1", "varchar(255)"),
    ("city", "varchar(128)"),
    ("country_code", "char(2)"),
    ("currency", "char(3)"),
    ("tax_rate", "numeric(5,2)"),
    ("image_url", "text"),
    ("config_json", "jsonb"),
    ("priority", "smallint"),
    ("version", "integer"),
    ("kind", "varchar(32)"),
    ("category_name", "varchar(64)"),
    ("message_text", "text"),
    ("reference_number", "varchar(64)"),
    ("last_login_at", "timestamptz"),
    ("password_hash", "varchar(255)"),
    ("display_name", "varchar(128)"),
    ("due_date", "date"),
    ("paid_at", "timestamptz"),
    ("score", "double precision"),
    ("weight_kg", "numeric(8,3)"),
    ("is_default", "boolean"),
    ("color", "varchar(16)"),
    ("source_system", "varchar(32)"),
    ("organization_name", "varchar(255)"),
    ("payload", "jsonb"),
    ("owner_id", "bigint"),
]
GEN_SYNONYMS = {
    "kind": "type",
    "title": "heading",
    "notes": "remarks",
    "status": "state",
    "name": "label",
    "email": "mail",
    "description": "summary",
    "payload": "data",
    "color": "colour",
    "user": "account",
    "customer": "client",
    "product": "item",
    "company": "organization",
    "updated": "modified",
    "deleted": "removed",
    "starts": "begins",
    "ends": "finishes",
    "post": "article",
    "ticket": "issue",
    "message": "note",
    "score": "rating",
}
GEN_ABBREV = {
    "description": "desc",
    "quantity": "qty",
    "number": "num",
    "address": "addr",
    "message": "msg",
    "metadata": "meta",
    "configuration": "config",
    "organization": "org",
    "reference": "ref",
    "information": "info",
    "image": "img",
    "password": "pwd",
    "amount": "amt",
    "category": "cat",
    "attribute": "attr",
    "position": "pos",
    "external": "ext",
}
PREFIXES = ["owner", "primary", "source", "default", "legacy", "app", "core", "current"]
SUFFIXES = ["value", "code", "text", "name", "ref", "json", "records", "entries", "v2"]
UNRELATED = ["zeta", "quux", "blorp", "fnord", "wibble", "plugh", "xyzzy", "garply"]
SQLITE_TYPES = {
    "uuid": "TEXT",
    "timestamptz": "TEXT",
    "boolean": "INTEGER",
    "jsonb": "TEXT",
    "date": "TEXT",
    "bigint": "INTEGER",
    "integer": "INTEGER",
    "smallint": "INTEGER",
    "double precision": "REAL",
}
TYPE_CHANGES = {
    "varchar(255)": "varchar(100)",
    "text": "varchar(500)",
    "integer": "bigint",
    "bigint": "integer",
    "varchar(32)": "text",
    "timestamptz": "timestamp",
    "jsonb": "text",
    "numeric(12,2)": "numeric(14,2)",
    "boolean": "smallint",
    "varchar(64)": "uuid",
}


def singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "xes")):
        return word[:-2]
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


@dataclass
class Col:
    uid: int
    name: str
    type: str
    nullable: bool = True


@dataclass
class Tab:
    uid: int
    name: str
    cols: list[Col]
    fks: list[tuple[int, int]] = field(default_factory=list)  # (column uid, referenced table uid)
    uniques: list[tuple[int, ...]] = field(default_factory=list)
    indexes: list[tuple[int, ...]] = field(default_factory=list)
    checks: list[tuple[int, tuple[str, ...]]] = field(default_factory=list)
    retired: set[str] = field(default_factory=set)  # names renamed away: re-adding one is ambiguous


class Generator:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.uids = itertools.count(1)
        self.retired: set[str] = set()

    def schema(self, domain: list[str]) -> list[Tab]:
        rng = self.rng
        names = rng.sample(domain, rng.randint(min(3, len(domain)), len(domain)))
        tables: list[Tab] = []
        for name in names:
            tables.append(self.table(name, tables))
        return tables

    def table(self, name: str, existing: list[Tab]) -> Tab:
        rng = self.rng
        cols = [Col(next(self.uids), "id", rng.choice(["bigint", "uuid"]), False)]
        tab = Tab(next(self.uids), name, cols)
        for ref in rng.sample(existing, min(len(existing), rng.randint(0, 2))):
            col = Col(next(self.uids), singular(ref.name) + "_id", ref.cols[0].type, rng.random() < 0.3)
            if all(c.name != col.name for c in cols):
                cols.append(col)
                tab.fks.append((col.uid, ref.uid))
                tab.indexes.append((col.uid,))
        for attr, typ in rng.sample(ATTRIBUTES, rng.randint(3, 10)):
            cols.append(Col(next(self.uids), attr, typ, rng.random() < 0.6))
        cols.append(Col(next(self.uids), "created_at", "timestamptz", False))
        by_name = {c.name: c for c in cols}
        if "slug" in by_name or "code" in by_name:
            tab.uniques.append((by_name.get("slug", by_name.get("code")).uid,))  # type: ignore[union-attr]
        if "status" in by_name:
            tab.checks.append((by_name["status"].uid, ("active", "archived", "draft")))
        return tab

    def mutate(self, tables: list[Tab], domain: list[str], count: int) -> int:
        """Apply `count` random mutations in place; returns how many were applied."""
        rng, done = self.rng, 0
        kinds = (
            ["col_rename"] * 35
            + ["tab_rename"] * 12
            + ["col_drop"] * 15
            + ["col_add"] * 18
            + ["type"] * 12
            + ["tab_drop"] * 4
            + ["tab_add"] * 4
        )
        for _ in range(count * 3):
            if done == count:
                break
            kind = rng.choice(kinds)
            tab = rng.choice(tables)
            if kind == "col_rename":
                col = rng.choice(tab.cols[1:])
                new = self.new_name(col.name, singular(tab.name))
                if new and all(c.name != new for c in tab.cols):
                    tab.retired.add(col.name)
                    col.name, done = new, done + 1
            elif kind == "tab_rename":
                new = self.new_name(tab.name, None)
                if new and all(t.name != new for t in tables):
                    self.retired.add(tab.name)
                    tab.name, done = new, done + 1
            elif kind == "col_drop" and len(tab.cols) > 4:
                col = rng.choice(tab.cols[1:])
                tab.cols.remove(col)
                tab.fks = [f for f in tab.fks if f[0] != col.uid]
                tab.uniques = [u for u in tab.uniques if col.uid not in u]
                tab.indexes = [i for i in tab.indexes if col.uid not in i]
                tab.checks = [c for c in tab.checks if c[0] != col.uid]
                done += 1
            elif kind == "col_add":
                attr, typ = rng.choice(ATTRIBUTES)
                if all(c.name != attr for c in tab.cols) and attr not in tab.retired:
                    tab.cols.insert(rng.randint(1, len(tab.cols)), Col(next(self.uids), attr, typ))
                    done += 1
            elif kind == "type":
                col = rng.choice(tab.cols[1:])
                if col.type in TYPE_CHANGES:
                    col.type, done = TYPE_CHANGES[col.type], done + 1
            elif kind == "tab_drop" and len(tables) > 3:
                tables.remove(tab)
                for other in tables:
                    other.fks = [f for f in other.fks if f[1] != tab.uid]
                done += 1
            elif kind == "tab_add":
                free = [
                    n
                    for n in itertools.chain(*DOMAINS.values())
                    if all(t.name != n for t in tables) and n not in self.retired
                ]
                tables.append(self.table(rng.choice(free), tables))
                done += 1
        return done

    def new_name(self, name: str, table_word: str | None) -> str | None:
        rng = self.rng
        words = name.split("_")
        strategy = rng.choices(
            ["prefix", "suffix", "abbrev", "synonym", "plural", "table_word", "camel", "drop_word", "unrelated"],
            [18, 14, 16, 16, 8, 10, 5, 8, 5],
        )[0]
        if strategy == "prefix":
            return rng.choice(PREFIXES) + "_" + name
        if strategy == "suffix":
            return name + "_" + rng.choice(SUFFIXES)
        if strategy == "abbrev":
            back = {v: k for k, v in GEN_ABBREV.items()}
            swapped = [GEN_ABBREV.get(w, back.get(w, w)) for w in words]
            return "_".join(swapped) if swapped != words else None
        if strategy == "synonym":
            swapped = [GEN_SYNONYMS.get(singular(w), w) for w in words]
            return "_".join(swapped) if swapped != words else None
        if strategy == "plural":
            last = words[-1]
            words[-1] = singular(last) if singular(last) != last else last + "s"
            return "_".join(words)
        if strategy == "table_word" and table_word:
            return name[len(table_word) + 1 :] if name.startswith(table_word + "_") else table_word + "_" + name
        if strategy == "camel" and len(words) > 1:
            return words[0] + "".join(w.title() for w in words[1:])
        if strategy == "drop_word" and len(words) > 2:
            del words[rng.randrange(len(words))]
            return "_".join(words)
        if strategy == "unrelated":
            return rng.choice(UNRELATED) + "_" + rng.choice(UNRELATED)
        return None


def build(tables: list[Tab], dialect: str) -> Schema:
    by_uid = {t.uid: t for t in tables}
    out = []
    for tab in tables:
        cname = {c.uid: c.name for c in tab.cols}

        def typ(raw: str) -> str:
            return SQLITE_TYPES.get(raw, raw.upper()) if dialect == "sqlite" else raw

        cols = tuple(Column(c.name, parse_type(typ(c.type), dialect), c.nullable) for c in tab.cols)
        fks = tuple(ForeignKey((cname[c],), by_uid[r].name, ("id",)) for c, r in tab.fks if r in by_uid)
        idx = tuple(
            Index(f"ix_{tab.name}_{i}", tuple(IndexElement(cname[u]) for u in cols_))
            for i, cols_ in enumerate(tab.indexes)
        )
        uniques = tuple(UniqueConstraint(tuple(cname[u] for u in cols_)) for cols_ in tab.uniques)
        checks = tuple(CheckConstraint(f"{cname[c]} IN ({', '.join(repr(v) for v in vals)})") for c, vals in tab.checks)
        out.append(Table(tab.name, cols, PrimaryKey(("id",)), fks, idx, uniques, checks))
    return Schema(tuple(sorted(out, key=lambda t: t.name)), dialect, rules=RULES_BY_DIALECT[dialect])


def truth(before: list[Tab], after: list[Tab]) -> tuple[set[tuple[str, str]], set[tuple[str, str, str]]]:
    old = {t.uid: t for t in before}
    tables, columns = set(), set()
    for tab in after:
        if tab.uid not in old:
            continue
        if old[tab.uid].name != tab.name:
            tables.add((old[tab.uid].name, tab.name))
        old_cols = {c.uid: c.name for c in old[tab.uid].cols}
        columns.update(
            (tab.name, old_cols[c.uid], c.name) for c in tab.cols if c.uid in old_cols and old_cols[c.uid] != c.name
        )
    return tables, columns


def test_rename_precision_and_recall() -> None:
    import copy

    rng = random.Random(SEED)
    gen = Generator(rng)
    mutations = 0
    true_t: set[tuple[int, str, str]] = set()
    true_c: set[tuple[int, str, str, str]] = set()
    found_t: set[tuple[int, str, str]] = set()
    found_c: set[tuple[int, str, str, str]] = set()
    domains = list(DOMAINS.values())
    for case in range(CASES):
        domain = domains[case % len(domains)]
        base = gen.schema(domain)
        mutated = copy.deepcopy(base)
        gen.retired = set()
        mutations += gen.mutate(mutated, domain, rng.randint(3, 10))
        current = build(base, "sqlite" if case % 3 == 2 else "postgresql")
        changes = compare(build(mutated, "postgresql"), current)
        tt, tc = truth(base, mutated)
        true_t.update((case, *x) for x in tt)
        true_c.update((case, *x) for x in tc)
        found_t.update((case, m.current, m.target) for m in changes.tables if m.renamed)
        found_c.update((case, m.table, m.current, m.target) for m in changes.columns)
    found, true = len(found_t) + len(found_c), len(true_t) + len(true_c)
    hits = len(found_t & true_t) + len(found_c & true_c)
    precision, recall = hits / found, hits / true
    summary = (
        f"rename quality over {CASES} schema pairs, {mutations} mutations, {true} true renames "
        f"({len(true_t)} tables, {len(true_c)} columns): precision {precision:.3f}, recall {recall:.3f} "
        f"(tables {len(found_t & true_t)}/{len(found_t)} found, {len(true_t)} true; "
        f"columns {len(found_c & true_c)}/{len(found_c)} found, {len(true_c)} true)"
    )
    print(summary)
    assert mutations >= 500, summary
    assert precision >= 0.95 and recall >= 0.90, summary
