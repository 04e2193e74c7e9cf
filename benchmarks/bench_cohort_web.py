"""`srs-crss serve --cohort` over HTTP (issue 29): 200 signed-in learners answering.

The real server in its own process, over SQLite and, when SRS_CRSS_TEST_PG_URL names a
server (source scripts/ci-postgres.sh), over PostgreSQL with row security set up and
the server connecting as the non-owner role. 200 accounts each sign in over HTTP,
start a review, then answer as a browser with the page's script does (POST the grade,
GET the next card):

- at a realistic pace: each learner about one answer every 3 seconds (Poisson), for
  SRS_CRSS_BENCH_SECONDS (default 60); latency from the moment the answer was due to
  the next card's page, p50 and p99 (goal: p99 under 50 ms on this 2-core machine);
- flat out: FLAT_CLIENTS learners answering back to back for a third of that time:
  answers a second and p99;
- every acknowledged answer (the next page shows another card) in the log exactly
  once; the sign-in's median (argon2id, on a worker thread).
"""

from __future__ import annotations

import http.client
import os
import random
import re
import statistics
import subprocess
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

from benchmarks.common import Figure, srs

LEARNERS = int(os.environ.get("SRS_CRSS_BENCH_LEARNERS", "200"))
PACE_SECONDS = 3.0
FLAT_CLIENTS = 16
CARDS = 1000
"""In the bench deck: more than a learner answers in the run (with 400, the flat-out
learners of a faster server ran out of cards before the end)."""
IDLE_RECONNECT = 4.0
"""Seconds idle after which a learner's next request opens a new connection."""
PASSWORD = "a long passphrase for the benchmark"
CARD_ID = re.compile(r"Card id: <code>([^<]+)</code>")
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
STEP = re.compile(r'name="step" value="(\d+)"')


