"""Reminders in the window: the "Due and overdue" panel, tray notifications, and the owners'
reminder e-mails (File ▸ Export ▸ Reminder e-mails for owners…)."""

from ui.reminders.controller import Reminders

__all__ = ["Reminders"]
