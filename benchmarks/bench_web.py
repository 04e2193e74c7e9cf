"""`srs-crss serve` benchmarks (issue 26) on the 100,000-card / 1,000,000-review database.

- answer round trip over HTTP (POST the grade, GET the next card's page), p50 and
  p99, against the terminal's answer-to-next-card time measured in the same run
  (bench_review's piped session);
- bytes sent for the review page: its HTML, the stylesheet and the script (goal:
  under 30 kB);
- first card after `serve` starts (process start to the first card's HTML, with
  no browser), against `review`'s first card.

The server is the real program in its own process, driven over plain HTTP.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import statistics
import subprocess
import time
from urllib.parse import urlencode

from benchmarks.bench_review import NOW, answer_latencies, time_to_first_card
from benchmarks.common import WORK, Figure, srs
from benchmarks.gen import build_database

ANSWERS = 300


class Client:
    """One keep-alive connection to the server, as a browser tab uses."""

    def __init__(self, port: int) -> None:
        self.origin = f"http://127.0.0.1:{port}"
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def get(self, path: str) -> str:
        self.connection.request("GET", path)
        return self.connection.getresponse().read().decode()

    def post(self, path: str, form: dict[str, str]) -> str:
        """POST a form; the path it redirects to."""
        headers = {"Origin": self.origin, "Content-Type": "application/x-www-form-urlencoded"}
        self.connection.request("POST", path, body=urlencode(form), headers=headers)
        response = self.connection.getresponse()
        response.read()
        return str(response.getheader("location"))


def _serve(db: str) -> tuple[subprocess.Popen[str], int, float]:
    env = {**os.environ, "SRS_CRSS_DB": db, "SRS_CRSS_NOW": NOW, "SRS_CRSS_LEARNER": "bench"}
    start = time.perf_counter()
    proc = subprocess.Popen(
        srs("serve", "--port", "0", "--no-browser"), stdout=subprocess.PIPE, text=True, env=env
    )
    assert proc.stdout is not None
    found = re.search(r"127\.0\.0\.1:(\d+)/", proc.stdout.readline())
    if not found:
        raise SystemExit("serve did not say where it listens")
    return proc, int(found.group(1)), start


def _first_card(client: Client) -> tuple[str, str, str]:
    csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/"))
    assert csrf
    where = client.post("/review", {"csrf": csrf.group(1), "mode": "due"})
    page = client.get(where)
    assert "Card id:" in page, page[-500:]
    return csrf.group(1), where, page


def _answer_round_trips(client: Client, csrf: str, where: str, page: str) -> list[float]:
    times = []
    for i in range(ANSWERS):
        if 'value="pick"' in page:
            client.post(where, {"csrf": csrf, "action": "pick", "choice": "A"})
            grade = "1" if 'class="verdict wrong"' in client.get(where) else "4"
        else:
            client.post(where, {"csrf": csrf, "action": "show"})
            client.get(where)
            grade = "4" if i % 7 else "1"
        start = time.perf_counter()
        client.post(where, {"csrf": csrf, "action": "grade", "grade": grade})
        page = client.get(where)
        times.append(time.perf_counter() - start)
    return times


def run() -> list[Figure]:
    WORK.mkdir(parents=True, exist_ok=True)
    print("  building (or reusing) the 100,000-card / 1,000,000-review database ...", flush=True)
    db = build_database(WORK / "big.db")
    copies = []
    for name in ("web-scratch.db", "web-terminal.db"):
        for suffix in ("-wal", "-shm"):
            (WORK / f"{name}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(db, WORK / name)
        copies.append(str(WORK / name))

    terminal_first = statistics.median(time_to_first_card(copies[1]) for _ in range(3))
    terminal, _ = answer_latencies(copies[1])

    proc, port, started = _serve(copies[0])
    try:
        client = Client(port)
        csrf, where, page = _first_card(client)
        web_first = time.perf_counter() - started
        sent = len(page.encode()) + sum(
            len(client.get(f"/static/{name}").encode()) for name in ("study.css", "study.js")
        )
        web = sorted(_answer_round_trips(client, csrf, where, page))
    finally:
        proc.terminate()
        proc.wait()
    p99 = web[min(len(web) - 1, int(len(web) * 0.99))]
    term = sorted(terminal)
    term_p99 = term[min(len(term) - 1, int(len(term) * 0.99))]
    return [
        Figure(
            "web: answer round trip over HTTP, median",
            statistics.median(web) * 1000,
            "ms",
            10,
            f"terminal in the same run: {statistics.median(term) * 1000:.2f} ms",
        ),
        Figure(
            "web: answer round trip over HTTP, p99",
            p99 * 1000,
            "ms",
            50,
            f"terminal in the same run: {term_p99 * 1000:.2f} ms",
        ),
        Figure("web: review page with its stylesheet and script", sent / 1000, "kB", 30),
        Figure(
            "web: first card after serve starts vs review's first card",
            web_first / terminal_first,
            "x",
            2,
            f"{web_first:.2f} s vs {terminal_first:.2f} s",
        ),
    ]


if __name__ == "__main__":
    for figure in run():
        print(figure.line())
