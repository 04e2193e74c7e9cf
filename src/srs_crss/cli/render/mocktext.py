"""Plain lines of the practice exam (srs-crss mock): its introduction, the piped
questions, the result, the history and the trend."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from srs_crss.cli.render.text import (
    EXAM_TASKS,
    count_of,
    letter_of,
    lettered,
    one_line,
    weakest_task_lines,
)
from srs_crss.untrusted.text import visible

if TYPE_CHECKING:
    from srs_crss.exams.mock import Attempt, Draw, Question, Result
    from srs_crss.exams.profiles import Profile


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
        f"{head}: {one_line(profile.name)}, {count_of(attempt.asked, 'question')}, "
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
    """Score, pass or not, time used, per domain, the weakest domain and tasks."""
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
    return lines + weakest_task_lines(result.weakest_tasks, EXAM_TASKS)


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


UNFINISHED_KEPT = (
    "It is kept: `srs-crss mock --resume` goes on with it. To start a new exam instead, "
    "resume it and type q, then a (abandon)."
)


def abandoned_line(unanswered: bool) -> str:
    if unanswered:
        return (
            "No question was answered, so this exam is not scored: it is closed as "
            "abandoned (mock --history lists it)."
        )
    return "Abandoned: it stays in your history (mock --history), not scored."


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
            lines.append(
                f"#{a.id} {when} {one_line(a.profile)}: {a.status}, {count_of(a.asked, 'question')}"
            )
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
