"""Request and response bodies, one module per resource (never the store tables)."""
