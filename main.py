"""ESI Desktop: `python main.py` opens the window; `python main.py <command>` runs headless."""

import sys


def _open_window(database_url: str | None) -> int:
    from ui.app import run

    return run(database_url)


if __name__ == "__main__":
    arguments = sys.argv[1:]
    # opening the window needs no argument parser: start-up is what a secretary waits for
    if not arguments:
        sys.exit(_open_window(None))
    if len(arguments) == 2 and arguments[0] == "--db" and not arguments[1].startswith("-"):
        sys.exit(_open_window(arguments[1]))
    from esi_desktop.cli import main

    sys.exit(main(arguments, open_window=_open_window))
