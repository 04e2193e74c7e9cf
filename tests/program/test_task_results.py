"""Results by exam task (issue 28), as a learner meets them: the practice-exam result,
`stats` and `exam show`, in words and in --json, and a database from before the tasks
were stored (schema 0014) upgraded and filled in by the next sync."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from srs_crss.decks.bundled import fingerprint
from srs_crss.decks.deckfile import load_deck
from tests.conftest import Invoke
from tests.program.test_mock import letter, take
from tests.storage.test_store import database_at

TASKS = """\
[list]
id = "exam"
name = "Exam tasks"
source = "Exam board, Candidate guide (2013 job analysis)"

[[tasks]]
id = "crisis"
domain = "Ethical Responsibility"
task = "Recognise crises and emergencies"

[[tasks]]
id = "language"
domain = "Advocacy"
task = "Use person-first language"

[[tasks]]
id = "groups"
domain = "Recovery and Wellness Support"
task = "Facilitate a group"
"""

ITEM = """
[[cards]]
id = "{id}"
type = "mcq"
front = "Question {id}?"
choices = ["Right {id}", "Wrong {id} a", "Wrong {id} b", "Wrong {id} c"]
answer = "Right {id}"
explanation = "Because."
domain = "{domain}"
source = "A source"
{task}"""

ITEMS = [
    ("c1", "Ethical Responsibility", "crisis"),
    ("c2", "Ethical Responsibility", "crisis"),
    ("c3", "Ethical Responsibility", "crisis"),
    ("l1", "Advocacy", "language"),
    ("free", "Advocacy", None),  # an item naming no task: in no task's figures
]


def write_deck(folder: Path, with_tasks: bool = True) -> Path:
    (folder / "tasks").mkdir(exist_ok=True)
    (folder / "tasks" / "exam.toml").write_text(TASKS, encoding="utf-8")
    header = '[deck]\nid = "tasked"\nname = "Tasked"\n'
    header += 'tasks = "tasks/exam.toml"\n' if with_tasks else ""
    items = "".join(
        ITEM.format(
            id=card, domain=domain, task=f'task = "{task}"\n' if task and with_tasks else ""
        )
        for card, domain, task in ITEMS
    )
    path = folder / "tasked.toml"
    path.write_text(header + items, encoding="utf-8")
    return path


def sit_exam(cli: Invoke, right: set[str]) -> dict[str, Any]:
    """The five-question exam, the items in `right` answered right, the others wrong."""
    args = ("--deck", "tasked", "--questions", "5", "--seed", "4")
    plan = take(cli, *args, lines=[])["questions"]  # a look at the draw (abandoned)
    lines = []
    for question in plan:
        card = question["card"].split("/")[1]
        wanted = f"Right {card}" if card in right else f"Wrong {card} a"
        lines.append(letter(question["choices"], wanted))
    return take(cli, *args, lines=lines)


CRISIS = {
    "task": "crisis",
    "title": "Recognise crises and emergencies",
    "domain": "Ethical Responsibility",
}
LANGUAGE = {"task": "language", "title": "Use person-first language", "domain": "Advocacy"}
GROUPS = {
    "task": "groups",
    "title": "Facilitate a group",
    "domain": "Recovery and Wellness Support",
}


def test_the_exam_result_reports_right_of_asked_by_task(cli: Invoke, tmp_path: Path) -> None:
    assert cli("sync", str(write_deck(tmp_path))).exit_code == 0
    data = sit_exam(cli, right={"c1", "l1"})
    assert data["score"]["correct"] == 2
    assert data["tasks"] == [CRISIS | {"right": 1, "asked": 3}, LANGUAGE | {"right": 1, "asked": 1}]
    assert data["weakest_tasks"] == ["crisis"]
    tasks = {q["card"]: q["task"] for q in data["questions"]}
    assert tasks == {
        "tasked/c1": "crisis",
        "tasked/c2": "crisis",
        "tasked/c3": "crisis",
        "tasked/l1": "language",
        "tasked/free": None,
    }
    # stats: every task of the list, each item by its latest answer (here the exam's)
    stats = json.loads(cli("stats", "--json").stdout)
    assert stats["tasks"] == [
        CRISIS | {"right": 1, "asked": 3},
        LANGUAGE | {"right": 1, "asked": 1},
        GROUPS | {"right": 0, "asked": 0},
    ]
    assert stats["weakest_tasks"] == ["crisis"]
    # a later exam answers the crisis items again: the latest answers count, not the sum
    again = sit_exam(cli, right={"c1", "c2", "c3"})
    assert again["weakest_tasks"] == ["language"]
    stats = json.loads(cli("stats", "--json").stdout)
    assert stats["tasks"][:2] == [
        CRISIS | {"right": 3, "asked": 3},
        LANGUAGE | {"right": 0, "asked": 1},
    ]
    assert cli("exam", "set", "2026-12-20").exit_code == 0
    (shown,) = json.loads(cli("exam", "show", "--json").stdout)
    assert shown["tasks"] == stats["tasks"] and shown["weakest_tasks"] == ["language"]


def test_the_weakest_tasks_in_plain_words(cli: Invoke, tmp_path: Path) -> None:
    assert cli("sync", str(write_deck(tmp_path))).exit_code == 0
    args = ("--deck", "tasked", "--questions", "5", "--seed", "4")
    plan = take(cli, *args, lines=[])["questions"]
    lines = []
    for question in plan:
        card = question["card"].split("/")[1]
        wanted = f"Right {card}" if card in ("c1", "l1") else f"Wrong {card} a"
        lines.append(letter(question["choices"], wanted) + "\n")
    piped = cli("mock", *args, input="".join(lines))
    assert piped.exit_code == 0, piped.output
    out = piped.stdout.splitlines()
    heading = out.index("Weakest exam tasks in this exam:")
    assert out[heading + 1] == (
        "  Ethical Responsibility · Recognise crises and emergencies: 1 of 3 right"
    )
    assert out[heading - 1] == "Weakest domain: Ethical Responsibility."
    for columns in (80, 60):
        text = cli("stats", env={"COLUMNS": str(columns)}).stdout
        shown = text.splitlines()
        at = shown.index("Weakest exam tasks (your latest answer to each question):")
        assert "1 of 3 right" in shown[at + 1] and "Recognise crises" in text
        assert all(len(line.rstrip()) <= columns for line in shown)
    assert cli("exam", "set", "2026-12-20").exit_code == 0
    assert "Weakest exam tasks (your latest" in cli("exam", "show").stdout


def test_no_answers_yet_no_weakest_tasks(cli: Invoke, tmp_path: Path) -> None:
    assert cli("sync", str(write_deck(tmp_path))).exit_code == 0
    data = json.loads(cli("stats", "--json").stdout)
    assert [t["asked"] for t in data["tasks"]] == [0, 0, 0] and data["weakest_tasks"] == []
    assert "Weakest exam tasks" not in cli("stats").stdout


def test_a_database_from_before_the_tasks_is_upgraded_and_the_next_sync_fills_them_in(
    cli: Invoke, db: Path, tmp_path: Path
) -> None:
    """Schema 0014, the deck synced then (no task stored, the file's fingerprint kept):
    stats work at once (no task known yet), and the next plain `sync` reads the
    unchanged file again and stores every item's task without touching the cards."""
    path = write_deck(tmp_path)
    spec = load_deck(path)
    database_at(db, "0014")
    with sqlite3.connect(db) as raw:
        raw.execute(
            "INSERT INTO decks (id, slug, name, source_path, source_hash, synced_at) "
            "VALUES (1, 'tasked', 'Tasked', ?, ?, '2026-01-01 00:00:00')",
            (str(path.resolve()), fingerprint(path.read_bytes())),
        )
        for position, card in enumerate(spec.cards):
            columns = card.columns()
            raw.execute(
                "INSERT INTO cards (deck_id, slug, position, type, front, choices, answer, "
                "explanation, domain, tags, source, content_hash, retired, created_at, "
                "content_changed_at) VALUES (1, ?, ?, 'mcq', ?, ?, ?, ?, ?, '[]', ?, ?, 0, "
                "'2026-01-01 00:00:00', '2026-01-01 00:00:00')",
                (card.id, position, card.front, columns["choices"], card.answer,
                 card.explanation, card.domain, card.source, columns["content_hash"]),
            )  # fmt: skip
    raw.close()
    stats = cli("stats", "--json")
    assert stats.exit_code == 0, stats.output
    assert json.loads(stats.stdout)["tasks"] == []
    with sqlite3.connect(db) as raw:
        assert raw.execute("SELECT version_num FROM alembic_version").fetchone() == ("0015",)
        assert raw.execute("SELECT source_hash FROM decks").fetchone() == (None,)
        changed = raw.execute("SELECT content_changed_at FROM cards").fetchall()
    raw.close()
    synced = cli("sync", str(path))
    assert synced.exit_code == 0, synced.output
    assert "4 with a new exam task" in synced.stdout and "exam task list updated" in synced.stdout
    assert "0 updated" in synced.stdout  # no card's text changed
    with sqlite3.connect(db) as raw:
        tasks = raw.execute("SELECT slug, task FROM cards ORDER BY position").fetchall()
        assert raw.execute("SELECT content_changed_at FROM cards").fetchall() == changed
    raw.close()
    assert tasks == [(card, task) for card, _, task in ITEMS]
    data = sit_exam(cli, right=set())
    assert data["weakest_tasks"] == ["crisis", "language"]
    assert "Nothing to change" in cli("sync", str(path)).stdout


def test_an_item_whose_task_left_the_list_is_scored_under_its_id(
    cli: Invoke, db: Path, tmp_path: Path
) -> None:
    """Bad data a hand-edited database could hold: a task id the deck's list lacks."""
    assert cli("sync", str(write_deck(tmp_path))).exit_code == 0
    with sqlite3.connect(db) as raw:
        raw.execute("UPDATE cards SET task = 'gone' WHERE slug = 'l1'")
    raw.close()
    data = sit_exam(cli, right=set())
    gone = {"task": "gone", "title": "gone", "domain": "Advocacy", "right": 0, "asked": 1}
    assert gone in data["tasks"]
    assert gone in json.loads(cli("stats", "--json").stdout)["tasks"]


def test_an_edit_of_the_task_list_alone_reaches_the_next_sync(cli: Invoke, tmp_path: Path) -> None:
    """sync skips a deck file it has seen byte for byte: the list it names counts too."""
    path = write_deck(tmp_path)
    assert cli("sync", str(path)).exit_code == 0
    assert "Nothing to change" in cli("sync", str(path)).stdout
    listed = tmp_path / "tasks" / "exam.toml"
    listed.write_text(TASKS.replace("Facilitate a group", "Lead a group"), encoding="utf-8")
    synced = cli("sync", str(path))
    assert "exam task list updated" in synced.stdout and "0 updated" in synced.stdout
    titles = [t["title"] for t in json.loads(cli("stats", "--json").stdout)["tasks"]]
    assert titles[-1] == "Lead a group"
    assert "Nothing to change" in cli("sync", str(path)).stdout
