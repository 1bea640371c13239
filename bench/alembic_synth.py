"""A generated Alembic project of N revisions, deterministic, for `bench/alembic_bench.py`.

The history cycles through what real histories do, one operation kind per revision: create a
table (with a foreign key to the previous one), add a column, create an index, alter a
column (widen a VARCHAR, or make an added column NOT NULL), rename a column, rename a table.
The project has a minimal `env.py` (Alembic's online template: the URL from the ini, one
transaction) and `models.py`, a MetaData of the schema the head builds, for Alembic's
`compare_metadata`; that comparison finding nothing is the check that both agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

KINDS = ("create", "add", "index", "alter", "rename_column", "rename_table")

ENV_PY = """from alembic import context
from sqlalchemy import engine_from_config, pool

config = context.config
section = config.get_section(config.config_ini_section)
connectable = engine_from_config(section, prefix="sqlalchemy.", poolclass=pool.NullPool)
with connectable.connect() as connection:
    context.configure(connection=connection, target_metadata=None)
    with context.begin_transaction():
        context.run_migrations()
"""


@dataclass
class _Table:
    name: str
    columns: dict[str, str]  # name -> SQLAlchemy type expression
    not_null: set[str]
    fk: tuple[str, str] | None  # (column, referenced table) -- follows renames
    indexes: dict[str, str] = field(default_factory=dict)  # index name -> column
    added: list[str] = field(default_factory=list)


def write_project(root: Path, revisions: int) -> dict[str, int]:
    """alembic.ini, migrations/env.py, migrations/versions/*.py and models.py under `root`;
    returns counts by operation kind (and tables at head)."""
    versions = root / "migrations" / "versions"
    versions.mkdir(parents=True, exist_ok=True)
    (root / "alembic.ini").write_text(
        "[alembic]\nscript_location = %(here)s/migrations\nsqlalchemy.url = sqlite://\n", encoding="utf-8"
    )
    (root / "migrations" / "env.py").write_text(ENV_PY, encoding="utf-8")
    tables: list[_Table] = []
    counts = dict.fromkeys(KINDS, 0)
    for i in range(revisions):
        kind = KINDS[i % len(KINDS)] if tables else "create"
        body = _operation(kind, i, tables)
        if body is None:  # nothing to do of that kind yet: add a column instead
            kind, body = "add", _operation("add", i, tables)
        assert body is not None
        counts[kind] += 1
        down = f'"r{i - 1:04d}"' if i else "None"
        (versions / f"r{i:04d}_{kind}.py").write_text(
            f'"""{kind} (revision {i})"""\nimport sqlalchemy as sa\nfrom alembic import op\n\n'
            f'revision = "r{i:04d}"\ndown_revision = {down}\nbranch_labels = None\ndepends_on = None\n\n\n'
            f"def upgrade():\n{body}\n\n\ndef downgrade():\n    pass\n",
            encoding="utf-8",
        )
    (root / "models.py").write_text(_models(tables), encoding="utf-8")
    counts["tables"] = len(tables)
    return counts


def _operation(kind: str, i: int, tables: list[_Table]) -> str | None:
    """The body of revision i's upgrade(), applying it to `tables` as well."""
    t = tables[(i * 7) % len(tables)] if tables else None
    if kind == "create" or t is None:
        name = f"t{i:04d}"
        parent = tables[-1] if tables else None
        table = _Table(
            name, {"id": "sa.Integer()", "name": "sa.String(100)", "status": "sa.String(20)"}, {"name"}, None
        )
        cols = [
            '        sa.Column("id", sa.Integer(), primary_key=True)',
            '        sa.Column("name", sa.String(100), nullable=False)',
            '        sa.Column("status", sa.String(20), nullable=True)',
            '        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"))',
        ]
        table.columns["created_at"] = "sa.DateTime(timezone=True)"
        if parent is not None:
            table.columns["parent_id"] = "sa.Integer()"
            table.fk = ("parent_id", parent.name)
            cols.append(
                f'        sa.Column("parent_id", sa.Integer(), sa.ForeignKey("{parent.name}.id"), nullable=True)'
            )
        tables.append(table)
        return f'    op.create_table(\n        "{name}",\n' + ",\n".join(cols) + ",\n    )"
    if kind == "add":
        column = f"c{i:04d}"
        t.columns[column] = "sa.Integer()"
        t.added.append(column)
        return f'    op.add_column("{t.name}", sa.Column("{column}", sa.Integer(), nullable=True))'
    if kind == "index":
        column = next((c for c in ("status", *t.added, "name") if c in t.columns and c not in t.indexes.values()), None)
        if column is None:
            return None
        index = f"ix_{i:04d}_{column}"
        t.indexes[index] = column
        return f'    op.create_index("{index}", "{t.name}", ["{column}"])'
    if kind == "alter":
        if t.columns.get("name") == "sa.String(100)":
            t.columns["name"] = "sa.String(200)"
            return (
                f'    op.alter_column("{t.name}", "name", type_=sa.String(200), '
                "existing_type=sa.String(100), existing_nullable=False)"
            )
        column = next((c for c in t.added if c not in t.not_null), None)
        if column is None:
            return None
        t.not_null.add(column)
        return f'    op.alter_column("{t.name}", "{column}", nullable=False, existing_type=sa.Integer())'
    if kind == "rename_column":
        column = next((c for c in t.added if not c.endswith("_v2")), None)
        if column is None:
            return None
        new = f"{column}_v2"
        t.columns = {(new if c == column else c): v for c, v in t.columns.items()}
        t.not_null = {new if c == column else c for c in t.not_null}
        t.indexes = {k: (new if c == column else c) for k, c in t.indexes.items()}
        t.added = [new if c == column else c for c in t.added]
        return f'    op.alter_column("{t.name}", "{column}", new_column_name="{new}")'
    # rename_table
    old, new = t.name, f"{t.name.split('_')[0]}_r{i:04d}"
    t.name = new
    for other in tables:
        if other.fk is not None and other.fk[1] == old:
            other.fk = (other.fk[0], new)
    return f'    op.rename_table("{old}", "{new}")'


def _models(tables: list[_Table]) -> str:
    lines = ["import sqlalchemy as sa", "", "metadata = sa.MetaData()", ""]
    for t in tables:
        lines.append(f't_{t.name} = sa.Table(\n    "{t.name}",\n    metadata,')
        for column, type_ in t.columns.items():
            extra = ", primary_key=True" if column == "id" else f", nullable={column not in t.not_null}"
            if t.fk is not None and t.fk[0] == column:
                extra = f', sa.ForeignKey("{t.fk[1]}.id")' + extra
            if column == "created_at":
                extra += ', server_default=sa.text("now()")'
            lines.append(f'    sa.Column("{column}", {type_}{extra}),')
        for index, column in t.indexes.items():
            lines.append(f'    sa.Index("{index}", "{column}"),')
        lines.append(")")
    return "\n".join(lines) + "\n"
