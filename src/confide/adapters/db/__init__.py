"""The relational store (SQLAlchemy 2, SQLite or PostgreSQL, one schema, Alembic migrations)."""