class Browser:
    """One learner's keep-alive connection and session cookie."""

    def __init__(self, port: int) -> None:
        self.origin = f"http://127.0.0.1:{port}"
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.cookies: dict[str, str] = {}
        self.csrf = ""
        self.sitting = ""
        self.card = ""
        self.acknowledged: list[str] = []
        self.refused = 0
        """Grades after which the same card was still on screen."""
        self.reconnected = 0
        self.stopped = ""
        self.used = time.monotonic()

    def _send(self, method: str, path: str, form: dict[str, str] | None) -> tuple[int, str, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers |= {"Origin": self.origin, "Content-Type": "application/x-www-form-urlencoded"}
        if time.monotonic() - self.used > IDLE_RECONNECT:
            # uvicorn closes a connection idle for 5 s; one reused just then may carry a
            # request the server read and never answered (sent again, it would count
            # twice): a browser idle this long opens a new one too
            self.connection.close()
            self.reconnected += 1
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        self.used = time.monotonic()
        text = response.read().decode()
        for line in response.headers.get_all("set-cookie") or []:
            name, _, rest = line.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return response.status, str(response.getheader("location") or ""), text

    def get(self, path: str) -> str:
        return self._send("GET", path, None)[2]

    def post(self, path: str, form: dict[str, str]) -> str:
        status, location, _ = self._send("POST", path, form)
        if status != 303:
            raise SystemExit(f"POST {path} answered {status}")
        return location

    def sign_in(self, name: str) -> float:
        token = CSRF.search(self.get("/signin"))
        assert token
        start = time.perf_counter()
        where = self.post(
            "/signin", {"csrf": token.group(1), "username": name, "password": PASSWORD}
        )
        took = time.perf_counter() - start
        assert where == "/", where
        page = self.get("/review")
        self.csrf = CSRF.search(page).group(1)  # type: ignore[union-attr]
        self.sitting = self.post(
            "/review", {"csrf": self.csrf, "mode": "due", "deck": "bench", "new": str(CARDS)}
        )
        self._read(self.get(self.sitting))
        return took

    def _read(self, page: str) -> None:
        found = CARD_ID.search(page)
        if not found:
            raise SystemExit(f"no card on the review page: {page[-300:]}")
        self.card = found.group(1)
        step = STEP.search(page)
        self.step = step.group(1) if step else ""

    def answer(self) -> bool:
        """Grade the card on screen, then load the next one (as the page's script does).
        False (and the reason in `stopped`) when this learner cannot go on."""
        try:
            self._answer()
        except (SystemExit, OSError, http.client.HTTPException) as exc:
            self.stopped = f"{type(exc).__name__}: {exc}"[:300]
            return False
        return True

    def _answer(self) -> None:
        before = self.card
        grade = {"csrf": self.csrf, "step": self.step, "action": "grade", "grade": "4"}
        self.post(self.sitting, grade)
        self._read(self.get(self.sitting))
        if self.card != before:
            self.acknowledged.append(before)
        else:
            self.refused += 1


def _deck(path: Path) -> Path:
    parts = ['[deck]\nid = "bench"\nname = "Bench"\n']
    for n in range(CARDS):
        parts.append(
            f'[[cards]]\nid = "c{n:04d}"\nfront = "Question {n}?"\nback = "Answer {n}"\n'
            'domain = "Advocacy"\n'
        )
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


def _prepare(owner: str, folder: Path, role: str | None) -> list[str]:
    from srs_crss.service import App
    from srs_crss.settings.run import Settings

    names = [f"learner{n:03d}" for n in range(LEARNERS)]
    with App(Settings(owner, "setup")) as app:
        app.sync([_deck(folder / "bench.toml")])
        for name in names:
            one_time = app.accounts.add(name).password
            app.accounts.change_password(name, one_time, PASSWORD)
        if role:
            app.cohort.setup_database(role)
    return names


def _serve(url: str) -> tuple[subprocess.Popen[str], int]:
    env = {k: v for k, v in os.environ.items() if k != "SRS_CRSS_NOW"}
    proc = subprocess.Popen(
        srs("--db", url, "serve", "--cohort", "--no-browser", "--port", "0"),
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    found = re.search(r"127\.0\.0\.1:(\d+)/", proc.stdout.readline())
    if not found:
        raise SystemExit("serve --cohort did not say where it listens")
    return proc, int(found.group(1))


def _paced(browsers: list[Browser], seconds: float) -> list[float]:
    """Each learner answers at random moments, about once every PACE_SECONDS."""
    latencies: list[float] = []
    lock = threading.Lock()
    start_all = time.perf_counter() + 0.5

    def learner(n: int, browser: Browser) -> None:
        clock = random.Random(n)
        due = start_all + clock.uniform(0, PACE_SECONDS)
        mine = []
        while due < start_all + seconds:
            wait = due - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            if not browser.answer():
                break
            mine.append(time.perf_counter() - due)
            due += clock.expovariate(1 / PACE_SECONDS)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=learner, args=pair) for pair in enumerate(browsers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies


def _flat(browsers: list[Browser], seconds: float) -> tuple[list[float], float]:
    """FLAT_CLIENTS learners answering back to back: latencies and answers a second."""
    latencies: list[float] = []
    lock = threading.Lock()
    end = time.perf_counter() + seconds

    def learner(browser: Browser) -> None:
        mine = []
        while time.perf_counter() < end:
            begun = time.perf_counter()
            if not browser.answer():
                break
            mine.append(time.perf_counter() - begun)
        with lock:
            latencies.extend(mine)

    begun = time.perf_counter()
    threads = [threading.Thread(target=learner, args=(b,)) for b in browsers[:FLAT_CLIENTS]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, len(latencies) / (time.perf_counter() - begun)


def _logged(owner: str) -> list[tuple[str, str]]:
    """Every answer in the log: (learner, deck/card), once per row."""
    from sqlalchemy import create_engine, text

    engine = create_engine(owner if "://" in owner else f"sqlite:///{owner}")
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT l.name, d.slug || '/' || c.slug FROM reviews r "
                "JOIN learners l ON l.id = r.learner_id JOIN cards c ON c.id = r.card_id "
                "JOIN decks d ON d.id = c.deck_id WHERE l.name LIKE 'learner%'"
            )
        ).all()
    engine.dispose()
    return [(str(name), str(card)) for name, card in rows]


def _compare(browsers: list[Browser], names: list[str], logged: list[tuple[str, str]]) -> str:
    """Acknowledged answers missing from the log, answers logged twice, and answers
    logged that were never acknowledged, in words (empty: every one exactly once)."""
    acknowledged = Counter(
        (name, card) for browser, name in zip(browsers, names, strict=True)
        for card in browser.acknowledged
    )  # fmt: skip
    log = Counter(logged)
    lost = sum((acknowledged - log).values())
    doubled = sum(count - 1 for count in log.values() if count > 1)
    extra = sum((log - acknowledged).values()) - doubled
    parts = [
        f"{n} {what}"
        for n, what in ((lost, "lost"), (doubled, "doubled"), (extra, "logged unacknowledged"))
        if n
    ]
    return ", ".join(parts)


def _p(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100)[q - 1] if len(values) > 1 else values[0]


def _one(kind: str, owner: str, served: str, folder: Path, seconds: float) -> list[Figure]:
    print(f"  {kind}: {LEARNERS} accounts ...", flush=True)
    proc, port = _serve(served)
    try:
        browsers = [Browser(port) for _ in range(LEARNERS)]
        names = [f"learner{n:03d}" for n in range(LEARNERS)]
        sign_ins = [browser.sign_in(name) for browser, name in zip(browsers, names, strict=True)]
        print(f"  {kind}: paced for {seconds:.0f} s, then flat out ...", flush=True)
        paced = _paced(browsers, seconds)
        flat, rate = _flat(browsers, seconds / 3)
    finally:
        proc.terminate()
        proc.wait()
    acknowledged = sum(len(b.acknowledged) for b in browsers)
    for browser, name in zip(browsers, names, strict=True):
        if browser.stopped:
            print(f"  {kind}: {name} stopped: {browser.stopped}", flush=True)
    if not paced or not flat:
        raise SystemExit(f"{kind}: no answers measured (see the learners stopped above)")
    wrong = _compare(browsers, names, _logged(owner))
    pace = f"{LEARNERS} learners, 1 per {PACE_SECONDS:.0f} s each"
    return [
        Figure(f"{kind}: paced answer p50 over HTTP ({pace})", 1000 * _p(paced, 50), "ms", 20),
        Figure(f"{kind}: paced answer p99 over HTTP ({pace})", 1000 * _p(paced, 99), "ms", 50),
        Figure(
            f"{kind}: flat-out answer p99 ({FLAT_CLIENTS} clients)", 1000 * _p(flat, 99), "ms", 150
        ),
        Figure(
            f"{kind}: flat-out answers per second (negated: higher is better)", -rate, "/s", -100
        ),
        Figure(
            f"{kind}: answers lost or doubled",
            0 if not wrong else 1,
            "",
            0,
            f"{acknowledged} acknowledged, {sum(b.reconnected for b in browsers)} new "
            f"connections after 4 s idle" + (f"; {wrong}" if wrong else ""),
        ),
        Figure(f"{kind}: sign-in over HTTP, median", 1000 * statistics.median(sign_ins), "ms", 250),
    ]


def run() -> list[Figure]:
    seconds = float(os.environ.get("SRS_CRSS_BENCH_SECONDS", "60"))
    figures = []
    with tempfile.TemporaryDirectory(prefix="srs-cohort-web-") as tmp:
        folder = Path(tmp)
        db = str(folder / "cohort.db")
        _prepare(db, folder, None)
        figures += _one("SQLite", db, db, folder, seconds)
        admin = os.environ.get("SRS_CRSS_TEST_PG_URL")
        if not admin:
            print("  PostgreSQL skipped (source scripts/ci-postgres.sh first)")
            return figures
        from sqlalchemy.engine import make_url

        from benchmarks.bench_cohort import _database

        with _database(admin) as url:
            role = f"bench_app_{uuid.uuid4().hex[:6]}"
            _prepare(url, folder, role)
            served = make_url(url).set(username=role).render_as_string(hide_password=False)
            figures += _one("PostgreSQL, row security", url, served, folder, seconds)
    return figures


if __name__ == "__main__":
    for figure in run():
        print(figure.line())
