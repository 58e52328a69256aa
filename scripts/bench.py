"""The portal's benchmark (docs/benchmarks.md): a district-size database, gunicorn as in production, wrk.

    .venv/bin/python scripts/bench.py [--preset pudong] [--duration 10] [--out var/bench/latest.md]

Fills BENCH_DATABASE_URL (default: the local PostgreSQL, database `alliance_bench`) with the preset
unless it already holds generated data, serves the portal with gunicorn (DEBUG off, 2 workers), drives
each scenario over HTTP with wrk from a separate process (one connection, then 16), reads the SQL
queries per request from the X-Query-Count header, runs EXPLAIN ANALYZE on the slowest query behind
each list, times the jobs in this process, and prints one table. Nothing here is imported by the portal.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from datetime import date, timedelta
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv" / "bin"
PORT = int(os.environ.get("BENCH_PORT", "8765"))
BASE = f"http://127.0.0.1:{PORT}"
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/alliance_bench"
)

SERVER_ENV = {
    "DJANGO_SETTINGS_MODULE": "portal.settings.production",
    "DATABASE_URL": DATABASE_URL,
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "False",
    "SESSION_COOKIE_SECURE": "False",
    "CSRF_COOKIE_SECURE": "False",
    "SECURE_HSTS_SECONDS": "0",
    "EMAIL_URL": "dummymail://",
    "CELERY_BROKER_URL": os.environ.get("BENCH_BROKER_URL", "memory://"),
    "QUERY_COUNT_HEADER": "True",
    # Measured workers are not replaced mid-run (gunicorn.conf.py replaces them every 2,000 requests).
    "GUNICORN_MAX_REQUESTS": "0",
}


@dataclass
class Scenario:
    name: str
    path: str
    who: str  # staff, secretary (a browser session) or contact
    method: str = "GET"
    body: dict | None = None
    kind: str = "list"  # list, detail, page, write
    target_p50: float | None = None
    target_p99: float | None = None
    target_rps16: float | None = None


@dataclass
class Result:
    scenario: Scenario
    status: int = 0
    queries: int | None = None
    single: dict = field(default_factory=dict)
    loaded: dict = field(default_factory=dict)
    explain_ms: float | None = None


@dataclass
class Job:
    name: str
    seconds: float
    target: float | None
    note: str = ""


def django_setup() -> None:
    os.environ.update(SERVER_ENV)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def ensure_database(preset: str) -> None:
    import psycopg

    url = DATABASE_URL.rsplit("/", 1)
    admin = psycopg.connect(f"{url[0]}/postgres", autocommit=True)
    name = url[1]
    exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    if not exists:
        admin.execute(f'CREATE DATABASE "{name}"')
    # The data fit in memory and sit on SSD: tell the planner an index page costs about what a
    # sequential one does (PostgreSQL's default of 4 assumes spinning disks). docs/operations.md
    # recommends the same for production; it turns scans of a street's activities into index scans.
    admin.execute(f'ALTER DATABASE "{name}" SET random_page_cost = 1.1')
    admin.close()
    manage("migrate", "--no-input", "-v0")
    from members.models import MemberUnit

    if not MemberUnit.objects.filter(contact_email__endswith="@scale.example.org").exists():
        print(f"Generating the {preset} preset into {name} …", flush=True)
        manage("generate_scale_data", "--preset", preset)


def manage(*args: str) -> None:
    from django.core.management import call_command

    call_command(*args)


def bench_accounts() -> dict[str, dict[str, str]]:
    """A staff token, a secretary's browser session, a unit contact's token; made once, reused."""
    from django.conf import settings
    from django.db.models import Count
    from django.test import Client

    from alliances.models import Invitation
    from portal.accounts.actions import api_token_create
    from portal.accounts.choices import Role
    from portal.accounts.models import User
    from portal.regions.models import Region

    street = (
        Region.objects.filter(level="subdistrict", path__startswith="310000/310115/")
        .annotate(n=Count("activities"))
        .order_by("-n")
        .first()
    )
    invited = (
        Invitation.objects.filter(meeting__status="scheduled", unit__isnull=False)
        .values("unit")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    users = {
        "staff": User.objects.get_or_create(
            username="bench-staff", defaults={"role": Role.DISTRICT_STAFF, "is_staff": True}
        )[0],
        "secretary": User.objects.get_or_create(
            username="bench-secretary",
            defaults={"role": Role.STREET_SECRETARY, "region": street},
        )[0],
        "contact": User.objects.get_or_create(
            username="bench-contact",
            defaults={"role": Role.UNIT_CONTACT, "unit_id": invited["unit"]},
        )[0],
    }
    headers: dict[str, dict[str, str]] = {}
    for who, user in users.items():
        if who == "secretary":
            browser = Client(HTTP_HOST="127.0.0.1")
            browser.force_login(user)  # a session in the database, as a real sign-in leaves
            key = browser.cookies[settings.SESSION_COOKIE_NAME].value
            headers[who] = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={key}"}
        else:
            _token, key = api_token_create(user=user, name="bench")
            headers[who] = {"Authorization": f"Token {key}"}
    headers["_street"] = {"id": str(street.pk), "code": street.code}
    return headers


def scenarios(headers) -> list[Scenario]:
    from members.models import MemberUnit
    from portal.regions.models import Region

    street = headers["_street"]
    community = Region.objects.filter(parent_id=street["id"]).order_by("pk").first()
    unit = MemberUnit.objects.filter(memberships__isnull=False).order_by("pk").first()
    today = date.today()
    quarter_ago = (today - timedelta(days=90)).isoformat()
    return [
        Scenario(
            "API units, no filter",
            "/api/v1/units/?page_size=50",
            "staff",
            target_p50=30,
            target_p99=80,
            target_rps16=100,
        ),
        Scenario(
            "API units, region subtree + party org type",
            f"/api/v1/units/?page_size=50&region={street['code']}&party_org_type=branch",
            "staff",
            target_p50=30,
            target_p99=80,
            target_rps16=100,
        ),
        Scenario(
            "API units, search 生物",
            "/api/v1/units/?page_size=50&q=%E7%94%9F%E7%89%A9",
            "staff",
            target_p50=40,
            target_p99=80,
            target_rps16=100,
        ),
        Scenario(
            "API activities, street + date range",
            f"/api/v1/activities/?page_size=50&region={street['code']}&held_after={quarter_ago}&held_before={today.isoformat()}",
            "staff",
            target_p50=30,
            target_p99=80,
            target_rps16=100,
        ),
        Scenario(
            "API demands, status + category",
            "/api/v1/demands/?page_size=50&status=assigned&category=financing",
            "staff",
            target_p50=30,
            target_p99=80,
            target_rps16=100,
        ),
        Scenario(
            "API meetings, upcoming for one user",
            "/api/v1/meetings/?page_size=50&upcoming=true",
            "contact",
            target_p50=30,
            target_p99=80,
            target_rps16=100,
        ),
        Scenario(
            "API unit detail with memberships",
            f"/api/v1/units/{unit.pk}/",
            "staff",
            kind="detail",
            target_p50=15,
            target_rps16=200,
        ),
        Scenario(
            "Page: units with filters",
            f"/units/?region={street['code']}&party_org_type=branch",
            "secretary",
            kind="page",
        ),
        Scenario("Page: staff dashboard", "/dashboard/", "secretary", kind="page", target_p50=300),
        Scenario(
            "Page: secretary's activity list",
            f"/services/activities/?region={street['code']}",
            "secretary",
            kind="page",
        ),
        Scenario(
            "Write: log an activity",
            "/api/v1/activities/",
            "staff",
            method="POST",
            kind="write",
            body={
                "title": "基准测试活动",
                "activity_type": "volunteer_service",
                "held_on": today.isoformat(),
                "region": community.pk if community else int(street["id"]),
                "place": "社区党群服务站",
                "participant_count": 30,
                "party_member_count": 10,
            },
        ),
        Scenario(
            "Write: raise a demand",
            "/api/v1/demands/",
            "staff",
            method="POST",
            kind="write",
            body={
                "title": "基准测试需求",
                "description": "基准测试提交的需求。",
                "category": "financing",
                "source": "visit",
                "unit": unit.pk,
            },
        ),
    ]


def start_server(workers: int = 2) -> subprocess.Popen:
    env = {**os.environ, **SERVER_ENV}
    subprocess.run(
        [str(VENV / "python"), "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    server = subprocess.Popen(
        [
            str(VENV / "gunicorn"),
            "portal.wsgi:application",
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{BASE}/healthz", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(_NoRedirect)


def one_request(s: Scenario, headers) -> tuple[int, int | None]:
    data = json.dumps(s.body).encode() if s.body else None
    request = urllib.request.Request(
        BASE + s.path,
        data=data,
        method=s.method,
        headers={**headers[s.who], "Content-Type": "application/json"},
    )
    try:
        with OPENER.open(request, timeout=60) as response:
            count = response.headers.get("X-Query-Count")
            return response.status, int(count) if count else None
    except urllib.error.HTTPError as error:
        count = error.headers.get("X-Query-Count")
        return error.code, int(count) if count else None


LUA = """
wrk.method = "{method}"
wrk.body = {body}
{headers}
"""


def run_wrk(s: Scenario, headers, connections: int, duration: int) -> dict:
    lines = [f'wrk.headers["{k}"] = "{v}"' for k, v in headers[s.who].items()]
    lines.append('wrk.headers["Content-Type"] = "application/json"')
    # A long bracket holds the JSON as it is: a quoted Lua string cannot carry JSON's \u escapes
    # (LuaJIT refuses the script, and wrk then sends plain GETs without the headers).
    body = f"[==[{json.dumps(s.body, ensure_ascii=False)}]==]" if s.body else "nil"
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA.format(method=s.method, body=body, headers="\n".join(lines)))
    threads = min(2, connections)
    out = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{duration}s",
            "--latency",
            "-s",
            script.name,
            BASE + s.path,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    os.unlink(script.name)
    if out.stderr.strip():  # e.g. the script did not load: wrk goes on without it
        raise SystemExit(f"wrk could not run the scenario's script:\n{out.stderr}{out.stdout}")
    return parse_wrk(out.stdout)


SOAK_LUA = """
local requests = {{
{requests}
}}
local i = 0
request = function()
  i = i % #requests + 1
  local r = requests[i]
  return wrk.format(r[1], r[2], r[3], r[4])
