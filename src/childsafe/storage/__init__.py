"""Storage behind small interfaces (see ``interfaces``), implemented once with SQLAlchemy for
SQLite (the embedded default) and PostgreSQL (production); one contract test runs against both."""
