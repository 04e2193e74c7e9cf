"""Plain lines of text, shared by the terminal and piped screens and the commands."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from srs_crss.exams.planning import SEEN_BY
from srs_crss.model import (
    LETTERS,
    Card,
    CardType,
    Flag,
    Info,
    NothingDue,
    Summary,
    Suspension,
)
from srs_crss.sm2 import Grade
from srs_crss.untrusted.text import visible

if TYPE_CHECKING:
    from pathlib import Path

    from srs_crss.decks.sync import SyncReport
    from srs_crss.exams.planning import Plan
    from srs_crss.exams.tasks import TaskScore
    from srs_crss.service.anki_import import ImportResult

GRADE_KEYS = "012345"


def one_line(text: str) -> str:
    """Text from a file, a package or a person, made safe on one line (safetext.visible):
    names, ids, domains, titles, notes. Card text keeps its newlines with `visible`."""
    return visible(text, lines=False)


def lettered(choices: Sequence[str]) -> list[tuple[str, str]]:
    """Choices with their letters: A, B, C, ... (deck files allow at most 26)."""
    if len(choices) > len(LETTERS):
        raise ValueError(f"{len(choices)} choices: more than there are letters")
    return list(zip(LETTERS, choices, strict=False))


def letter_of(choice: str | None, choices: Sequence[str]) -> str:
    """The letter a choice is shown with ("?" if it is not among them)."""
    return LETTERS[choices.index(choice)] if choice in choices else "?"


def grade_legend(allowed: str = GRADE_KEYS) -> list[tuple[str, str]]:
    """(key, meaning) for each grade that may be given."""
    return [(q, Grade(int(q)).meaning) for q in allowed]


def front_lines(card: Card, choices: Sequence[str]) -> Iterator[str]:
    """A card's front as plain lines: its id and place, the question, lettered choices."""
    domain = f" / {one_line(card.domain)}" if card.domain else ""
    yield f"[{one_line(card.qualified_id)}] {one_line(card.deck_name)}{domain}"
    yield f"Q: {visible(card.front)}"
    for letter, choice in lettered(choices):
        yield f"  {letter}) {visible(choice)}"


def back_lines(
    card: Card, choices: Sequence[str], picked: str | None, grades: str
) -> Iterator[str]:
    """The answer as plain lines (the verdict on a pick), the why, the source, the grades."""
    if card.type is CardType.MCQ:
        verdict = "Correct." if picked == card.answer else "Not quite."
        yield f"{verdict} Answer: {letter_of(card.answer, choices)}) {visible(card.answer or '')}"
    else:
        yield f"A: {visible(card.back or '')}"
    if card.explanation:
        yield f"Why: {visible(card.explanation)}"
    if card.source:
        yield f"Source: {visible(card.source)}"
    yield "Grades: " + " | ".join(f"{q} {m}" for q, m in grade_legend(grades))


def info_lines(info: Info) -> list[str]:
    where = "Database file" if info.is_file else "Database"
    name = one_line(info.learner)
    you = name if info.learner_known else f"{name} (no answers yet)"
    learners = count_of(info.learners, "learner")
    return [
        f"srs-crss {info.version}",
        f"{where}: {one_line(info.database)}",
        f"Schema: {info.schema or 'none'}",
        f"Learner: {you}",
        f"Holds: {count_of(info.decks, 'deck')}, {count_of(info.cards, 'card')}, {learners}; "
        f"your answers: {info.reviews}",
    ] + (["Back it up by copying that file while srs-crss is not running."] if info.is_file else [])


def sync_lines(report: SyncReport) -> Iterator[str]:
    for plan in report.plans:
        parts = [
            f"{len(plan.added)} added",
            f"{len(plan.updated)} updated",
            f"{len(plan.retired)} retired",
        ]
        if plan.restored:
            parts.append(f"{len(plan.restored)} restored")
        if plan.retasked:  # (the cards' text is unchanged: counted there too)
            parts.append(f"{len(plan.retasked)} with a new exam task")
        if plan.tasks_changed and not plan.new_deck:
            parts.append("exam task list updated")
        parts.append(f"{plan.unchanged} unchanged")
        status = "new deck" if plan.new_deck else one_line(str(plan.spec.path))
        yield f"{plan.spec.id} ({one_line(plan.spec.name)}, {status}): {', '.join(parts)}"
    if not report.changed:
        yield "Nothing to change: the database already matches these files."