end
"""


def _lua_string(text: str) -> str:
    return f"[==[{text}]==]"


def soak(headers, minutes: int, connections: int, sample_every: int = 30) -> dict:
    """Every scenario in turn (reads and writes) from `connections` connections for `minutes`, the
    workers' memory sampled as it goes: the soak of issue 10 (docs/benchmarks.md)."""
    entries = []
    for s in scenarios(headers):
        fields = {**headers[s.who], "Content-Type": "application/json"}
        # `[ [==[key]==] ]`: without the spaces `[[` would open a long bracket.
        header_table = ", ".join(
            f"[ {_lua_string(k)} ] = {_lua_string(v)}" for k, v in fields.items()
        )
        body = _lua_string(json.dumps(s.body, ensure_ascii=False)) if s.body else "nil"
        entries.append(
            f"  {{{_lua_string(s.method)}, {_lua_string(s.path)}, {{{header_table}}}, {body}}},"
        )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(SOAK_LUA.format(requests="\n".join(entries)))
    server = start_server()
    # A second's run first: a script wrk cannot load is reported at once, not after the soak.
    check = subprocess.run(
        ["wrk", "-t1", "-c1", "-d1s", "-s", script.name, BASE + "/"], capture_output=True, text=True
    )
    if check.stderr.strip():
        os.killpg(server.pid, signal.SIGTERM)
        raise SystemExit(f"wrk could not run the soak's script:\n{check.stderr}")
    samples: list[tuple[float, list[float]]] = []
    started = time.monotonic()
    try:
        wrk = subprocess.Popen(
            ["wrk", "-t2", f"-c{connections}", f"-d{minutes * 60}s", "--timeout", "10s"]
            + ["--latency", "-s", script.name, BASE + "/"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        while wrk.poll() is None:
            samples.append((time.monotonic() - started, worker_rss_mb(server)))
            with contextlib.suppress(subprocess.TimeoutExpired):
                wrk.wait(timeout=sample_every)
        out, err = wrk.communicate()
        samples.append((time.monotonic() - started, worker_rss_mb(server)))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait()
        os.unlink(script.name)
    if err.strip():
        raise SystemExit(f"wrk could not run the soak's script:\n{err}{out}")
    total = re.search(r"(\d+) requests in", out)
    return {
        **parse_wrk(out),
        "requests": int(total.group(1)) if total else 0,
        "samples": samples,
        "scenarios": len(entries),
        "connections": connections,
        "minutes": minutes,
    }


def soak_table(result: dict) -> str:
    samples = result["samples"]
    # Flat: after five minutes of warming up (caches, lazily built URL and schema objects), no worker
    # grows by more than a tenth to the end.
    warm = next((rss for t, rss in samples if t >= min(300, samples[-1][0] / 2)), samples[0][1])
    end = samples[-1][1]
    flat = len(warm) == len(end) and all(e <= w * 1.1 for w, e in zip(warm, end, strict=True))
    out = [
        f"{result['minutes']} min, {result['connections']} connections, the {result['scenarios']} "
        "scenarios above in turn (reads and both writes)",
        "",
        "| requests | req/s | p50 ms | p99 ms | errors | worker RSS after warm-up | at the end | flat |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
        f"| {result['requests']} | {result['rps']:.0f} | {result['p50']:.1f} | {result['p99']:.1f} "
        f"| {result['errors']}{' ✓' if result['errors'] == 0 else ' ✗'} "
        f"| {', '.join(f'{m:.0f} MB' for m in warm)} | {', '.join(f'{m:.0f} MB' for m in end)} "
        f"| {'✓' if flat else '✗'} |",
        "",
        "| minute | " + " | ".join(f"worker {n + 1} MB" for n in range(len(end))) + " |",
        "| --- | " + " | ".join("---" for _ in end) + " |",
    ]
    shown = -5
    for t, rss in samples:
        minute = int(t // 60)
        if minute >= shown + 5 or (t, rss) == samples[-1]:
            out.append(f"| {t / 60:.1f} | " + " | ".join(f"{m:.0f}" for m in rss) + " |")
            shown = minute
    return "\n".join(out)


def _ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def parse_wrk(out: str) -> dict:
    def latency(p):
        m = re.search(rf"^\s+{p}%\s+(\S+)", out, re.M)
        return _ms(m.group(1)) if m else None

    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = int(non2xx.group(1)) if non2xx else 0
    if socket:
        errors += sum(int(g) for g in socket.groups())
    return {
        "rps": float(rps.group(1)) if rps else 0.0,
        "p50": latency(50),
        "p99": latency(99),
        "errors": errors,
    }


def explain_slowest(s: Scenario, user) -> float | None:
    """The PostgreSQL execution time of the slowest query behind one request, by EXPLAIN ANALYZE."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        client.get(s.path)
    reads = [q for q in captured.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
    if not reads:
        return None
    slowest = max(reads, key=lambda q: float(q["time"]))
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + slowest["sql"])
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return plan[0]["Execution Time"]


def worker_rss_mb(server: subprocess.Popen) -> list[float]:
    out = subprocess.run(
        ["ps", "--ppid", str(server.pid), "-o", "rss="], capture_output=True, text=True
    ).stdout
    return [int(x) / 1024 for x in out.split()]


def timed(fn, repeat: int = 3) -> float:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def jobs() -> list[Job]:
    from datetime import timedelta as td

    from django.utils import timezone

    from alliances.actions.reminders import meeting_reminders_send
    from alliances.models import Alliance, Invitation, Meeting
    from portal.accounts.models import User

    results = []
    meeting_reminders_send()  # drain whatever the generated meetings have due
    results.append(Job("Reminder sweep, nothing due", timed(meeting_reminders_send, 5), 0.2))
    staff = User.objects.get(username="bench-staff")
    alliance = Alliance.objects.filter(memberships__isnull=False).first()
    units = list(alliance.memberships.values_list("unit_id", flat=True)[:10])
    start = timezone.now() + td(hours=2) - td(minutes=1)
    meetings = Meeting.objects.bulk_create(
        Meeting(
            alliance=alliance,
            organizer=staff,
            kind="regular",
            title=f"基准提醒{i}",
            start_at=start,
            end_at=start + td(hours=1),
        )
        for i in range(100)
    )
    Invitation.objects.bulk_create(
        Invitation(meeting=m, unit_id=u) for m in meetings for u in units
    )
    started = time.perf_counter()
    swept = meeting_reminders_send()
    results.append(
        Job("Reminder sweep, 1,000 due", time.perf_counter() - started, None, f"{swept.sent} sent")
    )
    results += report_jobs(staff)
    results.append(import_job(staff))
    return results


def report_jobs(staff) -> list[Job]:
    """The district's quarterly report and the largest alliance's, last quarter, files included."""
    from django.db.models import Count

    from alliances.models import Alliance
    from reports.actions import quarterly_report_build
    from reports.periods import Quarter

    quarter = Quarter.of(date.today()).previous()
    biggest = Alliance.objects.annotate(n=Count("memberships")).order_by("-n").first()
    district = timed(lambda: quarterly_report_build(quarter=quarter), 1)
    alliance = timed(lambda: quarterly_report_build(quarter=quarter, alliance=biggest), 3)
    return [
        Job(f"District quarterly report {quarter}", district, 10),
        Job("One alliance's quarterly report", alliance, 1, biggest.name),
    ]


def import_job(staff) -> Job:
    import random

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    from members import credit_code
    from members.actions import imports
    from members.models import MemberUnit
    from portal.regions.models import Region

    rng = random.Random(time.time_ns())
    region = Region.objects.filter(level="subdistrict", path__startswith="310000/310115/").first()
    book = Workbook(write_only=True)
    sheet = book.create_sheet(imports.SHEET_UNITS)
    sheet.append([column.template_header for column in imports.COLUMNS])
    width = len(imports.COLUMNS)
    taken = set(MemberUnit.objects.exclude(credit_code=None).values_list("credit_code", flat=True))
    for n in range(10_000):
        code = credit_code.generate(rng, division="310115")
        while code in taken:
            code = credit_code.generate(rng, division="310115")
        taken.add(code)
        sheet.append(
            [f"基准导入单位{n}", code, "private_enterprise", region.code] + [""] * (width - 4)
        )
    data = BytesIO()
    book.save(data)
    upload = SimpleUploadedFile(
        "bench.xlsx", data.getvalue(), content_type=imports.XLSX_CONTENT_TYPE
    )
    started = time.perf_counter()
    result = imports.import_units(upload, user=staff)
    seconds = time.perf_counter() - started
    note = f"{result.created} created" if result.ok else f"refused: {result.errors[:1]}"
    MemberUnit.objects.filter(name__startswith="基准导入单位").delete()
    return Job("Import 10,000 units from XLSX", seconds, 30, note)


def verdict(value, target, higher_is_better=False) -> str:
    if value is None or target is None:
        return ""
    ok = value >= target if higher_is_better else value <= target
    return " ✓" if ok else " ✗"


def table(results: list[Result], job_results: list[Job], rss: list[float]) -> str:
    out = [
        "| scenario | status | queries | 1 conn: req/s | p50 ms | p99 ms | 16 conn: req/s | p50 ms | p99 ms | errors | EXPLAIN ms | app / DB |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        s, one, many = r.scenario, r.single, r.loaded
        ratio = f"{one['p50'] / r.explain_ms:.1f}×" if r.explain_ms and one.get("p50") else ""
        out.append(
            f"| {s.name} | {r.status} | {r.queries if r.queries is not None else ''} "
            f"| {one.get('rps', 0):.0f} | {one.get('p50', 0):.1f}{verdict(one.get('p50'), s.target_p50)} "
            f"| {one.get('p99', 0):.1f}{verdict(one.get('p99'), s.target_p99)} "
            f"| {many.get('rps', 0):.0f}{verdict(many.get('rps'), s.target_rps16, True)} | {many.get('p50', 0):.1f} "
            f"| {many.get('p99', 0):.1f}{verdict(many.get('p99'), 400 if s.target_rps16 else None)} "
            f"| {one.get('errors', 0) + many.get('errors', 0)} | {f'{r.explain_ms:.1f}' if r.explain_ms else ''} | {ratio} |"
        )
    out += ["", "| job | seconds | target | note |", "| --- | --- | --- | --- |"]
    for j in job_results:
        out.append(
            f"| {j.name} | {j.seconds:.3f}{verdict(j.seconds, j.target)} | {j.target or ''} | {j.note} |"
        )
    out += [
        "",
        f"gunicorn worker RSS after the run: {', '.join(f'{m:.0f} MB' for m in rss)} (target < 250 MB each)",
    ]
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default=os.environ.get("BENCH_PRESET", "pudong"))
    parser.add_argument("--duration", type=int, default=int(os.environ.get("BENCH_DURATION", "10")))
    parser.add_argument("--out", default=str(ROOT / "var" / "bench" / "latest.md"))
    parser.add_argument("--no-jobs", action="store_true")
    parser.add_argument(
        "--soak",
        type=int,
        metavar="MINUTES",
        help="instead of the table: the scenarios mixed, for MINUTES at --soak-connections",
    )
    parser.add_argument("--soak-connections", type=int, default=32)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk (make bench does it)")
    django_setup()
    ensure_database(args.preset)
    headers = bench_accounts()
    if args.soak:
        report = soak_table(soak(headers, args.soak, args.soak_connections))
        print(report)
        out = (
            Path(args.out).with_name("soak.md")
            if args.out.endswith("latest.md")
            else Path(args.out)
        )
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(
            f"# Soak, {args.preset} preset, {date.today()}\n\n{report}\n", encoding="utf-8"
        )
        print(f"\nWritten to {out}")
        return
    from portal.accounts.models import User

    users = {
        who: User.objects.get(username=f"bench-{who}") for who in ("staff", "secretary", "contact")
    }
    server = start_server()
    results = []
    try:
        for s in scenarios(headers):
            r = Result(s)
            r.status, r.queries = one_request(s, headers)
            for _ in range(3):  # warm the workers
                one_request(s, headers)
            r.single = run_wrk(s, headers, 1, args.duration)
            r.loaded = run_wrk(s, headers, 16, args.duration)
            if s.kind in ("list", "detail", "page"):
                r.explain_ms = explain_slowest(s, users[s.who])
            results.append(r)
            print(f"{s.name}: {r.single} / {r.loaded}", flush=True)
        rss = worker_rss_mb(server)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait()
    job_results = [] if args.no_jobs else jobs()
    report = table(results, job_results, rss)
    print(report)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(
        f"# Benchmark, {args.preset} preset, {date.today()}\n\n{report}\n", encoding="utf-8"
    )
    print(f"\nWritten to {args.out}")


if __name__ == "__main__":
    main()
