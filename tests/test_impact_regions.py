"""The precise stage reads only the top-level statements of a Python file that hold a match
(impact/python_regions.py): the same verdicts as reading the whole file, on layouts that
defeat a naive cut and on real packages' code."""

from __future__ import annotations

import ast
import os
from dataclasses import replace
from pathlib import Path

import alembic
import pytest
import sqlalchemy

from schemaudit.impact import Kind, SearchName
from schemaudit.impact.python_regions import cuts_of, parse_regions
from schemaudit.impact.python_source import read_python
from schemaudit.impact.scan import make_plan, search, search_bytes

NAMES = (
    SearchName(Kind.TABLE, "users", "users", "app_users", "SA102", "users"),
    SearchName(Kind.COLUMN, "users", "name", "full_name", "SA112", "users", ("users", "User"), False),
    SearchName(Kind.COLUMN, "users", "id", "uid", "SA112", "users", ("users", "User"), False),
    SearchName(Kind.COLUMN, "users", "email", "email_address", "SA112", "users", ("users", "User"), True),
    SearchName(Kind.COLUMN, "tables", "schema", "schema_name", "SA112", "tables", ("tables", "Table"), False),
    SearchName(Kind.COLUMN, "tables", "data", "payload", "SA112", "tables", ("tables", "Table"), True),
    SearchName(Kind.COLUMN, "columns", "type", "type_name", "SA112", "columns", ("columns", "Column"), False),
    SearchName(Kind.COLUMN, "columns", "key", "k", "SA112", "columns", ("columns", "Column"), True),
)
KNOWN = ("users", "tables", "columns", "orders")


FILLER = "".join(f"\n\ndef unrelated_{i}(a, b):\n    return a + b * {i}\n" for i in range(60))


def both(text: str) -> tuple[list[tuple[int, str, tuple[str, ...]]], list[tuple[int, str, tuple[str, ...]]]]:
    """The hits reading pieces, and reading the whole file (functions holding no match
    follow the text, so that the pieces are a small part of the file, as in real code)."""
    text += FILLER
    plan = make_plan(NAMES, KNOWN)
    out = []
    for regions in (True, False):
        hits = search_bytes(text.encode(), "app.py", replace(plan, regions=regions))
        out.append([(h.line, h.spelling, tuple(n.name for n in h.names)) for h in hits])
    return out[0], out[1]


def lines_of(text: str) -> list[int]:
    return [0, *(i + 1 for i, c in enumerate(text) if c == "\n")]


LAYOUTS = {
    "module docstring under comments": '# header\n\nr"""email"""\nimport x\nq = "SELECT email FROM users"\n',
    "decorated functions": '@app.route("/u")\n@login\ndef show(db):\n    return db.execute("SELECT email FROM users")\n'
    "def other():\n    email = 1\n    return email\n",
    "sql at column 0 in a triple-quoted string": 'Q = """\nSELECT id,\nemail\nFROM users\n"""\nemail = Q\nusers = 2\n',
    "a string that looks like code": 'class User(Base):\n    __tablename__ = "users"\n'
    'X = """\nx = User(email=1)\n""" + """\ny\n"""\nprint(User.email)\n',
    "column 0 inside brackets": 'rows = fetch(\nusers,\n"SELECT email FROM users",\n)\nemail = 3\n',
    "else and except at column 0": 'if a:\n    q = "SELECT email FROM users"\n'
    'else:\n    q = "SELECT data FROM tables"\n'
    'try:\n    users = 1\nexcept E:\n    users = 2\nfinally:\n    x = "users"\n',
    "backslash continuation": 'q = "SELECT email " \\\n"FROM users"\nemail = 1\n',
    "class with a table": 'class User(Base):\n    __tablename__ = "users"\n'
    "    email = Column(String)\n    name = Column(String)\n\n"
    "def f(u):\n    return u.name, User.email\n",
    "module-level column needing the module": 'from m import User\n\nx = row.name\nnames = {"name": 1}\n',
    "an escaped quote in a docstring": 'def f():\n    """a \\""" b"""\n'
    '    return "SELECT email FROM users"\nemail = 1\n',
    "a comment holding triple quotes": '# """\nq = "SELECT email FROM users"\n# """\nemail = 1\n',
    "a module-level SQL string whose table the module names far below": 'q = "SELECT name FROM t"\n\n'
    + "".join(f"def pad_{i}():\n    return {i}\n\n" for i in range(40))
    + "registry = [User]\n",
    "a module-level SQL string whose table only a comment names": 'q = "SELECT name FROM t"\n# users\nx = 1\n',
    "an unclosed triple quote": 'q = "SELECT email FROM users"\nx = """\nemail\n',
    "a syntax error in the matched statement": 'def f(:\n    return users\nq = "SELECT email FROM users"\n',
}


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_pieces_give_the_whole_files_verdicts(name: str) -> None:
    regions, whole = both(LAYOUTS[name])
    assert regions == whole


def test_only_the_statements_holding_a_match_are_parsed() -> None:
    text = "".join(f"def f{i}():\n    return {i}\n\n" for i in range(50))
    text += 'def g():\n    return "SELECT email FROM users"\n'
    tree, pieces = parse_regions(text, lines_of(text), [152]) or (None, None)
    assert isinstance(tree, ast.Module) and pieces == [(151, 153)]
    assert [n.name for n in tree.body if isinstance(n, ast.FunctionDef)] == ["g"]
    source = read_python(text, [152])
    assert source is not None and source.statement_lines(152) == (152, 152)


def test_cuts_skip_decorators_continuations_and_strings() -> None:
    text = '"""doc"""\n@a\n@b(\nx)\ndef f():\n    pass\nQ = """\nSELECT 1\n"""\n'
    text += "else_ = 1\ntry:\n    pass\nexcept E:\n    pass\n"
    assert cuts_of(text, lines_of(text)) == [1, 2, 7, 10, 11]


def test_a_piece_that_does_not_parse_keeps_the_word_level_answer() -> None:
    assert both("def f(:\n    return users\n")[0] == [(2, "users", ("users",))]


def _python_files(root: Path, *packages: Path) -> list[str]:
    out: list[str] = []
    for package in packages:
        for folder, _, files in os.walk(package):
            out += [os.path.relpath(os.path.join(folder, f), root) for f in sorted(files) if f.endswith(".py")]
    return out


def test_real_packages_get_the_same_hits() -> None:
    """SQLAlchemy's ORM and Alembic, searched for names they use everywhere (`name`, `id`,
    `type`, `key`, `data`, `schema`): the hits and their names, piece by piece against the
    whole files."""
    root = Path(sqlalchemy.__file__).parents[1]
    assert Path(alembic.__file__).parents[1] == root
    files = _python_files(root, root / "sqlalchemy" / "orm", root / "alembic")
    plan = make_plan(NAMES, KNOWN)
    found = []
    for regions in (True, False):
        result = search(root, files, replace(plan, regions=regions), label="code", listing="walk", names=NAMES, jobs=1)
        found.append([(h.path, h.line, h.column, tuple(n.name for n in h.names)) for h in result.hits])
    assert len(files) > 100 and len(found[1]) > 200
    assert found[0] == found[1]
