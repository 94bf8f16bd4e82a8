"""Importing an inspection report in the window: the flow and its preview dialog.

Open :mod:`ui.importing.flow` for the whole import (choosing the file, reading it off the GUI
thread with :mod:`ui.runner`, previewing, storing, and the sample inspection) and
:mod:`ui.importing.preview_dialog` for the dialog that shows what a report holds before it is
stored.
"""
