"""The same rebuild without the marker: what a rebuild did before the runner knew."""
