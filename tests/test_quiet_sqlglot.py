"""sqlglot's own warnings are held back while schemaudit parses (it reports unreadable
statements itself, with their line), and only then: other threads, errors, and anything
logged outside the block still get through, and the logger's level is left alone."""

from __future__ import annotations

import logging
import threading

import pytest

from schemaudit.sources.ddl.tokens import quiet_sqlglot


def test_warnings_are_held_back_only_inside_the_block(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("sqlglot")
    level = logger.level
    with caplog.at_level(logging.WARNING, logger="sqlglot"):
        with quiet_sqlglot(), quiet_sqlglot():
            logger.warning("inside")
            logger.error("an error inside")
            seen: list[str] = []
            other = threading.Thread(target=lambda: (logger.warning("another thread"), seen.append("ran")))
            other.start()
            other.join()
        logger.warning("after")
    assert [r.getMessage() for r in caplog.records] == ["an error inside", "another thread", "after"]
    assert seen == ["ran"]
    assert logging.getLogger("sqlglot").level == level


def test_the_ddl_source_prints_no_sqlglot_warning(tmp_path: object, capsys: pytest.CaptureFixture[str]) -> None:
    from pathlib import Path

    from schemaudit.sources import LoadOptions, load

    path = Path(str(tmp_path)) / "odd.sql"
    path.write_text("CREATE TABLE t (id int);\nCREATE OPERATOR === (LEFTARG = int, RIGHTARG = int, FUNCTION = f);\n")
    schema = load(f"ddl:{path}?dialect=postgres", LoadOptions(lenient=True))
    assert [t.name for t in schema.tables] == ["t"]
    assert "sqlglot" not in capsys.readouterr().err.lower()
