"""Plain records the store hands to the rest of the program.

These are the domain objects of the storage layer: no SQLAlchemy in sight,
so services, the CLI and tests can use them without a database session.

They are NamedTuples: immutable, compared by value, changed with `_replace`. Every
command imports this module, and a frozen slotted dataclass costs about ten times
a NamedTuple to define (its methods are generated from source): some 10 ms of every
start, for these records. Their annotations are evaluated, not strings (no `from
__future__ import annotations` here): typing.NamedTuple compiles each string into a
ForwardRef, 1.3 ms of every start; so a record names only records defined above it.
"""

import datetime as dt
import random
from enum import StrEnum
from typing import NamedTuple

from srs_crss.sm2 import CardState, Grade, ReviewKind
from srs_crss.study.policy import DEFAULT_NEW_PER_DAY, LEECH_LAPSES

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
"""Choice letters, everywhere choices are shown (a deck allows at most 26 choices)."""

# A practice exam's status, as stored (mock_exams.status). Here rather than in
# srs_crss.exams.mock so that a review session, which starts with the cards missed
# in finished exams, does not load the exam-drawing code.
SUBMITTED = "submitted"
TIMED_OUT = "timeout"
ABANDONED = "abandoned"
OPEN = "open"
FINISHED = (SUBMITTED, TIMED_OUT)
"""Statuses of an exam that was scored (submitted by the learner, or by the clock)."""


class Suspension(StrEnum):
    """Why a learner's card is out of review."""

    MANUAL = "manual"
    LEECH = "leech"


class CardType(StrEnum):
    """What a card asks for: recall of a back, or a pick among choices."""

    BASIC = "basic"
    MCQ = "mcq"


class Card(NamedTuple):
    """A card's identity and content as stored."""

    pk: int
    deck: str
    id: str
    type: CardType
    front: str
    back: str | None
    choices: tuple[str, ...]
    answer: str | None
    explanation: str | None
    domain: str | None
    tags: tuple[str, ...]
    source: str | None
    position: int
    retired: bool
    deck_name: str = ""
    sibling_of: str | None = None

    @property
    def note(self) -> str:
        """The fact this card tests: its siblings share it (a card id of the deck)."""
        return self.sibling_of or self.id

    @property
    def qualified_id(self) -> str:
        """The id users type: "deck/card"."""
        return f"{self.deck}/{self.id}"


def shuffled_choices(card: Card, review_count: int) -> list[str]:
    """The card's choices in an order fixed by (card, review count).

    Deterministic, so a session can be replayed, but different on each
    review, so the answer's position is not what gets memorised.
    """
    order = list(card.choices)
    random.Random(f"{card.qualified_id}#{review_count}").shuffle(order)
    return order


class HistoryEntry(NamedTuple):
    """One row of the review log."""

    id: int
    reviewed_at: dt.datetime
    day: dt.date
    grade: Grade
    kind: ReviewKind
    before: CardState
    after: CardState
    duration_ms: int | None
    capped_from: dt.date | None = None
    """The SM-2 due day, when an exam date moved `after.due` earlier."""
    picked: str | None = None
    """The choice picked, on a multiple-choice card."""


class CardView(NamedTuple):
    """A card with one learner's state and full history, oldest first."""

    card: Card
    state: CardState
    history: tuple[HistoryEntry, ...] = ()
    moved_from: dt.date | None = None
    """SM-2's due day, when an exam date pulled the card in to the day before it."""
    suspended: Suspension | None = None
    """Why the card is out of this learner's review (by hand, or as a leech), if it is."""


class DeckSummary(NamedTuple):
    """Counts for one deck and one learner on one day."""

    id: str
    name: str
    cards: int
    new: int
    due: int
    retired: int
    optional: bool = False
    """Studied only when asked for by name (--deck)."""


class ExistingCard(NamedTuple):
    """What sync needs to know of a stored card to plan changes."""

    content_hash: str
    position: int
    retired: bool
    task: str | None = None


class ExistingDeck(NamedTuple):
    """A stored deck as sync sees it."""

    name: str
    description: str | None
    cards: dict[str, ExistingCard]
    """Filled in by the store as it reads the deck's cards."""
    source_path: str | None = None
    fingerprint: str | None = None
    tasks: tuple[tuple[str, str, str], ...] = ()
    """Its exam task list as stored: (id, domain, statement), in list order."""


class UnchangedDeck(NamedTuple):
    """A deck whose file is byte-for-byte what was last synced."""

    id: str
    name: str
    cards: int


class Scope(NamedTuple):
    """Which cards a command looks at: all, or some decks / a tag / a domain."""

    decks: tuple[str, ...] = ()
    tag: str | None = None
    domain: str | None = None


class Info(NamedTuple):
    """Where the data lives and what it holds, for `srs-crss info`."""

    version: str
    database: str
    """The path, or the URL without its password."""
    is_file: bool
    schema: str | None
    learner: str
    learner_known: bool
    learners: int
    decks: int
    cards: int
    reviews: int
    """This learner's answers."""


class Flag(NamedTuple):
    """A learner's note that a card looks wrong, for the deck's authors."""

    card: str
    """deck/card"""
    learner: str
    note: str
    created_at: dt.datetime
    source: str | None


