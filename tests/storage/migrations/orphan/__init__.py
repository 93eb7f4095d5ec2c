"""A foreign-keys-off migration that leaves briefings pointing at a deleted source."""
