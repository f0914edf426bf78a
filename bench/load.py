"""The public form and the API POST under a real WSGI server, against bare views on it.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kr_bench python bench/load.py
    (or `bench/run.py --only load`, which generates the archive first when it is empty)

Starts gunicorn with the production settings and the project's `deploy/gunicorn.conf.py`
(4 workers here), with two bare views beside the application's own (`bench/load_urls.py`):
one that answers "ok", one that writes one row in one transaction (the database's write
limit through Django). Then, for 10 and 50 concurrent clients, each for `--seconds`:

- `GET /bench/ok/` and `POST /bench/write/`: the anchors;
- `POST /klacht/`: the public complaint form as a browser sends it (the CSRF cookie and
  token of one earlier GET per client, a fresh submission token per post), a 302 to the
  confirmation page counting as registered;
- `POST /api/v1/complaints`: a complaint by API token with an Idempotency-Key, a 201.

Each line gives requests per second, the median and the 99th percentile in ms, and the
throughput as a share of the bare write. Afterwards it checks that nothing was lost and
nothing doubled: the complaints added equal the posts answered as registered, one per
submission token and idempotency key. It asserts nothing about times.

The clients are threads of this process (one HTTP connection per request, as gunicorn's
sync workers close it), so on a small machine they share the processors with the server:
read the ratios, not the absolute figures.
"""

import argparse
import datetime as dt
import http.client
import json
import os
import re
import secrets
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

HOST = "127.0.0.1"
WRITE_TABLE = "bench_write"


def _server_environment(port: int, workers: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.load_settings",
        SECRET_KEY=env.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(40),
        ALLOWED_HOSTS=f"{HOST},localhost",
        SECURE_SSL_REDIRECT="0",
        GUNICORN_BIND=f"{HOST}:{port}",
        GUNICORN_WORKERS=str(workers),
    )
    return env


