"""The precise stage of `schemaudit impact`: a name counts where code uses the table or
column (SQL, a quoted key, an ORM attribute), not where a Python variable, parameter,
comment or docstring shares its spelling; and the figures on the hand-labelled sets."""

from __future__ import annotations

import os

import pytest
from bench.impact_precision import Case, cases, figures, found, read_labels

from schemaudit.impact import Kind, SearchName
from schemaudit.impact.scan import make_plan, search_bytes

KNOWN = ("assets", "runs", "run_jobs", "projects", "users")
NAMES = (
    SearchName(Kind.TABLE, "app_users", "users", "app_users", "SA102", "users"),
    SearchName(Kind.COLUMN, "assets", "meta_json", "metadata_json", "SA112", "assets", ("assets", "Asset"), False),
    SearchName(Kind.COLUMN, "projects", "user_id", "owner_user_id", "SA112", "projects", ("projects", "Project"), True),
)


def uses(text: str, path: str = "app.py") -> list[tuple[int, str]]:
    plan = make_plan(NAMES, KNOWN)
    return [(h.line, h.spelling) for h in search_bytes(text.encode(), path, plan)]


def test_python_locals_parameters_comments_and_docstrings_are_not_uses() -> None:
    code = '''"""Creates users and their projects."""
def ensure_project(conn, slug, user_id):
    # user_id comes from the session
    user_id, now = new_id(), utc_now()
    conn.execute("SELECT id FROM projects WHERE user_id = ?", (user_id,))
    return user_id
'''
    assert uses(code) == [(5, "user_id")]


def test_sql_in_strings_needs_its_table_in_the_same_statement() -> None:
    code = '''SCHEMA = """
CREATE TABLE assets (id TEXT, meta_json TEXT);
CREATE TABLE run_jobs (id TEXT, meta_json TEXT, asset_id TEXT REFERENCES assets(id));
"""
a = "SELECT a.meta_json FROM run_jobs r JOIN assets a ON a.id = r.asset_id"
b = "SELECT r.meta_json FROM run_jobs r JOIN assets a ON a.id = r.asset_id"
c = "SELECT meta_json FROM run_jobs"
d = ("SELECT meta_json "
     "FROM assets")
'''
    assert uses(code) == [(2, "meta_json"), (5, "meta_json"), (8, "meta_json")]


def test_quoted_keys_and_orm_attributes() -> None:
    code = """class Asset(Base):
    __tablename__ = "assets"
    meta_json = Column("meta_json", Text)

    def show(self):
        return self.meta_json

def upgrade():
    op.alter_column("assets", "meta_json", new_column_name="metadata_json")
    op.add_column("run_jobs", sa.Column("meta_json", sa.Text()))

def read(asset, run_job, row):
    print(Asset.meta_json, asset.meta_json, assets.c.meta_json, run_job.meta_json)
    payload = {"meta_json": "{}"}
    return Asset(meta_json=payload)
"""
    assert uses(code) == [
        (3, "meta_json"),
        (3, "meta_json"),
        (6, "meta_json"),
        (9, "meta_json"),
        (13, "meta_json"),
        (13, "meta_json"),
        (13, "meta_json"),
        (15, "meta_json"),
    ]


def test_a_table_name_counts_in_sql_and_quotes_not_as_a_python_name() -> None:
    code = 'users = load()\nq = "SELECT * FROM users"\nfk = ForeignKey("users.id")\nname = "users"\n'
    assert uses(code) == [(2, "users"), (3, "users"), (4, "users")]


def test_sql_files_skip_comments_and_string_literals() -> None:
    sql = "-- users are kept\nINSERT INTO notes VALUES ('users');\nUPDATE users SET user_id = 1;\n"
    assert uses(sql, "q.sql") == [(3, "users"), (3, "user_id")]


def test_files_the_stage_cannot_read_keep_the_word_level_answer() -> None:
    assert uses("def f(:\n    return users\n") == [(2, "users")]  # not Python: tokenize fails
    assert uses("SELECT 'users\n", "q.sql") == [(1, "users")]  # an unclosed quote
    assert uses("const users = 1;\n", "a.js") == [(1, "users")]  # a language it does not read


# ---- the labelled sets ------------------------------------------------------------------


def _case(name: str) -> Case:
    return next(c for c in cases() if c.name == name)


@pytest.mark.parametrize("name", ["creative-pipeline", "anime-catalog"])
def test_precision_and_recall_on_the_examples(name: str) -> None:
    case = _case(name)
    result = figures(found(case, precise=False), found(case, precise=True), read_labels(name))
    assert result.recall_before == 1.0  # the word-level search reports every labelled use
    assert result.recall_after == result.recall_before, result
    assert result.precision_after >= 0.9, result
    assert result.precision_after > result.precision_before


@pytest.mark.skipif(not os.environ.get("SCHEMAUDIT_IHATEMONEY"), reason="ihatemoney's sdist is not unpacked here")
def test_precision_and_recall_on_ihatemoney() -> None:
    case = _case("ihatemoney")
    result = figures(found(case, precise=False), found(case, precise=True), read_labels("ihatemoney"))
    assert result.recall_after == result.recall_before == 1.0, result
    assert result.precision_after >= 0.9, result
