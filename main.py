"""ESI Desktop: `python main.py` opens the window; `python main.py <command>` runs headless."""

import sys


def _open_window(database_url: str | None) -> int:
    from ui.app import run

    return run(database_url)


if __name__ == "__main__":
    from esi_desktop.cli import main

    sys.exit(main(sys.argv[1:], open_window=_open_window))
