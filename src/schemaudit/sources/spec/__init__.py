"""Markdown specs (`spec:docs/TECH_SPEC.md#5`): a heading per table, columns as tables or lists.

Entry point: `source.load`. `markdown` turns the document into blocks (markdown-it-py);
`items` reads column, constraint and index items from them.
"""
