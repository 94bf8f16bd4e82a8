"""Exporting the PDFs from the window: preview, then save, and marking the plan as sent.

``dialogs`` holds what the File ▸ Export menu calls (the response and action plan, the Board
progress paper, the meeting-date and mark-as-sent dialogs) and the preview, which lays the
document out in the background runner; ``missing_items`` asks before a draft is exported.
"""
