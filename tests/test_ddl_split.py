"""Statement splitting on PostgreSQL looks only at the words that open or close a body with
semicolons inside (BEGIN ATOMIC, CASE, END), so names that contain them, comments between
BEGIN and ATOMIC, and `$` or `E` inside names must not change where statements end."""

from __future__ import annotations

from schemaudit.sources.ddl.split import split_statements


def test_begin_atomic_body_with_a_comment_between_the_words_is_one_statement() -> None:
    text = (
        "CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql BEGIN /* body */ ATOMIC\n"
        "  SELECT CASE WHEN a > 0 THEN 1 ELSE 0 END;\n  SELECT 2;\nEND;\n"
        "CREATE TABLE t (case_id int, end_at date, begin_atomic text);\n"
        "CREATE TABLE u (x int)"
    )
    found = split_statements(text, "postgresql")
    assert [(s.line, s.text.split()[1]) for s in found] == [(1, "FUNCTION"), (5, "TABLE"), (6, "TABLE")]
    assert found[0].text.rstrip().endswith("END")


def test_begin_not_followed_by_atomic_ends_at_its_semicolon() -> None:
    text = "BEGIN;\nCREATE TABLE atomic (x int);\nCOMMIT;"
    assert [s.text for s in split_statements(text, "postgresql")] == [
        "BEGIN",
        "CREATE TABLE atomic (x int)",
        "COMMIT",
    ]


def test_dollar_and_e_inside_names_open_no_quote() -> None:
    text = "CREATE TABLE a$b$ (x int);\nCREATE TABLE name (e text DEFAULT 'x');\nCREATE TABLE c (y int)"
    assert [s.line for s in split_statements(text, "postgresql")] == [1, 2, 3]
