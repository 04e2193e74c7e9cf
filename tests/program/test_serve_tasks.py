"""`srs-crss serve` shows the weakest exam tasks (issue 28), as `stats` and `mock` do: on
the progress page, and on a practice exam's result page. The real server, plain HTTP."""

from __future__ import annotations

import html
import json
import re
import subprocess
from pathlib import Path
from typing import Any

from tests.browser import web
from tests.program.test_serve import _csrf, _page, _request


def _mock(db: Path, *args: str, answers: str = "") -> dict[str, Any]:
    done = subprocess.run(
        [*web.PROGRAM, "--db", str(db), "--learner", "tester", "mock", "--json", *args],
        input=answers,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout))


def _lines(page: str) -> list[str]:
    """The weakest tasks as the page words them, tags dropped."""
    found = re.search(r"<h2[^>]*>Weakest exam tasks</h2>(.*?)</ul>", page, re.S)
    assert found, page
    return [html.unescape(re.sub(r"<[^>]+>", "", item)).strip()
            for item in re.findall(r"<li>(.*?)</li>", found.group(1), re.S)]  # fmt: skip


def test_the_progress_page_shows_the_weakest_tasks(server: tuple[str, Path]) -> None:
    url, db = server
    assert "Weakest exam tasks" not in _page(url, "/progress")  # nothing answered yet
    args = ("--deck", "crss", "--questions", "4", "--seed", "9")
    plan = _mock(db, *args)["questions"]  # a look at the draw (abandoned)
    wrong = "".join(
        "ABCD"[next(n for n, c in enumerate(q["choices"]) if c != q["answer"])] + "\n" for q in plan
    )
    assert _mock(db, *args, answers=wrong)["weakest_tasks"]
    weakest = web.stats(db)["weakest_tasks"]
    tasks = {t["task"]: t for t in web.stats(db)["tasks"]}
    assert _lines(_page(url, "/progress")) == [
        f"{t['domain']} · {t['title']}: {t['right']} of {t['asked']} right"
        for t in (tasks[task_id] for task_id in weakest)
    ]


def test_the_exam_result_page_shows_the_weakest_tasks(server: tuple[str, Path]) -> None:
    url, db = server
    body = {"csrf": _csrf(url), "profile": "crss", "timing": "exam", "questions": "3"}
    started = _request(url, "POST", "/exam", body, Origin=url)
    assert started.status == 303
    number = str(started.getheader("location")).rsplit("/", 1)[1]
    answer = {"csrf": _csrf(url), "choice": "A", "action": "next"}
    assert _request(url, "POST", f"/exam/{number}", answer, Origin=url).status == 303
    submitted = _request(url, "POST", f"/exam/{number}/submit", {"csrf": _csrf(url)}, Origin=url)
    assert submitted.status == 303
    page = _page(url, f"/exam/{number}/result")
    assert "Your score" in page
    lines = _lines(page)  # two questions left unanswered: wrong, as in the real exam
    assert 1 <= len(lines) <= 3
    assert all(re.fullmatch(r".+ · .+: \d of \d right", line) for line in lines), lines
