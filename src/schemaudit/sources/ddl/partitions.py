"""PostgreSQL declarative partitioning in DDL: a table's `PARTITION BY` key and the bound of
each partition, read as the text that builds them.

sqlglot reads `PARTITION BY RANGE (a)` as a bare property and neither `PARTITION OF t FOR
VALUES ...` nor `ATTACH PARTITION p FOR VALUES ...` at all; the clauses are short and fixed
in shape, so they are cut out of the statement here and kept as written. Bounds are compared
by meaning later (`diff.partitions.bound_key`), so `for values from ('2024-01-01')` here and
the catalog's `FOR VALUES FROM ('2024-01-01 00:00:00')` are one bound.
"""

from __future__ import annotations

from sqlglot.tokenizer_core import TokenType as T

from schemaudit.sources.ddl.tokens import Tokens


def _group_end(tokens: Tokens, i: int) -> int:
    """The index after the bracket group opening at `i` (or `i` itself when none opens there)."""
    if i < len(tokens) and tokens.tokens[i].token_type == T.L_PAREN:
        return tokens.close_of(i) + 1
    return i


def _is_partition_by(tokens: Tokens, j: int) -> bool:
    return tokens.tokens[j].token_type == T.PARTITION_BY or (
        tokens.word(j) == "PARTITION" and tokens.word(j + 1) == "BY"
    )


def key_clause(tokens: Tokens, start: int) -> tuple[int, int] | None:
    """Where `PARTITION BY RANGE|LIST|HASH (...)` is, at depth 0 from `start`: [begin, end)."""
    depth = 0
    for j in range(start, len(tokens)):
        kind = tokens.tokens[j].token_type
        if depth == 0 and _is_partition_by(tokens, j):
            k = j + (1 if tokens.tokens[j].token_type == T.PARTITION_BY else 2)
            return j, _group_end(tokens, k + 1)  # the strategy word, then its column list
        if kind == T.L_PAREN:
            depth += 1
        elif kind == T.R_PAREN:
            depth -= 1
    return None


def create_table_key(tokens: Tokens) -> tuple[str, int, int] | None:
    """`PARTITION BY ...` after a CREATE TABLE's column list: (text, begin, end)."""
    start = tokens.find(frozenset({T.L_PAREN}))
    if start < 0:
        return None
    found = key_clause(tokens, tokens.close_of(start) + 1)
    if found is None:
        return None
    return tokens.slice(*found).strip(), found[0], found[1]


def bound_at(tokens: Tokens, i: int) -> tuple[str, str | None] | None:
    """The partition bound starting at token `i` (`FOR VALUES ...` or `DEFAULT`) and the
    partition's own `PARTITION BY ...` after it, if any; None when no bound starts there."""
    if tokens.word(i) == "DEFAULT":
        end = i + 1
    elif tokens.word(i) == "FOR" and tokens.word(i + 1) == "VALUES":
        j = i + 2
        if tokens.word(j) == "FROM":
            j = _group_end(tokens, j + 1)
            if tokens.word(j) != "TO":
                return None
            j = _group_end(tokens, j + 1)
        elif tokens.word(j) in ("IN", "WITH"):
            j = _group_end(tokens, j + 1)
        else:
            return None
        end = j
    else:
        return None
    bound = " ".join(tokens.slice(i, end).split())
    found = key_clause(tokens, end)
    key = " ".join(tokens.slice(*found).split()) if found is not None else None
    return bound, key


def partition_of(tokens: Tokens, after_parent: int) -> tuple[str, str | None] | None:
    """The bound (and sub-partitioning) of `CREATE TABLE p PARTITION OF t [(...)] FOR VALUES
    ...`, from the token after the parent's name."""
    i = after_parent
    if i < len(tokens) and tokens.tokens[i].token_type == T.L_PAREN:  # per-partition column options
        i = tokens.close_of(i) + 1
    return bound_at(tokens, i)