class Topics(NamedTuple):
    """The exam domains and tags of active cards, each with its card count, sorted by name."""

    domains: tuple[tuple[str, int], ...] = ()
    tags: tuple[tuple[str, int], ...] = ()


class Cram(NamedTuple):
    """Which seen cards a cram session goes over (with the scope's filters)."""

    mistakes: int | None = None
    """Only cards failed in the last this many days."""
    ahead: int | None = None
    """Only cards due within this many days."""


class QueueOptions(NamedTuple):
    """What the learner asked for: scope, new cards, session size."""

    scope: Scope = Scope()
    new: int | None = None
    """New cards for this session; None means what is left of today's limit."""
    limit: int | None = None
    """At most this many distinct cards in the session."""
    new_per_day: int = DEFAULT_NEW_PER_DAY
    cram: Cram | None = None
    """Cram instead of study: go over cards already seen, leaving their schedule as it is."""
    leech_lapses: int = LEECH_LAPSES
    """A card forgotten this many times is suspended as a leech."""


class LoggedTime(NamedTuple):
    """When an answer in the review log was given, and its grade: what an Anki import
    compares every row of the package with."""

    id: int
    reviewed_ms: int
    grade: int


class LoggedAnswer(NamedTuple):
    """One answer already in the review log, in full, as an Anki import merges it."""

    id: int
    """The review log row."""
    reviewed_ms: int
    """When, in milliseconds since the Unix epoch (UTC)."""
    day: dt.date
    grade: int
    duration_ms: int | None
    picked: str | None
    after: CardState
    """The card's state this answer left."""
    imported: bool = False
    """Brought from Anki by an import (recorded again with its mark if a merge restates it)."""


class ExportReview(NamedTuple):
    """One answer as an export needs it (a plain tuple: exports read 100,000s of these)."""

    id: int
    """The review log row."""
    reviewed_ms: int
    """When, in milliseconds since the Unix epoch (UTC)."""
    grade: int
    kind: str
    repetitions_before: int
    interval_before: int
    interval: int
    ef: int
    duration_ms: int | None


class ExportCard(NamedTuple):
    """A card to export: content, when it last changed, and one learner's state."""

    card: Card
    content_changed_at: dt.datetime
    state: CardState


class ExportDeck(NamedTuple):
    """A deck and its active cards, in file order."""

    id: str
    name: str
    description: str | None
    cards: tuple[ExportCard, ...]


class DomainStats(NamedTuple):
    """Progress in one exam domain."""

    domain: str
    cards: int
    seen: int
    mature: int
    retention: float | None
    """Share of reviews of learned cards graded 3+, last 30 days (None: no such reviews)."""


class HardCard(NamedTuple):
    """A card the log shows to be hard: failures and answers in the recent window."""

    id: str
    """deck/card"""
    failed: int
    answers: int
    ef: int
    """Ease (E-Factor) in hundredths."""
    lapses: int


class Stats(NamedTuple):
    """Every figure `srs-crss stats` shows, aggregated in SQL."""

    due: int
    unseen: int
    reviewed_today: int
    correct_today: int
    study_days: tuple[dt.date, ...]
    retention_30: float | None
    retention_all: float | None
    domains: tuple[DomainStats, ...]
    forecast: tuple[tuple[dt.date, int], ...]
    calendar: tuple[tuple[dt.date, int], ...]
    hardest: tuple[HardCard, ...]
    """Hardest first: most failures lately, then the highest failure rate."""
    suspended: int = 0
    """Cards out of review (suspended by hand or as leeches), counted apart."""
    leeches: tuple[str, ...] = ()
    """deck/card of the cards suspended as leeches."""
    crammed_today: int = 0
    """Cram answers today (counted apart from scheduled reviews)."""


# ---- a review session (srs_crss.study.session) --------------------------------------------


class Progress(NamedTuple):
    """What the header shows."""

    done: int
    left: int
    new: int
    review: int
    extra: int
    missed: int = 0
    """Cards missed in a practice exam, shown first (not counted in new/review/extra)."""


class Summary(NamedTuple):
    """The end-of-session figures."""

    reviewed: int
    """Answers that went into the schedule (the review log, as `stats` counts them)."""
    correct: int
    """Answers graded 3 or more, crammed ones included."""
    seconds: float
    due_tomorrow: int
    """Cards due tomorrow (not counting those still due today)."""
    streak: int
    due_today: int = 0
    """Cards still due today (failed ones among them), in this session's scope."""
    crammed: int = 0
    """Cram answers (a cram session, or practice-exam misses not yet due): the schedule,
    the review log and the streak are left as they were."""

    @property
    def answers(self) -> int:
        return self.reviewed + self.crammed

    @property
    def percent_correct(self) -> float:
        return 100.0 * self.correct / self.answers if self.answers else 0.0


class NothingDue(NamedTuple):
    """Why the queue is empty: when the next card is due, and new cards waiting."""

    next_due: dt.date | None
    new_available: int
    new_limit_reached: bool
    cram: bool = False
    """A cram session found no seen card to go over."""


class Peek:
    """A card whose state an answer also reads, in its own transaction: the card a session
    shows next, checked there for free rather than by a read of its own (issue 24)."""

    __slots__ = ("card_pk", "state")

    def __init__(self, card_pk: int, state: CardState | None = None) -> None:
        self.card_pk = card_pk
        self.state = state
        """Filled in by the answer: the card's state as of its commit."""
