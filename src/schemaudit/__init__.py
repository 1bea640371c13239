"""schemaudit: audit a database schema against the schema it is meant to have."""

__version__ = "0.1.0"
