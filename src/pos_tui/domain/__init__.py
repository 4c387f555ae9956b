"""Pure business rules: no textual, no sqlite3."""
