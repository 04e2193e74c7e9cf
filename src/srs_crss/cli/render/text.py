"""Plain lines of text, shared by the terminal and piped screens and the commands."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from srs_crss.model import LETTERS, Card, CardType, Flag, Info
from srs_crss.safetext import visible
from srs_crss.sm2 import Grade

if TYPE_CHECKING:
    from srs_crss.ankiimport import ImportResult
    from srs_crss.mockexam import Attempt, Draw, Question, Result
    from srs_crss.profiles import Profile
    from srs_crss.session import NothingDue, Summary
    from srs_crss.sync import SyncReport

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
    learners = _count(info.learners, "learner")
    return [
        f"srs-crss {info.version}",
        f"{where}: {one_line(info.database)}",
        f"Schema: {info.schema or 'none'}",
        f"Learner: {you}",
        f"Holds: {_count(info.decks, 'deck')}, {_count(info.cards, 'card')}, {learners}; "
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
        parts.append(f"{plan.unchanged} unchanged")
        status = "new deck" if plan.new_deck else one_line(str(plan.spec.path))
        yield f"{plan.spec.id} ({one_line(plan.spec.name)}, {status}): {', '.join(parts)}"
    if not report.changed:
        yield "Nothing to change: the database already matches these files."


def summary_lines(summary: Summary) -> list[str]:
    """The end of a session: a title line, then the figures."""
    minutes, seconds = divmod(round(summary.seconds), 60)
    days = "day" if summary.streak == 1 else "days"
    done = (
        f"Reviewed: {summary.reviewed}   Correct: {summary.percent_correct:.0f}%   "
        f"Time: {minutes}m {seconds:02d}s"
        if summary.reviewed
        else "No answers this session."
    )
    return [
        "Session over.",
        done,
        f"Still due today: {summary.due_today}   Due tomorrow: {summary.due_tomorrow}   "
        f"Streak: {summary.streak} {days}",
    ]


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
        f"{verb} {_count(result.added, 'new review')} from {one_line(str(result.path))},"
        f" on {_count(result.cards, 'card')}."
        if result.added
        else f"0 new reviews in {one_line(str(result.path))}: nothing to change.",
        f"  {_count(result.matched_notes, 'note')} matched;"
        f" {result.already} of their reviews were already here.",
    ]
    if result.skipped_notes:
        lines.append(f"  {_count(result.skipped_notes, 'note')} skipped: your own (kept in Anki).")
    for reason, n in result.skipped_rows:
        lines.append(f"  {_count(n, 'row')} skipped: {reason}.")
    if result.restated:
        lines.append(
            f"  {_count(result.restated, 'answer')} given here recorded again after Anki's."
        )
    if result.dry_run:
        lines.append("Dry run: nothing was written.")
    return lines


def exam_set_line(day: str, deck: str | None, moved: int = 0) -> str:
    pulled = f" {_count(moved, 'card')} due after it now come the day before it." if moved else ""
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


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


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


def flag_line(card: str) -> str:
    card = one_line(card)
    return f"Flagged {card}: thank you. Deck authors see it with `srs-crss flags`."


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


# ---- practice exams (srs-crss mock) ------------------------------------------------

PASS_ESTIMATE = (
    "The pass line shown is an estimate: IC&RC reports a scaled score from 200 to 800, "
    "where 500 passes, not a share of questions."
)
MOCK_PLAIN_HELP = (
    "One line per question: the letter of your answer, or an empty line to skip it. "
    "q stops (you choose: submit, keep it for later, or abandon). The end of input submits."
)


def clock(seconds: float) -> str:
    """A countdown or time used: 1:05:09, or 5:09 under an hour."""
    whole = max(0, int(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def mock_intro_lines(profile: Profile, attempt: Attempt, resumed: bool = False) -> list[str]:
    """What the exam is: profile, size, time, pass mark (and whether that is an estimate)."""
    head = "Resuming your practice exam" if resumed else "Practice exam"
    lines = [
        f"{head}: {one_line(profile.name)}, {attempt.asked} questions, "
        f"{clock(attempt.left_ms / 1000)} {'left' if resumed else 'to answer them'}, "
        f"pass mark {attempt.pass_percent}%."
    ]
    if attempt.pass_is_estimate:
        lines.append(PASS_ESTIMATE)
    return lines


def draw_lines(drawn: Draw, asked_for: int) -> list[str]:
    """Say what was drawn when the bank could not fill the exam as asked."""
    if not drawn.short:
        return []
    have = dict(drawn.available)
    got = dict(drawn.drawn)
    per_domain = "; ".join(
        f"{one_line(domain)}: {got.get(domain, 0)} of {wanted} wanted "
        f"({have.get(domain, 0)} in the bank)"
        for domain, wanted in drawn.wanted
    )
    return [
        f"The question bank is too small for {asked_for} questions, so this exam has "
        f"{sum(got.values())}. {per_domain}."
    ]


def mock_question_lines(question: Question, total: int) -> list[str]:
    """One question for the piped screen: its number and card id, the question, choices."""
    lines = [f"--- question {question.position} of {total} [{one_line(question.card_id)}]"]
    lines.append(f"Q: {visible(question.front)}")
    lines += [f"  {letter}) {visible(choice)}" for letter, choice in lettered(question.choices)]
    return lines


def verdict(result: Result) -> str:
    if result.passed:
        return "PASS" + (" (estimated)" if result.pass_is_estimate else "")
    return "NOT YET" + (" (estimated)" if result.pass_is_estimate else "")


def result_lines(result: Result, time_limit_ms: int, timed_out: bool = False) -> list[str]:
    """Score, pass or not, time used, per domain, the weakest domain."""
    lines = ["Time is up: the exam was submitted as it stood."] if timed_out else []
    lines.append(
        f"Score: {result.correct} of {result.asked} ({result.percent:.0f}%): {verdict(result)}, "
        f"pass mark {result.pass_percent}%. Time used: {clock(result.seconds_used)} of "
        f"{clock(time_limit_ms / 1000)}."
    )
    if result.pass_is_estimate:
        lines.append(PASS_ESTIMATE)
    for domain in result.domains:
        lines.append(
            f"  {one_line(domain.domain)}: {domain.correct} of {domain.asked} "
            f"({domain.percent:.0f}%)"
        )
    if result.weakest:
        lines.append(f"Weakest domain: {one_line(result.weakest)}.")
    return lines


def missed_question_lines(question: Question) -> list[str]:
    """A missed question in the walk-through: the pick, the answer, why, the source."""
    yours = (
        f"{letter_of(question.picked, question.choices)}) {visible(question.picked)}"
        if question.picked
        else "no answer"
    )
    lines = [
        f"{question.position}. {visible(question.front)} [{one_line(question.card_id)}]",
        f"   Your answer: {yours}",
        f"   Answer: {letter_of(question.answer, question.choices)}) {visible(question.answer)}",
    ]
    if question.explanation:
        lines.append(f"   Why: {visible(question.explanation)}")
    if question.source:
        lines.append(f"   Source: {visible(question.source)}")
    return lines


def follow_up_line(missed: int) -> str:
    if not missed:
        return "Nothing missed: well done."
    cards = "card" if missed == 1 else "cards"
    return (
        f"The {missed} {cards} behind what you missed come first in your next "
        "`srs-crss review` (their schedule is not changed by this exam)."
    )


def unfinished_line(attempt: Attempt, answered: int) -> str:
    return (
        f"You have an unfinished practice exam from {attempt.started_at:%Y-%m-%d %H:%M} UTC "
        f"({answered} of {attempt.asked} answered, {clock(attempt.left_ms / 1000)} left)."
    )


def kept_line() -> str:
    return "Kept for later: `srs-crss mock --resume` goes on with the time that was left."


def history_lines(attempts: Sequence[Attempt]) -> list[str]:
    """One line per attempt, oldest first, with per-domain scores."""
    if not attempts:
        return ["No practice exams yet. Start one with `srs-crss mock`."]
    lines = []
    for a in attempts:
        when = f"{a.started_at:%Y-%m-%d}"
        if a.percent is None:
            lines.append(f"#{a.id} {when} {one_line(a.profile)}: {a.status}, {a.asked} questions")
            continue
        passed = "pass" if a.percent >= a.pass_percent else "not yet"
        timed = ", time ran out" if a.status == "timeout" else ""
        domains = "; ".join(f"{one_line(d.domain)} {d.percent:.0f}%" for d in a.domains)
        lines.append(
            f"#{a.id} {when} {one_line(a.profile)}: {a.correct}/{a.asked} ({a.percent:.0f}%, "
            f"{passed}{timed}). {domains}"
        )
    return lines


def recent_mocks(attempts: Sequence[Attempt], trend: float | None) -> str | None:
    """The latest practice-exam scores and their trend, e.g. "62%, 70%, 74% (up 12 points)"."""
    scores = [f"{a.percent:.0f}%" for a in attempts if a.percent is not None]
    if not scores:
        return None
    moved = ""
    if trend is not None:
        moved = f" (up {trend:g} points)" if trend > 0 else f" (down {-trend:g} points)"
        moved = " (level)" if trend == 0 else moved
    return f"{', '.join(scores)}{moved}"
