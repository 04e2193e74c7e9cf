"""Exam task lists: the task statements a deck's multiple-choice items name (issue 28).

A deck names its list in [deck] (tasks = "tasks/icrc-pr.toml", a TOML file beside the
deck or below it); each item names the task it tests (task = "<id>"), and an id the
list lacks is a load error with file and line, like any deck error. The list is read
with the deck file's own rules and messages (decktoml).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from srs_crss.decks.bundled import MAX_TASK_FILE, deck_fingerprint
from srs_crss.decks.decktoml import TableValidator, first_line_of, kind, parse_toml, read_bytes
from srs_crss.decks.spec import CardSpec, TaskSpec
from srs_crss.errors import DeckError

__all__ = ["MAX_TASK_FILE", "check_task_keys", "deck_fingerprint", "deck_tasks", "load_tasks"]

_TASK_KEYS = {"id", "domain", "task", "source"}
_TASK_LIST_KEYS = {"id", "name", "source"}
_TASKS_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*tasks[ \t]*\]\]", re.MULTILINE)


def deck_tasks(deck: TableValidator, header: dict[str, Any]) -> tuple[TaskSpec, ...]:
    """The task list the deck names: a .toml file beside it or below it."""
    if "tasks" not in header:
        return ()
    at = deck.lines.deck_key("tasks")
    value = header["tasks"]
    if not isinstance(value, str):
        raise deck.fail(f"tasks must be a file name, not {kind(value)}", at)
    relative = Path(value.strip())
    if relative.is_absolute() or ".." in relative.parts or relative.suffix != ".toml":
        raise deck.fail(
            f"tasks {value!r}: name a .toml file beside the deck file or in a folder "
            f'below it, such as "tasks/icrc-pr.toml"',
            at,
        )
    return load_tasks(deck.path.parent / relative)


def check_task_keys(
    deck: TableValidator, cards: list[CardSpec], tasks: tuple[TaskSpec, ...]
) -> None:
    """Each `task` names a task of the deck's task list."""
    known = {task.id for task in tasks}
    for index, card in enumerate(cards):
        if card.task is None or card.task in known:
            continue
        line = deck.lines.card_key(index, "task")
        if not tasks:
            raise deck.fail(
                f"task {card.task!r}: this deck names no task list "
                f'(add tasks = "file.toml" to [deck])',
                line,
            )
        raise deck.fail(f"unknown task {card.task!r}: not in the deck's task list", line)


def load_tasks(path: Path) -> tuple[TaskSpec, ...]:
    """Read and validate an exam task list (a deck's `tasks` file).

    A task list is TOML: an optional [list] table (id, name, source) and [[tasks]]
    tables with id, domain, task and source (the list's source when left out).
    """
    raw = read_bytes(path, "task list", "task list", limit=MAX_TASK_FILE)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DeckError(path, "not UTF-8 text", raw[: exc.start].count(b"\n") + 1) from None
    return _TaskValidator(text, path, _TASKS_HEADER).tasks(parse_toml(text, path))


class _TaskValidator(TableValidator):
    """Checks one parsed task list: the same messages and rules as a deck file's."""

    def tasks(self, data: dict[str, Any]) -> tuple[TaskSpec, ...]:
        for key in data:
            if key not in ("list", "tasks"):
                raise self.fail(
                    f"unknown top-level key {key!r} (expected [list] and [[tasks]])",
                    first_line_of(key, self.lines.lines),
                )
        header = data.get("list", {})
        if not isinstance(header, dict):
            line = first_line_of("list", self.lines.lines)
            raise self.fail("list must be a table: [list]", line)
        for key in header:
            if key not in _TASK_LIST_KEYS:
                allowed = ", ".join(sorted(_TASK_LIST_KEYS))
                raise self.fail(f"unknown key {key!r} in [list] (allowed: {allowed})", None)
        default_source = self.text(header, "source", lambda key: None)
        raw_tasks = data.get("tasks", [])
        if not isinstance(raw_tasks, list) or not all(isinstance(t, dict) for t in raw_tasks):
            raise self.fail("tasks must be written as [[tasks]] tables", self.lines.card(0))
        if not raw_tasks:
            raise self.fail("the task list has no [[tasks]]", None)
        tasks: list[TaskSpec] = []
        seen: set[str] = set()
        for index, raw in enumerate(raw_tasks):

            def at(key: str, index: int = index) -> int | None:
                return self.lines.card_key(index, key)

            for key in raw:
                if key not in _TASK_KEYS:
                    allowed = ", ".join(sorted(_TASK_KEYS))
                    raise self.fail(f"unknown key {key!r} in a task (allowed: {allowed})", at(key))
            task_id = self.slug(raw, "id", "task id", at)
            if task_id in seen:
                raise self.fail(f"duplicate task id {task_id!r}", at("id"))
            seen.add(task_id)
            domain = self.text(raw, "domain", at, required=True)
            statement = self.text(raw, "task", at, required=True)
            source = self.text(raw, "source", at) or default_source
            if source is None:
                raise self.fail("missing source (here or in [list])", self.lines.card(index))
            assert domain is not None and statement is not None
            tasks.append(TaskSpec(task_id, domain, statement, source))
        return tuple(tasks)
