"""The dashboard and the annual report while the city writes: requests per second and p95
for each role, with bench/writer.py saving records in the background at 0, 1 and 10 saves
per second, and /healthz under the same writer as the baseline.

One gunicorn (2 × cores + 1 workers) serves the whole run; the servers and the writer share
one Redis database (REDIS_URL, flushed at the start), as production does, so every save
reaches every worker. For each rate the writer runs for the whole round and is stopped
after it; meanwhile, for /healthz and each role's pages in turn, `--users` logged-in users
ask for the page as fast as they are answered for `--seconds` (with no writer, after one
untimed request each), and the requests answered are divided by the time until the last.
The community member may not see the annual report (403): that cell is left out.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_city .venv/bin/python bench/writes.py \\
        --seconds 15 --users 10 --rates 0,1,10

Prints a table, then one JSON line (what bench/run.py reads).
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from load import Browser, Results, percentile, serve, timed  # noqa: E402

# The accounts seed_city creates (portal/generate.py), widest scope first.
ROLES = [
    ("city", "bench_city"),
    ("district", "bench_district"),
    ("street", "bench_street"),
    ("community", "bench_community"),
]
PAGES = [("dashboard", "/"), ("annual report", "/reports/annual/")]
HEALTHZ = "/healthz"


def cell(browsers, path, seconds, warm):
    """Requests/s, median and p95 of `path`, each browser asking in a loop for `seconds`
    (and waiting for its last answer: requests/s are over the time until then). `warm`: one
    untimed request each first, so that what is kept is kept; under a writer nothing stays
    kept for long, so the first requests are as any other."""
    results = Results()
    if warm:
        first = [threading.Thread(target=browser.request, args=(path,)) for browser in browsers]
        for thread in first:
            thread.start()
        for thread in first:
            thread.join()
    started = time.perf_counter()
    deadline = started + seconds

    def ask(browser):
        while time.perf_counter() < deadline:
            timed(results, browser, path, path)

    threads = [threading.Thread(target=ask, args=(browser,)) for browser in browsers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    times = results.times.get(path, [])
    return {
        "requests": len(times),
        "seconds": elapsed,
        "per_second": len(times) / elapsed,
        "median": percentile(times, 0.5) if times else None,
        "p95": percentile(times, 0.95) if times else None,
        "errors": len(results.errors),
    }


def start_writer(rate, seconds, seed):
    """bench/writer.py at `rate`, returned once it is ready to save."""
    writer = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "bench" / "writer.py"),
            "--rate",
            str(rate),
            "--seconds",
            str(seconds),
            "--seed",
            str(seed),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    for line in writer.stderr:
        if line.strip() == "ready":
            return writer
        sys.stderr.write(line)
    raise SystemExit(f"bench/writer.py did not start (exit {writer.wait()})")


def stop_writer(writer):
    writer.send_signal(signal.SIGTERM)
    output, errors = writer.communicate()
    sys.stderr.write(errors)
    return json.loads(output.strip().splitlines()[-1])


def allowed(browser, path):
    status, _body = browser.request(path)
    return status == 200


def run(options):
    base = f"http://127.0.0.1:{options.port}"
    server = serve(options.port, options.workers)
    cells, writers = [], []
    try:
        sessions = {}
        for role, username in ROLES:
            sessions[role] = [Browser(base) for _user in range(options.users)]
            for browser in sessions[role]:
                if browser.login(username) != 200:
                    raise SystemExit(f"could not log in as {username}")
        plan = [(None, HEALTHZ, HEALTHZ, sessions[ROLES[0][0]])] + [
            (role, label, path, sessions[role])
            for role, _username in ROLES
            for label, path in PAGES
            if allowed(sessions[role][0], path)
        ]
        for number, rate in enumerate(options.rates):
            # bounded well beyond the round; stopped as soon as the round ends
            bound = len(plan) * (options.seconds + 30) + 60
            writer = start_writer(rate, bound, options.seed + number)
            try:
                for role, label, path, browsers in plan:
                    print(f"· {rate:g} saves/s: {role or ''} {label}", file=sys.stderr)
                    figures = cell(browsers, path, options.seconds, warm=rate == 0)
                    cells.append({"rate": rate, "role": role, "page": label, **figures})
            finally:
                writers.append(stop_writer(writer))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait()
    return {"seconds": options.seconds, "users": options.users, "cells": cells, "writers": writers}


def table(result):
    lines = [f"{'saves/s':>8} {'role':<10} {'page':<14}{'req/s':>9}{'p95 ms':>9}{'errors':>8}"]
    for c in result["cells"]:
        p95 = f"{c['p95'] * 1000:.0f}" if c["p95"] is not None else "—"
        lines.append(
            f"{c['rate']:>8g} {c['role'] or '':<10} {c['page']:<14}{c['per_second']:>9.1f}"
            f"{p95:>9}{c['errors']:>8}"
        )
    for w in result["writers"]:
        lines.append(
            f"writer at {w['rate']:g}/s: {w['saves']} saves in {w['seconds']} s "
            f"({w['per_second']}/s), {w['refused']} refused, {w['restored']} restored "
            f"in {w['restore_seconds']} s"
        )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15, help="per page, role and rate")
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--rates", default="0,1,10", help="the writer's saves per second")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/13")
    parser.add_argument("--seed", type=int, default=2026)
    options = parser.parse_args()
    options.rates = [float(rate) for rate in options.rates.split(",")]
    if "DATABASE_URL" not in os.environ:
        raise SystemExit("set DATABASE_URL to a generated bench database")
    import redis

    redis.Redis.from_url(options.redis).flushdb()
    os.environ["REDIS_URL"] = options.redis  # the servers' and the writer's
    result = run(options)
    print(table(result))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
