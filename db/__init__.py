"""Persistence only: peewee models, opening a database from a URL, migrations, backups."""
