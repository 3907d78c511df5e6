"""Two people spending one courtyard's money at once (PostgreSQL only: SQLite has no row
locks and lets one writer at a time into the whole database)."""

import threading
import time

from django.core.exceptions import ValidationError
from django.db import connections, transaction

from funds.services import lock_courtyard


def second_while_first_holds_the_lock(courtyard_id, first, second):
    """Runs `first()` in a transaction that holds the courtyard's lock for half a second and
    `second()` in another thread meanwhile: the second must wait and see the first's
    spending. Returns what became of the second: "recorded", or the message refusing its
    amount."""
    first_holds_lock = threading.Event()
    outcome = {}

    def run_first():
        try:
            with transaction.atomic():
                lock_courtyard(courtyard_id)
                first_holds_lock.set()
                time.sleep(0.5)  # the second starts meanwhile and must wait
                first()
        finally:
            connections.close_all()

    def run_second():
        first_holds_lock.wait()
        try:
            second()
            outcome["second"] = "recorded"
        except ValidationError as error:
            outcome["second"] = error.message_dict["amount"][0]
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run_first), threading.Thread(target=run_second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    return outcome["second"]
