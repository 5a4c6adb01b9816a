"""SQL storage: SQLite (embedded default) and PostgreSQL (production), via SQLAlchemy Core."""
