"""A rebuild whose foreign-keys directive is misspelt: refused, not ignored."""
