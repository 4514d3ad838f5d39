"""SQLAlchemy models, the database engine, migrations and the single database worker. Qt-free."""
