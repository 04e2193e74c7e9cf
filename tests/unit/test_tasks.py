"""Exam task lists (issue 28): a deck names one, its items name tasks from it, and a
task id the list lacks is refused with the file and line, like any deck error."""

from __future__ import annotations

from pathlib import Path

import pytest

from srs_crss.decks.deckfile import load_deck
from srs_crss.decks.quality import check_decks
from srs_crss.decks.tasklist import load_tasks
from srs_crss.errors import DeckError
from tests.conftest import Invoke

TASKS = """\
[list]
id = "exam"
name = "Exam tasks"
source = "Exam board, Candidate guide (2013 job analysis)"

[[tasks]]
id = "crisis"
domain = "Ethical Responsibility"
task = "Recognise crises"

[[tasks]]
id = "language"
domain = "Advocacy"
task = "Use person-first language"
source = "Another body, its own page on language (2017)"
"""

ITEM = """
[[cards]]
id = "{id}"
type = "mcq"
front = "Question {id}?"
choices = ["A one", "B two", "C three", "D four"]
answer = "A one"
explanation = "x"
domain = "Advocacy"
source = "x"
{task}"""


def _write(tmp_path: Path, *, task_lines: list[str], header: str = 'tasks = "tasks/exam.toml"\n',
           tasks: str = TASKS) -> Path:  # fmt: skip
    (tmp_path / "tasks").mkdir(exist_ok=True)
    (tmp_path / "tasks" / "exam.toml").write_text(tasks)
    items = "".join(ITEM.format(id=f"i{n}", task=line) for n, line in enumerate(task_lines))
    path = tmp_path / "deck.toml"
    path.write_text(f'[deck]\nid = "d"\nname = "D"\n{header}' + items)
    return path


def test_a_deck_with_a_task_list_loads_its_tasks_and_the_items_name_them(tmp_path: Path) -> None:
    deck = load_deck(_write(tmp_path, task_lines=['task = "crisis"\n', 'task = "language"\n']))
    assert [(t.id, t.domain, t.source) for t in deck.tasks] == [
        ("crisis", "Ethical Responsibility", "Exam board, Candidate guide (2013 job analysis)"),
        ("language", "Advocacy", "Another body, its own page on language (2017)"),
    ]
    assert [card.task for card in deck.cards] == ["crisis", "language"]
    assert not check_decks([deck])


def test_an_unknown_task_id_is_refused_with_its_line(tmp_path: Path) -> None:
    path = _write(tmp_path, task_lines=['task = "crisis"\n', 'task = "crises"\n'])
    with pytest.raises(DeckError) as caught:
        load_deck(path)
    assert str(caught.value) == f"{path}:26: unknown task 'crises': not in the deck's task list"


def test_check_refuses_an_unknown_task_id(cli: Invoke, tmp_path: Path) -> None:
    path = _write(tmp_path, task_lines=['task = "nope"\n'])
    result = cli("check", str(path))
    assert result.exit_code == 2
    assert "unknown task 'nope'" in result.output and "Traceback" not in result.output


def test_a_task_without_a_task_list_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, task_lines=['task = "crisis"\n'], header="")
    with pytest.raises(DeckError, match="this deck names no task list"):
        load_deck(path)


def test_an_item_without_a_task_is_warned_in_a_deck_with_a_task_list(tmp_path: Path) -> None:
    deck = load_deck(_write(tmp_path, task_lines=['task = "crisis"\n', ""]))
    assert [(w.card, w.message) for w in check_decks([deck])] == [
        ("i1", "multiple-choice item names no exam task (task = ...)")
    ]


@pytest.mark.parametrize(
    "value",
    ['"/etc/tasks.toml"', '"../tasks/exam.toml"', '"tasks/exam.txt"', "3"],
)
def test_the_task_list_must_be_a_toml_file_beside_or_below_the_deck(
    tmp_path: Path, value: str
) -> None:
    path = _write(tmp_path, task_lines=[], header=f"tasks = {value}\n")
    with pytest.raises(DeckError) as caught:
        load_deck(path)
    assert caught.value.line == 4 and caught.value.path == path


@pytest.mark.parametrize(
    ("tasks", "line", "message"),
    [
        (TASKS.replace('id = "language"', 'id = "crisis"'), 12, "duplicate task id 'crisis'"),
        (TASKS.replace('task = "Recognise crises"\n', ""), 6, "missing task"),
        (TASKS.replace('domain = "Advocacy"\n', 'domain = "Advocacy"\nweight = 3\n'), 14,
         "unknown key 'weight' in a task"),
        (TASKS.replace('source = "Exam board, Candidate guide (2013 job analysis)"\n', ""), 5,
         "missing source (here or in [list])"),
        (TASKS + "\n[[tasks]\n", 17, "TOML syntax error"),
        ("[list]\n", None, "the task list has no [[tasks]]"),
    ],
)  # fmt: skip
def test_a_bad_task_list_names_its_own_file_and_line(
    tmp_path: Path, tasks: str, line: int | None, message: str
) -> None:
    path = _write(tmp_path, task_lines=[], tasks=tasks)
    with pytest.raises(DeckError) as caught:
        load_deck(path)
    assert caught.value.path == tmp_path / "tasks" / "exam.toml"
    assert caught.value.line == line and message in str(caught.value)


def test_a_missing_or_huge_task_list_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DeckError, match="no such task list"):
        load_tasks(tmp_path / "none.toml")
    huge = tmp_path / "huge.toml"
    huge.write_text("# " + "x" * 1_000_001)
    with pytest.raises(DeckError, match="is larger than 1,000,000 bytes: give a task list"):
        load_tasks(huge)


def test_the_bundled_task_list_loads() -> None:
    from srs_crss.decks.deckfile import bundled_deck_dir

    tasks = load_tasks(bundled_deck_dir() / "tasks" / "icrc-pr.toml")
    assert len(tasks) == len({t.id for t in tasks}) >= 40