def summary_lines(summary: Summary) -> list[str]:
    """The end of a session: a title line, then the figures (named as `stats` names them:
    reviewed answers change the schedule and make the streak; crammed ones do not)."""
    minutes, seconds = divmod(round(summary.seconds), 60)
    days = "day" if summary.streak == 1 else "days"
    counts = [f"Reviewed: {summary.reviewed}"] if summary.reviewed else []
    if summary.crammed:
        counts.append(f"Crammed: {summary.crammed}")
    done = (
        "   ".join(
            [
                *counts,
                f"Correct: {summary.percent_correct:.0f}%",
                f"Time: {minutes}m {seconds:02d}s",
            ]
        )
        if summary.answers
        else "No answers this session."
    )
    lines = ["Session over.", done]
    if summary.crammed:
        lines.append(
            "Crammed answers leave each card's schedule as it was and do not count toward "
            "the streak."
        )
    lines.append(
        f"Still due today: {summary.due_today}   Due tomorrow: {summary.due_tomorrow}   "
        f"Streak: {summary.streak} {days}"
    )
    return lines


def nothing_due_line(info: NothingDue) -> str:
    if info.cram:
        return (
            "Nothing to go over: no card you have seen matches (cram covers cards answered "
            "at least once; new cards come with plain review)."
        )
    when = f"The next card is due on {info.next_due.isoformat()}." if info.next_due else ""
    if info.new_available and info.new_limit_reached:
        new = (
            f" {info.new_available} new cards are waiting; today's new-card limit is used up"
            " (use --new N for more)."
        )
    elif info.new_available:
        new = f" {info.new_available} new cards are available."
    else:
        new = ""
    return f"Nothing due right now. {when}{new}".strip()


def export_line(path: str, notes: int, cards: int, reviews: int, scheduling: bool) -> str:
    carried = f", {reviews} reviews carried" if scheduling else " (all as new cards)"
    return f"Wrote {one_line(path)}: {notes} notes, {cards} cards{carried}"


def import_lines(result: ImportResult) -> list[str]:
    """What `import-anki` did (or would do, with --dry-run); short enough for 60 columns."""
    verb = "Would add" if result.dry_run else "Added"
    lines = [
        f"{verb} {count_of(result.added, 'new review')} from {one_line(str(result.path))},"
        f" on {count_of(result.cards, 'card')}."
        if result.added
        else f"0 new reviews in {one_line(str(result.path))}: nothing to change.",
        f"  {count_of(result.matched_notes, 'note')} matched;"
        f" {result.already} of their reviews were already here.",
    ]
    if result.skipped_notes:
        lines.append(
            f"  {count_of(result.skipped_notes, 'note')} skipped: your own (kept in Anki)."
        )
    for reason, n in result.skipped_rows:
        lines.append(f"  {count_of(n, 'row')} skipped: {reason}.")
    if result.restated:
        lines.append(
            f"  {count_of(result.restated, 'answer')} given here recorded again after Anki's."
        )
    if result.dry_run:
        lines.append("Dry run: nothing was written.")
    return lines


def exam_set_line(day: str, deck: str | None, moved: int = 0) -> str:
    pulled = f" {count_of(moved, 'card')} due after it now come the day before it." if moved else ""
    return f"Exam set for {day} ({_exam_scope(deck)}).{pulled}"


def exam_cleared_line(cleared: bool, deck: str | None) -> str:
    if cleared:
        return f"Exam date cleared ({_exam_scope(deck)})."
    return f"No exam date was set ({_exam_scope(deck)})."


NO_EXAM = "No exam date set. Set one with: srs-crss exam set YYYY-MM-DD [--deck ID]"


def _exam_scope(deck: str | None) -> str:
    return f"deck {one_line(deck)}" if deck else "all decks"


def check_total(files: int, cards: int, warnings: int) -> str:
    return f"{files} {'file' if files == 1 else 'files'}, {cards} cards, {warnings} warnings"


STATS_TASKS = "Weakest exam tasks (your latest answer to each question):"
EXAM_TASKS = "Weakest exam tasks in this exam:"


def weakest_task_lines(weakest: Sequence[TaskScore], heading: str = STATS_TASKS) -> list[str]:
    """The weakest exam tasks under `heading`, one line each ("Domain · task: 2 of 6
    right"); nothing when no question on a task was missed."""
    if not weakest:
        return []
    return [heading] + [
        f"  {one_line(s.domain)} · {one_line(s.title)}: {s.right} of {s.asked} right"
        for s in weakest
    ]


