"""Qt only: windows, views, item models, delegates, dialogs, undo commands."""
