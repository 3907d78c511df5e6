"""A load test on loopback: gunicorn serving the portal on PostgreSQL, many simulated users.

Each simulated user logs in as one of the demo accounts and, until time is up, walks a mix
of pages (dashboard, lists, a courtyard, reports, the annual report) with an Excel export and
a save of one of its courtyards in the admin now and then. Afterwards it checks that every
save it was told succeeded is in the courtyard's history (nothing lost) and prints requests
per second, latency percentiles and errors.

    createdb -U postgres portal_load
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_load
    .venv/bin/python manage.py migrate && DEBUG=1 .venv/bin/python manage.py seed_demo
    .venv/bin/python bench/load.py --users 50 --seconds 120

`--paths /healthz,/` instead measures only those pages (requests per second of each, for
comparing a page with a trivial one).
"""

import argparse
import html
import http.cookiejar
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "demo-portal-2026"
ACCOUNTS = ["qu_admin", "qu_staff", "jd_jiangxijie", "jd_wangjianglu", "sq_changshouyuan"]


class Browser:
    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def request(self, path, data=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body)
        if data is not None:
            request.add_header("Referer", self.base + path)
        try:
            with self.opener.open(request, timeout=60) as response:
                self.url = response.geturl()
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            self.url = error.geturl()
            return error.code, error.read()

    def csrf(self):
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def login(self, username):
        self.request("/accounts/login/")
        status, _body = self.request(
            "/accounts/login/",
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": self.csrf()},
        )
        # A successful login redirects (followed here) to the dashboard.
        return status if self.url.rstrip("/") == self.base else 401


class Results:
    def __init__(self):
        self.lock = threading.Lock()
        self.times = {}
        self.errors = []
        self.saves = {}

    def add(self, label, seconds, status, expected=(200,)):
        with self.lock:
            self.times.setdefault(label, []).append(seconds)
            if status not in expected:
                self.errors.append(f"{label}: {status}")


def timed(results, browser, label, path, data=None, expected=(200,)):
    started = time.perf_counter()
    status, body = browser.request(path, data)
    results.add(label, time.perf_counter() - started, status, expected)
    return status, body


def walk(base, username, deadline, results, rng):
    browser = Browser(base)
    started = time.perf_counter()
    status = browser.login(username)
    results.add("login", time.perf_counter() - started, status)
    _status, page = timed(results, browser, "courtyard list", "/courtyards/")
    courtyards = [int(pk) for pk in re.findall(rb'href="/courtyards/(\d+)/"', page)] or [0]
    while time.perf_counter() < deadline:
        choice = rng.random()
        courtyard = rng.choice(courtyards)
        if choice < 0.25:
            timed(results, browser, "dashboard", "/")
        elif choice < 0.40:
            timed(results, browser, "courtyard list", f"/courtyards/?page={rng.randint(1, 3)}")
        elif choice < 0.60:
            timed(results, browser, "courtyard", f"/courtyards/{courtyard}/")
        elif choice < 0.70:
            timed(results, browser, "special fund", "/funds/")
        elif choice < 0.78:
            timed(results, browser, "people", "/councils/people/")
        elif choice < 0.84:
            allowed = (200,) if not username.startswith("sq_") else (403,)
            timed(results, browser, "annual report", "/reports/annual/", expected=allowed)
        elif choice < 0.92:
            timed(results, browser, "export", "/courtyards/?format=xlsx")
        else:
            save(browser, results, courtyard)


def save(browser, results, courtyard):
    """Save a courtyard unchanged in the admin: one history row per successful save."""
    path = f"/admin/courtyards/courtyard/{courtyard}/change/"
    status, page = timed(results, browser, "admin form", path)
    if status != 200:
        return
    fields = dict(
        re.findall(
            rb'<input type="(?:text|number|hidden|date)" name="([\w-]+)" value="([^"]*)"', page
        )
    )
    data = {k.decode(): html.unescape(v.decode()) for k, v in fields.items()}
    for name in ("community", "kind", "remediation", "closed_reason", "merged_into"):
        selected = re.search(
            rf'<select name="{name}"[^>]*>.*?<option value="([^"]*)" selected'.encode(), page, re.S
        )
        data[name] = selected.group(1).decode() if selected else ""
    data["csrfmiddlewaretoken"] = browser.csrf()
    status, _body = timed(results, browser, "admin save", path, data)
    if status == 200 and browser.url.endswith("/admin/courtyards/courtyard/"):
        with results.lock:
            results.saves[courtyard] = results.saves.get(courtyard, 0) + 1


def history_rows(courtyards):
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from courtyards.models import Courtyard

    return {pk: Courtyard.history.filter(id=pk).count() for pk in courtyards}


def serve(port, workers):
    environment = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "load-test-secret-key-" + "x" * 40),
        "ALLOWED_HOSTS": "127.0.0.1",
        "AXES_FAILURE_LIMIT": "1000",
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=environment,
        check=True,
    )
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "portal.wsgi",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--access-logfile",
            "/dev/null",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=environment,
        start_new_session=True,
    )
    for _attempt in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start")


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def report(results, seconds, history_before=None, history_after=None):
    total = sum(len(v) for v in results.times.values())
    lines = [f"{'page':<16}{'requests':>10}{'per s':>9}{'median ms':>11}{'p95 ms':>9}"]
    for label, values in sorted(results.times.items()):
        lines.append(
            f"{label:<16}{len(values):>10}{len(values) / seconds:>9.1f}"
            f"{statistics.median(values) * 1000:>11.0f}{percentile(values, 0.95) * 1000:>9.0f}"
        )
    lines.append(f"{'all':<16}{total:>10}{total / seconds:>9.1f}")
    lines.append(
        f"errors: {len(results.errors)}" + (f" ({results.errors[:5]})" if results.errors else "")
    )
    if history_before is not None:
        lost = {
            pk: (count, history_after[pk] - history_before[pk])
            for pk, count in results.saves.items()
            if history_after[pk] - history_before[pk] != count
        }
        saved = sum(results.saves.values())
        lines.append(f"saves confirmed: {saved}; lost: {len(lost)}")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--paths", help="comma-separated pages to measure alone, as --user")
    parser.add_argument("--user", default="qu_staff", help="the account of --paths")
    options = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        raise SystemExit("set DATABASE_URL to a migrated, seeded PostgreSQL database")
    server = serve(options.port, options.workers)
    base = f"http://127.0.0.1:{options.port}"
    results = Results()
    try:
        deadline = time.perf_counter() + options.seconds
        if options.paths:
            targets = [
                walk_paths(base, options.paths.split(","), deadline, results, options.user)
                for _user in range(options.users)
            ]
        else:
            rng = random.Random(2026)
            targets = [
                (
                    lambda i=i: walk(
                        base,
                        ACCOUNTS[i % len(ACCOUNTS)],
                        deadline,
                        results,
                        random.Random(rng.random()),
                    )
                )
                for i in range(options.users)
            ]
        before = None if options.paths else history_rows(range(1, 600))
        threads = [threading.Thread(target=target) for target in targets]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait()
    after = None if options.paths else history_rows(range(1, 600))
    print(report(results, options.seconds, before, after))
    return 1 if results.errors else 0


def walk_paths(base, paths, deadline, results, username):
    def run():
        browser = Browser(base)
        browser.login(username)
        while time.perf_counter() < deadline:
            for path in paths:
                timed(results, browser, path, path)

    return run


if __name__ == "__main__":
    sys.exit(main())