def count_of(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def days_left(days: int) -> str:
    """ "1 day left (tomorrow)", "12 days left"."""
    return "1 day left (the exam is tomorrow)" if days == 1 else f"{days} days left"


def reviews_a_day(expected: float) -> str:
    """The expected reviews a day, in words that never say "0 reviews a day"."""
    if expected < 1:
        return "fewer than one review a day"
    return f"about {expected:g} reviews a day"


def plan_new_cards(plan: Plan) -> str:
    """The new cards a plan asks for, and when every card will have been seen."""
    if not plan.unseen:
        return "Every card has been seen at least once: reviews only from here."
    cards = f"{count_of(plan.unseen, 'card')} not seen yet: {plan.new_per_day} new cards a day"
    if plan.seen_in_time:
        return (
            f"{cards}, all seen by {plan.all_seen_by} "
            f"(every card at least {SEEN_BY} days before the exam)."
        )
    today = plan.exam_day - dt.timedelta(days=plan.days_left)
    if plan.all_seen_by == today:
        return (
            f"{count_of(plan.unseen, 'card')} not seen yet: the exam is less than {SEEN_BY} "
            "days away, so all of them today."
        )
    return (
        f"{cards}, all seen by {plan.all_seen_by} (the exam is less than {SEEN_BY} days "
        "after that: see what you can, weakest domains first)."
    )


ConfigRow = tuple[str, str | None, str, bool]


def config_lines(rows: Sequence[ConfigRow]) -> list[str]:
    """One line per setting: key (deck), value, and whether it is the default."""
    lines = []
    for key, deck, value, default in rows:
        where = f" ({one_line(deck)})" if deck else ""
        shown = value or "(none)"
        lines.append(f"{key}{where}: {one_line(shown)}" + ("  [default]" if default else ""))
    return lines


def config_set_line(key: str, value: str, deck: str | None) -> str:
    return f"{key} is now {one_line(value)}" + (f" for deck {one_line(deck)}." if deck else ".")


def config_unset_line(key: str, deck: str | None, done: bool) -> str:
    where = f" for deck {deck}" if deck else ""
    if done:
        return f"{key}{where} is back to its default."
    return f"{key}{where} was not set."


def card_status(card: str, retired: bool, suspended: Suspension | None) -> str | None:
    """Why a card is not in review, if it is not: retired from its deck, suspended, or a
    leech (suspended for being forgotten too often), with the way back."""
    card = one_line(card)
    if retired:
        return "Retired: its deck file no longer has it, so it is out of review for everyone."
    if suspended is Suspension.LEECH:
        return (
            "A leech: forgotten too often, so it is suspended (out of review). Read its "
            f"source or rewrite it; `srs-crss unsuspend {card}` brings it back."
        )
    if suspended is Suspension.MANUAL:
        return f"Suspended: out of review until `srs-crss unsuspend {card}`."
    return None


def flag_line(card: str, study_file: Path | None) -> str:
    """Say where a flag goes: on a shared server the deck's authors list it there; in a
    study file of one's own it stays there until it is passed on."""
    card = one_line(card)
    if study_file is None:
        return f"Flagged {card}: thank you. Deck authors see it with `srs-crss flags`."
    where = one_line(str(study_file))
    return (
        f"Flagged {card}: thank you. It is kept in your study file ({where}), which "
        "the deck's authors do not see: `srs-crss flags` lists your flags to send them."
    )


def flags_lines(flags: Sequence[Flag]) -> list[str]:
    if not flags:
        return ["No card has been flagged."]
    lines = []
    for flag in flags:
        lines.append(
            f"{one_line(flag.card)}  ({one_line(flag.learner)}, {flag.created_at:%Y-%m-%d})"
        )
        lines.append(f"  {one_line(flag.note)}")
        lines.append(f"  source: {one_line(flag.source or '(none)')}")
    return lines


def suspend_line(card: str, suspended: bool, changed: bool) -> str:
    card = one_line(card)
    if suspended:
        if changed:
            return f"Suspended {card}: it stays out of review until `srs-crss unsuspend {card}`."
        return f"{card} was already suspended."
    return f"{card} is back in review." if changed else f"{card} was not suspended."
