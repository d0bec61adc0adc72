"""Database: models, migrations, queries and the unit of work."""
