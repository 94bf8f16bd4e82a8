"""The command line: ``python main.py <command>`` runs the same use cases as the window.

``parser`` declares the commands and their arguments, ``commands`` runs them, ``status``
words the dashboard read model for ``main.py status``.
"""

from esi_desktop.cli.commands import main

__all__ = ["main"]
