"""Persistence only: peewee models, opening a database from a URL, migrations, backups."""

from db.drivers import import_peewee

# before any db module imports peewee: a SQLite file never loads psycopg2 (see db.drivers)
import_peewee()
