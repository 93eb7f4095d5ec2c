"""Numbered SQL migrations, applied in name order, each in one transaction with its record.

A migration that rebuilds a table (SQLite's 12-step ALTER: create the new table, copy the
rows, drop the old one, rename the new one, recreate its indexes and triggers) starts with
the line ``-- briefbot: foreign_keys=off``: it then runs with foreign keys off, so that
dropping the old table leaves the rows pointing at it alone, and must pass
``PRAGMA foreign_key_check`` before it commits.
"""
