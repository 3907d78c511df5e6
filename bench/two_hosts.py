"""Two application hosts, one database: how soon is a save on one seen on the other?

Starts two gunicorn servers on the same PostgreSQL database, as two hosts would run, and a
writer (this process, a third Django process) that renames a courtyard now and then. After
each save it asks host B for the community dashboard until the new name shows, and prints
how long that took. It runs twice: with the shared Redis (REDIS_URL, production) and with
each process keeping its own cache in memory (no REDIS_URL), where host B keeps showing the
old name until its kept page expires.

    createdb -h 127.0.0.1 -U postgres portal_hosts
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_hosts
    .venv/bin/python manage.py migrate && DEBUG=1 .venv/bin/python manage.py seed_demo
    .venv/bin/python bench/two_hosts.py --saves 10

On a bench database (docs/bench.md) pass `--user bench_community`; `make bench` runs the
shared mode as its "hosts" part.
"""

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from load import Browser, serve  # noqa: E402

COMMUNITY_USER = "sq_changshouyuan"


def courtyard_of(username):
    """A courtyard on the user's dashboard, for the writer to rename."""
    from django.contrib.auth import get_user_model

    from courtyards.models import Courtyard

    user = get_user_model().objects.get(username=username)
    return Courtyard.objects.visible_to(user).order_by("pk").first()


def seen_after(browser, text, limit):
    """Seconds until host B's dashboard shows `text`, or None if not within `limit`."""
    started = time.perf_counter()
    while time.perf_counter() - started < limit:
        _status, body = browser.request("/")
        if text.encode() in body:
            return time.perf_counter() - started
        time.sleep(0.05)
    return None


def run(mode, saves, limit, user):
    """One mode, in a process of its own: the writer's settings are those of the hosts."""
    import django
    from django.conf import settings

    django.setup()
    hosts = [serve(8201, 1), serve(8202, 1)]
    try:
        courtyard = courtyard_of(user)
        original = courtyard.name
        host_a, host_b = Browser("http://127.0.0.1:8201"), Browser("http://127.0.0.1:8202")
        for host in (host_a, host_b):
            host.login(user)
        delays = []
        for number in range(1, saves + 1):
            for host in (host_a, host_b):
                host.request("/")  # each host has the page kept
            courtyard.name = f"{original}·{mode}{number}"
            courtyard.save(update_fields=["name"])
            delays.append(seen_after(host_b, courtyard.name, limit))
        courtyard.name = original
        courtyard.save(update_fields=["name"])
        return settings.CACHES["figures"]["BACKEND"].rsplit(".", 1)[-1], delays
    finally:
        for host in hosts:
            os.killpg(host.pid, signal.SIGTERM)
            host.wait()


def describe(delays, limit):
    seen = [delay for delay in delays if delay is not None]
    text = f"seen on host B after {len(seen)} of {len(delays)} saves"
    if seen:
        text += f", median {statistics.median(seen) * 1000:.0f} ms, max {max(seen) * 1000:.0f} ms"
    if len(seen) < len(delays):
        text += f"; {len(delays) - len(seen)} still showed the old name after {limit:.0f} s"
    return text


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=10)
    parser.add_argument("--limit", type=float, default=10.0, help="seconds to wait per save")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--mode", choices=["shared", "local"], help="run only this mode")
    parser.add_argument("--user", default=COMMUNITY_USER, help="bench_community on bench data")
    parser.add_argument("--json", action="store_true", help="also print the delays as JSON")
    arguments = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database with the demo district.")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    if arguments.mode:
        backend, delays = run(arguments.mode, arguments.saves, arguments.limit, arguments.user)
        print(f"{arguments.mode:6} ({backend}): {describe(delays, arguments.limit)}")
        if arguments.json:
            print(json.dumps({"mode": arguments.mode, "backend": backend, "delays": delays}))
        return
    import redis

    redis.Redis.from_url(arguments.redis).flushdb()
    for mode in ("shared", "local"):
        environment = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
        if mode == "shared":
            environment["REDIS_URL"] = arguments.redis
        subprocess.run(
            [sys.executable, __file__, "--mode", mode, *sys.argv[1:]], env=environment, check=True
        )


if __name__ == "__main__":
    main()