def _request(port: int, method: str, path: str, body: bytes = b"", headers=None):
    """One request on a connection of its own: (status, body, response headers, seconds)."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request(method, path, body=body or None, headers=headers or {})
        response = connection.getresponse()
        data = response.read()
        return response.status, data, response.headers, time.perf_counter() - started
    finally:
        connection.close()


def _server_wait(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn stopped before it answered")
        try:
            if _request(port, "GET", "/gezond/")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("gunicorn did not answer /gezond/ in time")


class FormClient:
    """What a browser holds after opening the form once: the CSRF cookie and token."""

    def __init__(self, port: int, course_id: int):
        status, body, headers, _seconds = _request(port, "GET", "/klacht/")
        if status != 200:
            raise SystemExit(f"GET /klacht/ answered {status}")
        cookie = headers.get("Set-Cookie", "")
        match = re.search(r"csrftoken=([^;]+)", cookie)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if not match or not token:
            raise SystemExit("no CSRF cookie or token on /klacht/")
        self.cookie = f"csrftoken={match.group(1)}"
        self.token = token.group(1).decode()
        self.course_id = course_id
        self.address = b'name="complainant_address"' in body

    def post(self, port: int, n: int):
        submission = str(uuid.uuid4())
        fields = {
            "csrfmiddlewaretoken": self.token,
            "complainant_name": f"Belasting {n}",
            "complainant_phone": "0612345678",
            "complainant_email": f"belasting{n}@example.org",
            "course": str(self.course_id),
            "complaint_date": dt.date.today().strftime("%d-%m-%Y"),
            "description": "Een klacht uit de belastingtest van de benchmark.",
            "submission_token": submission,
            "website": "",
        }
        if self.address:
            fields["complainant_address"] = "Keizersgracht 1\n1015 CS Amsterdam"
        body = urllib.parse.urlencode(fields).encode()
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": self.cookie,
            "Referer": f"http://{HOST}/klacht/",
        }
        status, _body, _headers, seconds = _request(port, "POST", "/klacht/", body, headers)
        return status == 302, status, seconds, submission


def _api_post(port: int, token: str, course_id: int, n: int):
    key = str(uuid.uuid4())
    payload = {
        "channel": "email",
        "complainant": {"name": f"Belasting API {n}", "email": f"api{n}@example.org"},
        "course": course_id,
        "complaint_date": dt.date.today().isoformat(),
        "description": "Een klacht uit de belastingtest van de benchmark, via de API.",
    }
    headers = {
        "Content-Type": "application/json",
        "Authorization": f"Bearer {token}",
        "Idempotency-Key": key,
    }
    status, _body, _headers, seconds = _request(
        port, "POST", "/api/v1/complaints", json.dumps(payload).encode(), headers
    )
    return status == 201, status, seconds, key


class Run:
    """`clients` threads calling `call(n)` for `seconds`; what they saw."""

    def __init__(self, clients: int, seconds: float, call):
        self.latencies: list[float] = []
        self.statuses: dict[int, int] = {}
        self.ok = 0
        self.keys: list[str] = []
        self.errors = 0
        lock = threading.Lock()
        counter = iter(range(10**9))
        stop = time.monotonic() + seconds

        def client(index: int) -> None:
            while time.monotonic() < stop:
                with lock:
                    n = next(counter)
                try:
                    ok, status, latency, key = call(index, n)
                except OSError:
                    with lock:
                        self.errors += 1
                    continue
                with lock:
                    self.latencies.append(latency)
                    self.statuses[status] = self.statuses.get(status, 0) + 1
                    if ok:
                        self.ok += 1
                        if key:
                            self.keys.append(key)

        threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.elapsed = time.perf_counter() - started

    @property
    def per_second(self) -> float:
        return self.ok / self.elapsed if self.elapsed else 0.0

    def percentile(self, share: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return 1000 * ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _row(name: str, clients: int, run: Run, anchor: float | None) -> None:
    ratio = f"{run.per_second / anchor:.2f}" if anchor else "–"
    statuses = ", ".join(f"{k}: {v}" for k, v in sorted(run.statuses.items()))
    print(
        f"{name:<24} {clients:>7} {run.per_second:>9.0f} {1000 * statistics.median(run.latencies or [0]):>8.1f}"
        f" {run.percentile(0.99):>8.1f} {ratio:>9}  {statuses}"
        + (f", connection errors: {run.errors}" if run.errors else ""),
        flush=True,
    )


def load(*, seconds: float = 10.0, workers: int = 4, port: int = 8099, clients=(10, 50)) -> None:
    """Measure; the database of DATABASE_URL must hold the organisation (an archive)."""
    from django.db import connection

    from klachtroute.accounts.models import ApiToken, User
    from klachtroute.cases.models import Complaint
    from klachtroute.organisation.models import Course

    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {WRITE_TABLE} "
            "(id serial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(), body text)"
        )
    course_id = Course.objects.order_by("pk").values_list("pk", flat=True).first()
    secretariat = User.objects.filter(is_secretariat=True, is_active=True).order_by("pk").first()
    if course_id is None or secretariat is None:
        raise SystemExit("the database holds no course or secretariat: generate an archive")
    token_row, token = ApiToken.objects.create_token(user=secretariat, name="benchmark load")
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn and settings
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "-c",
            str(ROOT / "deploy" / "gunicorn.conf.py"),
            "config.wsgi",
        ],
        cwd=ROOT,
        env=_server_environment(port, workers),
    )
    try:
        _server_wait(port, server)
        print(
            f"\ngunicorn, {workers} workers, {seconds:g} s per line; rate per second of posts"
            " answered as done, latency in ms"
        )
        print(
            f"{'what':<24} {'clients':>7} {'per s':>9} {'median':>8} {'p99':>8} {'of write':>9}"
            "  statuses"
        )
        before = Complaint.objects.count()
        registered: list[str] = []
        keys: list[str] = []
        for n_clients in clients:
            forms = [FormClient(port, course_id) for _ in range(n_clients)]

            def bare_ok(index, n):
                status, _b, _h, latency = _request(port, "GET", "/bench/ok/")
                return status == 200, status, latency, None

            def bare_write(index, n):
                status, _b, _h, latency = _request(port, "POST", "/bench/write/", b"x" * 100)
                return status == 201, status, latency, None

            ok = Run(n_clients, seconds, bare_ok)
            _row("bare view (ok)", n_clients, ok, None)
            write = Run(n_clients, seconds, bare_write)
            _row("bare write (one row)", n_clients, write, None)
            form = Run(n_clients, seconds, lambda index, n, forms=forms: forms[index].post(port, n))
            _row("public form POST", n_clients, form, write.per_second)
            api = Run(n_clients, seconds, lambda index, n: _api_post(port, token, course_id, n))
            _row("API POST", n_clients, api, write.per_second)
            registered += form.keys
            keys += api.keys
        added = Complaint.objects.count() - before
        by_token = Complaint.objects.filter(submission_token__in=registered).count()
        by_key = Complaint.objects.filter(submission_token__in=keys).count()
        answered = len(registered) + len(keys)
        verdict = "nothing lost, nothing doubled" if added == answered else "MISMATCH"
        print(
            f"complaints added {added}, posts answered as registered {answered} "
            f"(form {len(registered)}: {by_token} found by token; API {len(keys)}: {by_key} "
            f"found by key): {verdict}"
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
        token_row.delete()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="Klachtroute under load (gunicorn)")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8099)
    args = parser.parse_args(argv)
    from bench.generate import setup_django

    setup_django()
    load(seconds=args.seconds, workers=args.workers, port=args.port)


if __name__ == "__main__":
    main()
