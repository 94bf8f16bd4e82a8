"""The open database as the window sees it.

``connection`` opens a database, watches it (other people's changes, a file replaced
underneath, a server lost and found again) and shows the outage banner; ``open_dialog`` is
File ▸ Open database… (a file or a shared PostgreSQL server); ``backups`` restores a backup
and recovers a damaged file.
"""
