"""The API over HTTP under gunicorn: R1 and R4 under a bounded load, next to the HTTP floor, and the browsable API.

- R1 (a partner's roster on a date) and R4 (a channel search per term) are loaded with wrk for ``seconds`` each,
  with ``CONNECTIONS`` connections, then the same with the bare floor views (benchmark.floor) under the same
  server: requests per second, p50 and p99.
- Every list endpoint of the API root is fetched as JSON and as the browsable HTML page (``Accept: text/html``):
  the median time of each, the HTML's size and number of ``<option>``s.
- The workers' peak memory after the wrk runs, and again after the browsable pages.
"""

import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from urllib.parse import urlsplit

import orjson

from accounts.models import ApiToken

from . import queries
from .admin_crawl import OPTION, Browser
from .server import peak_rss_mb, serve
from .users import ministry_staff_user

SECONDS = 10
CONNECTIONS = 4
THREADS = 2
FLOOR = "/benchmark/floor/"
# wrk's Lua hook: each request takes the next path of the list, so one run covers every search term.
ROTATE_PATHS = """
local paths, n = {%s}, 0
request = function()
  n = n %% #paths + 1
  return wrk.format("GET", paths[n])
end
"""
LATENCY = re.compile(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
UNIT_MS = {"us": 0.001, "ms": 1, "s": 1000}


def measure(database_name, repeat=5, stdout=sys.stdout, seconds=SECONDS):
    """``{"R1": {"rps", "p50_ms", "p99_ms", "floor_rps", "floor_p50_ms", "floor_p99_ms", "errors"}, "R4": {…},
    "browsable": {endpoint: {"json_ms", "html_ms", "html_kb", "options", "status"}}, "peak_rss_mb": {…}}``."""
    # R1's partner and date, as the queries part picks them; the other probes are not needed here.
    partner, day = queries.busiest_roster()
    token, key = ApiToken.objects.issue(owner=ministry_staff_user()[0], name="benchmark http", read_only=True)
    auth = {"Authorization": f"Token {key}"}
    loads = {
        "R1": (
            [queries.url(f"{queries.API}channels/", partner=partner.slug, active_on=day)],
            [queries.url(f"{FLOOR}roster/", partner_id=partner.pk, on=day)],
        ),
        "R4": (
            [queries.url(f"{queries.API}channels/", q=term) for term in queries.SEARCH_TERMS],
            [queries.url(f"{FLOOR}channels/", q=term) for term in queries.SEARCH_TERMS],
        ),
    }
    result = {}
    try:
        with serve(database_name) as server:
            if shutil.which("wrk"):
                for name, (real, floor) in loads.items():
                    result[name] = load(server.base_url, real, auth, seconds)
                    floor_figures = load(server.base_url, floor, auth, seconds)
                    result[name].update({f"floor_{key}": value for key, value in floor_figures.items()})
                    stdout.write(f"http {name}: {result[name]}\n")
            else:
                result["skipped"] = "wrk is not installed (Debian: apt-get install wrk)"
            after_load = peak_rss_mb(server.worker_pids())
            result["browsable"] = browsable(Browser(server.base_url), auth, repeat)
            result["peak_rss_mb"] = {"after_load": after_load, "after_browsable": peak_rss_mb(server.worker_pids())}
    finally:
        token.delete()
    return result


def load(base_url, paths, headers, seconds):
    """wrk on ``paths`` in turn: ``{"rps", "p50_ms", "p99_ms", "errors"}`` (errors: answers other than 2xx/3xx)."""
    host = urlsplit(base_url)
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(ROTATE_PATHS % ", ".join(lua_string(path) for path in paths))
        script.flush()
        command = ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", "-s", script.name]
        for name, value in headers.items():
            command += ["-H", f"{name}: {value}"]
        output = subprocess.run([*command, f"http://{host.netloc}/"], capture_output=True, text=True, check=True).stdout
    latency = {percent: float(value) * UNIT_MS[unit] for percent, value, unit in LATENCY.findall(output)}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": round(float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1]), 1),
        "p50_ms": round(latency["50"], 2),
        "p99_ms": round(latency["99"], 2),
        "errors": int(errors[1]) if errors else 0,
    }


def lua_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def browsable(browser, auth, repeat):
    """Each list endpoint of the API root as JSON and as the browsable HTML page."""
    root = orjson.loads(browser.request("GET", queries.API, headers={**auth, "Accept": "application/json"}).body)
    pages = {}
    for name, link in root.items():
        path = urlsplit(link).path
        json_answers = [
            browser.request("GET", path, headers={**auth, "Accept": "application/json"}) for _ in range(repeat)
        ]
        html_answers = [browser.request("GET", path, headers={**auth, "Accept": "text/html"}) for _ in range(repeat)]
        pages[name] = {
            "json_ms": round(statistics.median(answer.ms for answer in json_answers), 1),
            "html_ms": round(statistics.median(answer.ms for answer in html_answers), 1),
            "html_kb": round(len(html_answers[-1].body) / 1024, 1),
            "options": len(OPTION.findall(html_answers[-1].body)),
            "status": max(answer.status for answer in (*json_answers, *html_answers)),
        }
    return pages


def table(result):
    lines = []
    if "skipped" in result:
        lines.append(f"Load not measured: {result['skipped']}.\n")
    else:
        lines += [
            "| query | rps | p50 ms | p99 ms | errors | floor rps | floor p50 ms | floor p99 ms | rps / floor |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for name in ("R1", "R4"):
            row = result[name]
            share = row["rps"] / row["floor_rps"] if row["floor_rps"] else 0
            lines.append(
                f"| {name} | {row['rps']} | {row['p50_ms']} | {row['p99_ms']} | {row['errors']} | {row['floor_rps']}"
                f" | {row['floor_p50_ms']} | {row['floor_p99_ms']} | {share:.0%} |"
            )
        lines.append("")
    lines += [
        "| browsable list | JSON ms | HTML ms | HTML / JSON | HTML KB | options | status |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, row in result["browsable"].items():
        share = row["html_ms"] / row["json_ms"] if row["json_ms"] else 0
        lines.append(
            f"| {name} | {row['json_ms']} | {row['html_ms']} | {share:.1f}x | {row['html_kb']} | {row['options']}"
            f" | {row['status']} |"
        )
    peak = result["peak_rss_mb"]
    lines.append(
        f"\nPeak worker RSS: {peak['after_load']} MB after the load, {peak['after_browsable']} MB after the browsable"
        " pages."
    )
    return "\n".join(lines)
