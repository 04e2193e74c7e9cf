"""`srs-crss mock`: timed practice exams built like the real one."""

from __future__ import annotations

import signal
import sys
from contextlib import contextmanager, suppress
from typing import IO, TYPE_CHECKING, Annotated

import typer

from srs_crss.cli import render
from srs_crss.cli.typerapp import JsonOption, commands, open_app, print_json
from srs_crss.errors import UsageError
from srs_crss.exams.profiles import DEFAULT_PROFILE
from srs_crss.model import ABANDONED, OPEN, TIMED_OUT

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from srs_crss.cli.mockui import Ending
    from srs_crss.exams.run import MockRun
    from srs_crss.service.practice import Practice

MAX_QUESTIONS = 1000
MAX_MINUTES = 24 * 60


@commands.command()
def mock(
    ctx: typer.Context,
    profile: Annotated[
        str,
        typer.Option(
            "--profile",
            metavar="ID",
            help="The exam to practise: crss (Illinois CRSS) or icrc-pr (IC&RC Peer Recovery "
            "/ Illinois CPRS).",
        ),
    ] = DEFAULT_PROFILE,
    questions: Annotated[
        int | None,
        typer.Option(
            "--questions",
            min=1,
            max=MAX_QUESTIONS,
            metavar="N",
            help="How many questions (default: as many as the real exam).",
            show_default=False,
        ),
    ] = None,
    minutes: Annotated[
        int | None,
        typer.Option(
            "--minutes",
            min=1,
            max=MAX_MINUTES,
            metavar="M",
            help="Time allowed (default: as long as the real exam).",
            show_default=False,
        ),
    ] = None,
    seed: Annotated[
        int | None,
        typer.Option(
            "--seed",
            min=0,
            max=2**62,
            metavar="S",
            help="Draw the exam numbered S: the same questions for anyone with the same decks "
            "(e.g. one exam for a whole class).",
            show_default=False,
        ),
    ] = None,
    deck: Annotated[
        list[str] | None,
        typer.Option("--deck", metavar="ID", help="Draw from this deck (repeatable)."),
    ] = None,
    domain: Annotated[
        str | None,
        typer.Option(
            "--domain", metavar="NAME", help="Only this exam domain: a quiz on one domain."
        ),
    ] = None,
    resume: Annotated[
        bool, typer.Option("--resume", help="Go on with your unfinished exam.")
    ] = False,
    history: Annotated[
        bool, typer.Option("--history", help="List your practice exams and their scores.")
    ] = False,
    plain: Annotated[
        bool,
        typer.Option("--plain", help="Plain lines, one answer per line (for screen readers)."),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """A timed practice exam: questions drawn by the exam's domain weights, scored by domain.

    In a terminal: A-D answer, Enter next, p back, f flag, u next unanswered, r next
    flagged, g go to a number, s submit, q stop (submit, keep for later, or abandon).
    Piped or --plain: one line per question (a letter, or empty to skip); the end of
    input submits. An exam with no answer is abandoned, not scored. The questions you
    miss come first in your next review.
    """
    application = open_app(ctx)
    practice = application.practice
    if history:
        attempts = practice.history()
        if as_json:
            print_json([render.shapes.attempt_json(a) for a in attempts])
        else:
            for line in render.mocktext.history_lines(attempts):
                typer.echo(line)
        return

    from srs_crss.cli import mockui, ui  # the exam screens: loaded only to take an exam
    from srs_crss.exams import profiles

    at_terminal = ui.interactive() and not plain and not as_json
    out: IO[str] = sys.stderr if as_json else sys.stdout  # --json: stdout is the result only
    if resume:
        run = practice.resume()
    else:
        asks = sys.stdin.isatty() and not as_json  # a person who can answer a question
        run = _new_or_unfinished(
            practice, asks, profile, deck or (), questions, minutes, seed, domain
        )
    known = profiles.get(run.attempt.profile)
    intro = render.mocktext.mock_intro_lines(known, run.attempt, resumed=run.attempt.used_ms > 0)
    if at_terminal:  # wrapped at word boundaries to the window's width
        render.views.console().print("\n".join(intro), markup=False, highlight=False)
    else:
        out.write("".join(line + "\n" for line in intro))
    with _kept_on_hangup(run):
        if at_terminal:
            ending = _take_at_terminal(run, known.name)
        else:
            run.start_clock()
            ending = mockui.run_plain(run, sys.stdin, out)
    _finish(run, ending, out, as_json, at_terminal)


@contextmanager
def _kept_on_hangup(run: MockRun) -> Iterator[None]:
    """A closed terminal (SIGHUP) or a polite kill (SIGTERM) keeps the exam for later
    with the time used up to that moment, as q then k would."""

    def hang_up(signum: int, _frame: object) -> None:
        raise _Stopped(signum)

    wanted = (signal.SIGHUP, signal.SIGTERM)
    previous = {sig: signal.signal(sig, hang_up) for sig in wanted}
    try:
        yield
    except _Stopped as stopped:
        for sig in wanted:  # a second signal while saving must not cut the save short
            signal.signal(sig, signal.SIG_IGN)
        run.pause()
        with suppress(OSError):  # the terminal may be gone
            typer.echo(render.mocktext.kept_line(), err=True)
        raise SystemExit(128 + stopped.signum) from None
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


class _Stopped(BaseException):
    """SIGHUP or SIGTERM during an exam (a BaseException: no `except Exception` eats it)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _new_or_unfinished(
    practice: Practice,
    asks: bool,
    profile: str,
    decks: Sequence[str],
    questions: int | None,
    minutes: int | None,
    seed: int | None,
    domain: str | None = None,
) -> MockRun:
    """A new exam; with one left unfinished, a person who can answer is asked whether to
    resume it or abandon it. Piped input cannot be asked: the unfinished exam is kept,
    nothing new starts, and the message says how to go on with it."""
    practice.check(profile, decks, domain)
    unfinished = practice.unfinished()
    if unfinished is not None:
        open_run = practice.resume()
        line = render.mocktext.unfinished_line(unfinished, open_run.answered())
        if not asks:
            raise UsageError(f"{line} {render.mocktext.UNFINISHED_KEPT}")
        typer.echo(line, err=True)
        answer = str(typer.prompt("r: resume it · n: abandon it and start a new one", "r"))
        if answer.strip().lower() != "n":
            return open_run
        open_run.abandon()
        typer.echo("It is closed as abandoned; a new exam starts.", err=True)
    started = practice.start(profile, decks, questions, minutes, seed, domain)
    for line in render.mocktext.draw_lines(started.draw, started.asked_for):
        typer.echo(line, err=True)
    return started.run


def _take_at_terminal(run: MockRun, title: str) -> Ending:
    from srs_crss.cli import mockui, terminal

    console = render.views.console()
    console.print(
        "[dim]Press any key to start: the clock starts then. "
        "q: not now (kept for later, its clock not started).[/dim]"
    )
    fd = sys.stdin.fileno()
    exam = mockui.TerminalExam(run, console, fd, title)
    with terminal.cbreak(fd, redraw=exam.request_redraw):
        try:
            first = exam.keys.next()
        except KeyboardInterrupt:
            first = None
        if first in (None, "q", "Q"):  # kept, its clock not started
            return mockui.Ending(OPEN)
        run.start_clock()
        ending = exam.take()
        if ending.result is not None:
            missed = [q for q in run.questions if not q.correct]
            summary: list[object] = [
                *(
                    ["[bold red]Time is up: the exam was submitted as it stood.[/bold red]"]
                    if ending.status == TIMED_OUT
                    else []
                ),
                *render.examscreen.result_table(ending.result, run.attempt.time_limit_ms),
                render.mocktext.follow_up_line(len(missed)),
            ]
            console.clear()
            for part in summary:
                console.print(part)
            if missed:
                what = "missed question" if len(missed) == 1 else f"{len(missed)} missed questions"
                console.print(f"[bold]Enter: go through the {what} · q: done[/bold]")
                if exam.keys.next() not in (None, "q"):
                    exam.walk_missed(missed, summary)
    return ending


def _finish(run: MockRun, ending: Ending, out: IO[str], as_json: bool, at_terminal: bool) -> None:
    if ending.status == OPEN:
        typer.echo(render.mocktext.kept_line(), err=as_json)
        return
    if as_json:
        print_json(
            render.shapes.mock_result_json(run.attempt, ending.status, ending.result, run.questions)
        )
    if ending.status == ABANDONED:
        typer.echo(render.mocktext.abandoned_line(ending.unanswered), err=True)
        return
    result = ending.result
    assert result is not None
    if as_json:
        return
    if at_terminal:
        return  # shown on the exam screen
    timed_out = ending.status == TIMED_OUT
    for line in render.mocktext.result_lines(result, run.attempt.time_limit_ms, timed_out):
        out.write(line + "\n")
    missed = [q for q in run.questions if not q.correct]
    if missed:
        out.write(f"Missed questions ({len(missed)}):\n")
    for question in missed:
        for line in render.mocktext.missed_question_lines(question):
            out.write(line + "\n")
    out.write(render.mocktext.follow_up_line(len(missed)) + "\n")
