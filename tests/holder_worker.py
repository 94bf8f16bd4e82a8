"""Another secretary's ESI Desktop, holding a database open while the test restores or removes it.

Run as its own operating-system process by ``tests/test_database_replaced.py``::

    python tests/holder_worker.py --db URL

It opens the database through :func:`esi_desktop.database.connect` (so it is listed as having
it open), prints ``ready``, then answers one command per line on stdin with one JSON line::

    edit VALUE              save VALUE as the owner of the first action
    read                    read the inspections
    loop PREFIX LOG         save PREFIX-1, PREFIX-2, … as fast as it can, logging each attempt
                            to LOG (one JSON line); answer ``saving`` after the first
                            :data:`ANNOUNCE_AFTER` saves, and finish once :data:`STOP_AFTER`
                            saves have been refused (or after :data:`LOOP_SECONDS`)
    close                   close the database and exit

Each answer is ``{"outcome": "ok" | "replaced" | "error", "message": …, "value": …}``:
``replaced`` is :class:`esi_desktop.database.DatabaseReplaced`; ``error`` is anything else
(which the tests count as a failure).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from db.models import Action  # noqa: E402
from esi_desktop import database, inspections, plan  # noqa: E402


def attempt(action: Any, value: str | None) -> dict[str, Any]:
    """Save ``value`` as the owner of the first action (or read, when None): what happened."""
    try:
        if value is None:
            inspections.list_inspections()
        else:
            plan.update_action(action_id=action, changes={"owner": value}, expected_version=None)
    except database.DatabaseReplaced as exc:
        return {"outcome": "replaced", "message": str(exc), "value": value}
    except Exception as exc:  # anything else is a failure the test reports
        return {"outcome": "error", "message": f"{type(exc).__name__}: {exc}", "value": value}
    return {"outcome": "ok", "message": "", "value": value}


#: ``loop`` says it is saving after this many saves, so the test can restore meanwhile.
ANNOUNCE_AFTER = 20
#: ``loop`` finishes once this many saves were refused…
STOP_AFTER = 20
#: …or after this long, whatever happened.
LOOP_SECONDS = 60.0


def loop(action: int, prefix: str, log: Path) -> dict[str, Any]:
    """Save as fast as possible until enough saves were refused; count the outcomes."""
    counts = {"ok": 0, "replaced": 0, "error": 0}
    number = 0
    deadline = time.monotonic() + LOOP_SECONDS
    with log.open("w", encoding="utf-8") as out:
        while counts["replaced"] < STOP_AFTER and time.monotonic() < deadline:
            number += 1
            result = attempt(action, f"{prefix}-{number}")
            counts[result["outcome"]] += 1
            out.write(json.dumps(result) + "\n")
            out.flush()
            if number == ANNOUNCE_AFTER:
                print(json.dumps({"outcome": "saving", "message": "", "value": None}), flush=True)
    return {"outcome": "ok", "message": json.dumps(counts), "value": None}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", required=True)
    args = parser.parse_args()
    database.connect(args.db, create=False, back_up_on_open=False)
    action = int(Action.select(Action.id).order_by(Action.id).first().id)
    print("ready", flush=True)
    for line in sys.stdin:
        command, *rest = line.split()
        if command == "edit":
            answer = attempt(action, rest[0])
        elif command == "read":
            answer = attempt(action, None)
        elif command == "loop":
            answer = loop(action, rest[0], Path(rest[1]))
        elif command == "close":
            database.disconnect()
            print(json.dumps({"outcome": "ok", "message": "closed", "value": None}), flush=True)
            return 0
        else:
            answer = {"outcome": "error", "message": f"unknown command {command}", "value": None}
        print(json.dumps(answer), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
