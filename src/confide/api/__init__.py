"""api layer of Confide (see the package docstring)."""
