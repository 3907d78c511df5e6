"""The benchmark (`make bench`): the portal's paths against baselines measured in the same
run, on the two generated databases (see docs/bench.md for generating them).

    .venv/bin/python bench/run.py [--reps 5] [--rounds 3] [--seconds 20] [--only pages,...]
        [--write-seconds 15] [--write-rates 0,1,10] [--saves 5]

Prints a table of figures, ratios and goals, and writes bench/results/LATEST.md and
LATEST.json with a description of the machine. Each measurement runs bench/measure.py in
its own process against one database.
"""

import argparse
import contextlib
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
SERVER = os.environ.get("BENCH_SERVER", "postgres://postgres@127.0.0.1:5432")
PARTS = ["pages", "annual", "export", "import", "rps", "writes", "hosts"]
# The dashboard's goals while the city writes: req/s against /healthz at the same rate.
WRITE_GOALS = {1: 0.3, 10: 0.2}
P95_GOAL = 0.2


def database_url(name):
    return f"{SERVER}/{name}"


def measure(part, database, reps):
    environment = {**os.environ, "DATABASE_URL": database_url(database), "DEBUG": "0"}
    print(f"· {part} on {database}", file=sys.stderr)
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "measure.py"), part, "--reps", str(reps)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )
    sys.stderr.write(done.stderr[-3000:] if done.returncode else "")
    if done.returncode:
        raise SystemExit(f"bench/measure.py {part} failed on {database}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def rps(database, seconds, users):
    """Requests per second of the dashboard and of /healthz under gunicorn, one after the
    other, each for `seconds` (bench/load.py)."""
    environment = {**os.environ, "DATABASE_URL": database_url(database)}
    figures = {}
    for label, path in (("dashboard", "/"), ("trivial", "/healthz")):
        print(f"· rps {label} on {database}", file=sys.stderr)
        done = subprocess.run(
            [
                sys.executable,
                str(ROOT / "bench" / "load.py"),
                "--paths",
                path,
                "--user",
                "bench_district",
                "--users",
                str(users),
                "--seconds",
                str(seconds),
            ],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
        )
        output = done.stdout
        line = next(line for line in output.splitlines() if line.startswith("all"))
        errors = int(re.search(r"errors: (\d+)", output).group(1))
        figures[label] = {"per_second": float(line.split()[2]), "errors": errors}
    return figures


def writes(database, options):
    """The dashboard and the annual report per role under a background writer at each rate
    (bench/writes.py); its progress goes to stderr as it runs."""
    print(f"· writes on {database}", file=sys.stderr)
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "writes.py"),
            "--seconds",
            str(options.write_seconds),
            "--users",
            str(options.users),
            "--rates",
            options.write_rates,
        ],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url(database)},
        stdout=subprocess.PIPE,
        text=True,
    )
    if done.returncode:
        raise SystemExit(f"bench/writes.py failed on {database}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def hosts(database, saves):
    """Seconds until a save through one process shows on another gunicorn's dashboard,
    both on the shared Redis (bench/two_hosts.py, its "shared" mode)."""
    print(f"· hosts on {database}", file=sys.stderr)
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "two_hosts.py"),
            "--mode",
            "shared",
            "--user",
            "bench_community",
            "--saves",
            str(saves),
            "--limit",
            "5",
            "--json",
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "DATABASE_URL": database_url(database),
            "REDIS_URL": "redis://127.0.0.1:6379/14",
        },
        capture_output=True,
        text=True,
    )
    if done.returncode:
        sys.stderr.write(done.stderr[-3000:])
        raise SystemExit(f"bench/two_hosts.py failed on {database}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def machine():
    cpu = ""
    with contextlib.suppress(OSError, StopIteration):
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kb / 1024 / 1024:.1f} GB"
    except (OSError, ValueError, IndexError):
        pass
    server = subprocess.run(
        ["psql", database_url("postgres"), "-Atc", "SHOW server_version"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    return {
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": memory,
        "system": platform.platform(),
        "python": platform.python_version(),
        "postgresql": server,
        "load_average": os.getloadavg()[0],
    }


# The table ---------------------------------------------------------------------------------


def ms(seconds):
    return f"{seconds * 1000:,.0f} ms"


def mb(size):
    return f"{size / 1024 / 1024:,.1f} MB"


def pages(options):
    """The pages part on both databases in alternating rounds (district, city, city,
    district, ...), each page's time the median over the rounds: a ratio of two runs made
    minutes apart on a shared machine drifts with whatever else it is doing."""
    rounds = {"district": [], "city": []}
    for number in range(options.rounds):
        order = ("district", "city") if number % 2 == 0 else ("city", "district")
        for scale in order:
            rounds[scale].append(measure("pages", getattr(options, scale), options.reps))
    return {scale: _median_over_rounds(measured) for scale, measured in rounds.items()}


def _median_over_rounds(measured):
    """One list of page results, each page's seconds the median of its rounds."""
    times = {}
    for results in measured:
        for r in results:
            times.setdefault((r["role"], r["page"]), []).append(r["seconds"])
    return [r | {"seconds": statistics.median(times[(r["role"], r["page"])])} for r in measured[0]]


def verdict(ok):
    return "met" if ok else "MISSED"


def page_rows(district, city):
    """(role, page, district ms, city ms, ratio, queries district, queries city, goal)."""
    by_key = {(r["role"], r["page"]): r for r in district}
    rows = []
    for result in city:
        other = by_key.get((result["role"], result["page"]))
        if other is None:
            continue
        ratio = result["seconds"] / other["seconds"]
        ok = ratio <= 1.5 and result["queries"] == other["queries"]
        rows.append(
            [
                result["role"],
                result["page"],
                ms(other["seconds"]),
                ms(result["seconds"]),
                f"{ratio:.2f}",
                str(other["queries"]),
                str(result["queries"]),
                verdict(ok),
            ]
        )
    return rows


def markdown(headers, rows):
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def render(results):
    out = ["# Benchmark results", ""]
    m = results["machine"]
    out.append(
        f"{m['when']} · {m['cpu']} · {m['cores']} cores · {m['memory']} · {m['system']} · "
        f"Python {m['python']} · PostgreSQL {m['postgresql']} · load average at start "
        f"{m['load_average']:.2f} · {results['reps']} repetitions, medians"
    )
    if "annual" in results:
        out += ["", "## Annual report page against the raw SQL floor (city database)", ""]
        rows = []
        for r in results["annual"]:
            afresh = r["page_seconds"] / r["floor_seconds"]
            kept = r["kept_seconds"] / r["floor_seconds"]
            rows.append(
                [
                    r["role"],
                    ms(r["floor_seconds"]),
                    f"{ms(r['page_seconds'])} ({r['page_queries']} q)",
                    f"{afresh:.2f}",
                    f"{ms(r['kept_seconds'])} ({r['kept_queries']} q)",
                    f"{kept:.2f}",
                    "yes" if r["figures_agree"] else "NO: " + ", ".join(r["mismatches"]),
                    f"afresh {verdict(afresh <= 2)}, kept {verdict(kept <= 2)}",
                ]
            )
        out.append(
            markdown(
                [
                    "view",
                    "SQL floor",
                    "page computed afresh",
                    "ratio",
                    "page kept until a record changes",
                    "ratio",
                    "same figures",
                    "goal ≤ 2",
                ],
                rows,
            )
        )
    if "pages" in results:
        out += ["", "## Pages: city against district database, same account roles", ""]
        out += [
            f"Each time is the median of {results['rounds']} rounds run alternately on the "
            "two databases.",
            "",
        ]
        out.append(
            markdown(
                [
                    "role",
                    "page",
                    "district",
                    "city",
                    "ratio",
                    "queries district",
                    "queries city",
                    "goal ≤ 1.5, same queries",
                ],
                page_rows(results["pages"]["district"], results["pages"]["city"]),
            )
        )
    if "export" in results:
        city, district = results["export"]["city"], results["export"]["district"]
        time_ratio = city["naive_seconds"] / city["portal_seconds"]
        memory_ratio = city["portal_peak"] / city["naive_peak"]
        scale_ratio = city["portal_peak"] / district["portal_peak"]
        out += ["", "## Annual workbook export (city view) against ModelResource → tablib", ""]
        out.append(
            markdown(
                ["measure", "portal", "naive", "ratio", "goal"],
                [
                    [
                        "time, city",
                        ms(city["portal_seconds"]),
                        ms(city["naive_seconds"]),
                        f"{time_ratio:.1f}× faster",
                        f"≥ 2× faster: {verdict(time_ratio >= 2)}",
                    ],
                    [
                        "peak memory, city",
                        mb(city["portal_peak"]),
                        mb(city["naive_peak"]),
                        f"{memory_ratio:.2f}",
                        f"≤ 0.2: {verdict(memory_ratio <= 0.2)}",
                    ],
                    [
                        "peak memory, city / district",
                        f"{mb(city['portal_peak'])} / {mb(district['portal_peak'])}",
                        f"{mb(city['naive_peak'])} / {mb(district['naive_peak'])}",
                        f"{scale_ratio:.2f}",
                        f"≤ 1.5: {verdict(scale_ratio <= 1.5)}",
                    ],
                    [
                        "the request 下载Excel工作簿, city",
                        ms(city["request_seconds"])
                        + (" (job queued)" if city.get("request_status") == 302 else ""),
                        "",
                        "",
                        f"never blocks: {verdict(city.get('request_status') == 302)}",
                    ],
                    [
                        "file size, city",
                        mb(city["portal_bytes"]),
                        mb(city["naive_bytes"]),
                        "",
                        "",
                    ],
                ],
            )
        )
    if "import" in results:
        r = results["import"]
        ratio = r["default"]["seconds"] / r["portal"]["seconds"]
        admin_cost = (r["portal preview"]["seconds"] + r["portal"]["seconds"]) / r["portal"][
            "seconds"
        ]
        out += ["", "## Import of 20,000 people (city database, rolled back)", ""]
        rows = [
            [
                label,
                ms(r[label]["seconds"]),
                f"{r[label]['queries']:,}",
                str(r[label]["rows"]),
            ]
            for label in ("portal", "portal preview", "default")
        ]
        out.append(markdown(["path", "time", "queries", "rows"], rows))
        out.append("")
        out.append(
            f"Portal import {ratio:.1f}× faster than the default (goal ≥ 3×: "
            f"{verdict(ratio >= 3)}). The admin imports twice: a preview (a rolled-back import, "
            f"{ms(r['portal preview']['seconds'])}) and the confirmed import "
            f"({ms(r['portal']['seconds'])}), so its confirm step costs "
            f"{admin_cost:.1f}× one import."
        )
    if "rps" in results:
        r = results["rps"]
        ratio = r["dashboard"]["per_second"] / r["trivial"]["per_second"]
        out += ["", "## Requests per second under gunicorn (city database, district admin)", ""]
        rows = [
            [label, f"{r[key]['per_second']:.1f}", str(r[key]["errors"])]
            for label, key in (("dashboard", "dashboard"), ("/healthz", "trivial"))
        ]
        out.append(markdown(["page", "requests/s", "errors"], rows))
        errors = r["dashboard"]["errors"] + r["trivial"]["errors"]
        out.append("")
        out.append(
            f"Dashboard at {ratio:.2f} of the trivial page (goal ≥ 0.3: "
            f"{verdict(ratio >= 0.3 and errors == 0)})."
        )
    if "writes" in results:
        out += write_section(results["writes"])
    if "hosts" in results:
        out += hosts_section(results["hosts"])
    return "\n".join(out) + "\n"


def write_section(r):
    """One row per page and role, a column per writer rate: req/s (× /healthz at that rate)
    and p95; the dashboard's goals judged at each rate."""
    rates = [w["rate"] for w in r["writers"]]
    by_cell = {(c["rate"], c["role"], c["page"]): c for c in r["cells"]}
    healthz = {rate: by_cell[(rate, None, "/healthz")]["per_second"] for rate in rates}
    rows = []
    for role, page in dict.fromkeys((c["role"], c["page"]) for c in r["cells"]):
        row, missed = [role or "", page], []
        for rate in rates:
            c = by_cell.get((rate, role, page))
            if c is None:
                row.append("")
                continue
            ratio = c["per_second"] / healthz[rate]
            text = f"{c['per_second']:,.1f}/s"
            text += f" ({ratio:.2f}×)" if role else ""
            text += f", p95 {ms(c['p95'])}" if c["p95"] is not None else ""
            text += f", {c['errors']} errors" if c["errors"] else ""
            row.append(text)
            if page == "dashboard":
                floor = WRITE_GOALS.get(rate)
                if floor is not None and ratio < floor:
                    missed.append(f"{ratio:.2f}× < {floor}× at {rate:g}/s")
                if c["p95"] is None or c["p95"] >= P95_GOAL:
                    missed.append(f"p95 at {rate:g}/s")
                if c["errors"]:
                    missed.append(f"errors at {rate:g}/s")
        if page == "dashboard":
            row.append("MISSED: " + "; ".join(missed) if missed else "met")
        else:
            row.append("")
        rows.append(row)
    out = [
        "",
        f"## Dashboard and annual report while the city writes ({r['users']} users, "
        f"{r['seconds']:g} s a cell)",
        "",
        "A background writer (bench/writer.py) saves courtyards, meeting minutes and allocations "
        "at the rate of each column; ratios are against /healthz at the same rate.",
        "",
    ]
    out.append(
        markdown(
            ["role", "page", *(per_second(rate) for rate in rates), "goal (dashboard)"],
            rows,
        )
    )
    out.append("")
    out.append(
        "Goals: dashboard ≥ 0.3 × /healthz at 1 save/s, ≥ 0.2 × at 10, p95 < 200 ms, no errors. "
        + " ".join(
            f"Writer at {w['rate']:g}/s: {w['saves']} saves in {w['seconds']:g} s "
            f"({w['per_second']:g}/s), {w['refused']} refused."
            for w in r["writers"]
            if w["rate"]
        )
    )
    return out


def per_second(rate):
    return f"{rate:g} save/s" if rate == 1 else f"{rate:g} saves/s"


def hosts_section(r):
    seen = [delay for delay in r["delays"] if delay is not None]
    ok = len(seen) == len(r["delays"]) and max(seen, default=0) <= 1
    text = f"Seen on the other process after {len(seen)} of {len(r['delays'])} saves"
    if seen:
        text += f", median {ms(statistics.median(seen))}, max {ms(max(seen))}"
    return [
        "",
        "## A save seen by another app process (two gunicorn hosts, shared Redis)",
        "",
        f"{text} (goal: every save within 1 s: {verdict(ok)}).",
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3, help="of the pages, alternating")
    parser.add_argument("--seconds", type=int, default=20, help="for each requests/s run")
    parser.add_argument("--users", type=int, default=10, help="for the requests/s runs")
    parser.add_argument(
        "--write-seconds", type=float, default=15, help="per cell of the writes part"
    )
    parser.add_argument("--write-rates", default="0,1,10", help="the writer's saves per second")
    parser.add_argument("--saves", type=int, default=5, help="of the hosts part")
    parser.add_argument("--district", default="bench_district")
    parser.add_argument("--city", default="bench_city")
    parser.add_argument("--only", default=",".join(PARTS))
    options = parser.parse_args()
    parts = options.only.split(",")
    results = {"machine": machine(), "reps": options.reps, "rounds": options.rounds}
    if "pages" in parts:
        results["pages"] = pages(options)
    if "annual" in parts:
        results["annual"] = measure("annual", options.city, options.reps)
    if "export" in parts:
        results["export"] = {
            scale: measure("export", getattr(options, scale), max(1, options.reps // 2))
            for scale in ("district", "city")
        }
    if "import" in parts:
        results["import"] = measure("import", options.city, 0)
    if "rps" in parts:
        results["rps"] = rps(options.city, options.seconds, options.users)
    if "writes" in parts:
        results["writes"] = writes(options.city, options)
    if "hosts" in parts:
        results["hosts"] = hosts(options.city, options.saves)
    text = render(results)
    print(text)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "LATEST.md").write_text(text)
    (RESULTS / "LATEST.json").write_text(json.dumps(results, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
