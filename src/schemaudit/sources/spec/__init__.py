"""Markdown specs (`spec:docs/TECH_SPEC.md#5`): a heading per table, columns as tables or lists.

Entry point: `source.load`. `markdown` turns the document into blocks (markdown-it-py,
run by `sections` a piece of the document at a time, without the block rules that cannot
match there (`block_rules`) and with simple inline content split by `simple_inline`);
`items` reads column, constraint and index items from them.
"""
