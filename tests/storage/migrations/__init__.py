"""Test migrations: packages of numbered .sql files applied after the real ones."""
