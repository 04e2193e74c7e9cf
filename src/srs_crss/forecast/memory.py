"""FSRS-6 memory states replayed from a learner's review log (the forecast's model).

SM-2 keeps scheduling; this module only reads the log. Each card's answers become
an FSRS history (grades 0-2 are Again, 3 Hard, 4 Good, 5 Easy; days between
answers as elapsed days, 0 within a day), and the Rust implementation
(`fsrs-rs-python`) gives the stability and difficulty after the last answer.
Why FSRS and not SM-2's own numbers: on the open srs-benchmark SM-2's recall
estimates do worse than a constant, FSRS-6's do best (issue 27).

Parameters: the published defaults until the log holds `MIN_FIT_ITEMS` reviews
that can be learnt from (an answer on a later day than the card's previous one),
then fitted to this learner. The library's own floor applies too: under 64 such
reviews it fits only the initial stabilities. Fitting reads at most the latest
`MAX_FIT_ITEMS` of them, so its time stays bounded on a large collection.

fsrs_rs_python is imported inside the functions that use it: only the forecast
commands pay for loading it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from fsrs_rs_python import FSRSItem

MIN_FIT_ITEMS = 8
"""Below this many reviews to learn from, fsrs-rs returns its defaults: use them as such."""

MAX_FIT_ITEMS = 20_000
"""Fit on at most the latest this many (bounded time on a 1,000,000-review log)."""


class Answer(NamedTuple):
    """One answer in a card's history: its study day and SM-2 grade (0-5)."""

    day: dt.date
    grade: int


class Memory(NamedTuple):
    """A card's memory after its last answer."""

    stability: float
    """Days until recall falls to 90%."""
    difficulty: float
    last_day: dt.date


class Model(NamedTuple):
    """The FSRS parameters in use and where they came from."""

    parameters: tuple[float, ...]
    fitted: bool
    reviews: int
    """Reviews the parameters were fitted on (0: the defaults)."""

    @property
    def name(self) -> str:
        return "FSRS-6 fitted" if self.fitted else "FSRS-6 default"

    @property
    def decay(self) -> float:
        return self.parameters[20]

    def recall(self, memory: Memory, day: dt.date) -> float:
        """The probability of recall on `day` (FSRS-6's power forgetting curve)."""
        return retrievability(memory.stability, (day - memory.last_day).days, self.decay)


def retrievability(stability: float, elapsed_days: float, decay: float) -> float:
    """R = (1 + factor * t / S) ** -decay, with factor chosen so that R(S) = 0.9."""
    factor = 0.9 ** (-1.0 / decay) - 1.0
    return float((1.0 + factor * max(0.0, elapsed_days) / stability) ** -decay)


def rating(grade: int) -> int:
    """SM-2's six grades on FSRS's four ratings: a miss is Again, 3 Hard, 4 Good, 5 Easy."""
    return _RATINGS[grade]


_RATINGS = (1, 1, 1, 2, 3, 4)


class Replay(NamedTuple):
    """Each card's answers as FSRS reads them: worked out once, for fitting and states."""

    reviews: dict[int, list[tuple[int, int]]]
    """card pk -> (rating, days since the previous answer) per answer, the first at 0."""
    first: dict[int, int]
    """card pk -> the day (proleptic ordinal) of its first answer; the others follow
    by the gaps."""

    @property
    def answers(self) -> int:
        return sum(len(r) for r in self.reviews.values())

    def last_day(self, pk: int) -> dt.date:
        return dt.date.fromordinal(self.first[pk] + sum(gap for _, gap in self.reviews[pk]))


def replay(histories: Mapping[int, Sequence[Answer]]) -> Replay:
    """The histories as FSRS reads them (cards without an answer left out)."""
    return replay_rows((pk, a.day, a.grade) for pk, history in histories.items() for a in history)


def replay_rows(rows: Iterable[tuple[int, dt.date | str, int]]) -> Replay:
    """The same from log rows (card pk, day, grade) in order of card, then answer: the
    day as a date or as ISO text (parsed once per distinct day: a million answers
    have a few hundred days, and parsing each was most of the time)."""
    ordinals: dict[dt.date | str, int] = {}
    reviews: dict[int, list[tuple[int, int]]] = {}
    first: dict[int, int] = {}
    mine: list[tuple[int, int]] = []
    card: int | None = None
    previous = 0
    for pk, raw, grade in rows:
        day = ordinals.get(raw)
        if day is None:
            parsed = raw if isinstance(raw, dt.date) else dt.date.fromisoformat(raw[:10])
            day = ordinals[raw] = parsed.toordinal()
        if pk != card:
            card, mine = pk, []
            reviews[pk], first[pk] = mine, day
            previous = day
        mine.append((_RATINGS[grade], day - previous))
        previous = day
    return Replay(reviews, first)


def _item(reviews: Sequence[tuple[int, int]]) -> FSRSItem:
    from fsrs_rs_python import FSRSItem, FSRSReview

    return FSRSItem([FSRSReview(r, gap) for r, gap in reviews])


def default_model() -> Model:
    from fsrs_rs_python import DEFAULT_PARAMETERS

    return Model(tuple(DEFAULT_PARAMETERS), fitted=False, reviews=0)


def training_items(replayed: Replay, latest: int | None = None) -> list[list[tuple[int, int]]]:
    """Every answer on a later day than its card's previous one, with the history
    before it: what FSRS learns from. `latest`: about that many, from the cards
    first studied most recently, whole (the prefixes are built for those alone): a
    card's early answers are what fsrs-rs starts its fit from, so the latest answers
    of old cards alone would leave it nothing to start from."""
    cards = sorted(replayed.reviews, key=lambda pk: (-replayed.first[pk], pk))
    items: list[list[tuple[int, int]]] = []
    for pk in cards:
        if latest is not None and len(items) >= latest:
            break
        reviews = replayed.reviews[pk]
        items.extend(reviews[: n + 1] for n in range(1, len(reviews)) if reviews[n][1] > 0)
    return items


def fit(replayed: Replay) -> Model:
    """The defaults for a short log, else parameters fitted to the latest items."""
    items = training_items(replayed, MAX_FIT_ITEMS)
    if len(items) < MIN_FIT_ITEMS:
        return default_model()
    from fsrs_rs_python import DEFAULT_PARAMETERS, FSRS, TrainingConfig

    # fsrs-rs trains 5 epochs in batches of 512 by default: a learner's few thousand
    # items would get a dozen steps. Enough epochs for about 200 steps, at least 5.
    epochs = max(5, min(50, 200 * 512 // len(items)))
    try:
        found = FSRS(DEFAULT_PARAMETERS).compute_parameters(
            [_item(r) for r in items], training_config=TrainingConfig(num_epochs=epochs)
        )
    except ValueError:  # fsrs-rs: "NotEnoughData" once it has filtered the items
        return default_model()
    fitted = tuple(found)
    if fitted == tuple(DEFAULT_PARAMETERS):  # fsrs-rs found too little to learn from
        return default_model()
    return Model(fitted, fitted=True, reviews=len(items))


def states(model: Model, replayed: Replay, only: Iterable[int] | None = None) -> dict[int, Memory]:
    """Each card's memory after its last answer (`only`: of these cards, if answered)."""
    from fsrs_rs_python import FSRS

    keys = list(replayed.reviews) if only is None else [
        pk for pk in only if pk in replayed.reviews
    ]  # fmt: skip
    if not keys:
        return {}
    engine: Any = FSRS(list(model.parameters))
    found = engine.memory_state_batch([_item(replayed.reviews[pk]) for pk in keys])
    return {
        pk: Memory(
            float(state.stability),
            float(state.difficulty),
            replayed.last_day(pk),
        )
        for pk, state in zip(keys, found, strict=True)
    }


def review_gains(
    model: Model,
    memories: Sequence[Memory | None],
    today: dt.date,
    exam_day: dt.date,
    prior: float,
) -> list[float]:
    """How much answering each card today raises its recall on `exam_day`.

    An answer is right with the card's recall today (a new card: `prior`), leaving
    FSRS's Good state; a miss leaves Again, then the same day's repeat (SM-2 asks a
    failed card again until it is answered well) leaves Good from there. The gain
    is the expected recall on the exam day after that, less the recall it would
    have with no answer today.
    """
    from fsrs_rs_python import FSRS, MemoryState

    engine: Any = FSRS(list(model.parameters))
    gains = []
    for memory in memories:
        if memory is None:
            now, before, current, gap = prior, prior, None, 0
        else:
            now, before = model.recall(memory, today), model.recall(memory, exam_day)
            current = MemoryState(memory.stability, memory.difficulty)
            gap = max(0, (today - memory.last_day).days)
        states = engine.next_states(current, 0.9, gap)
        repeated = engine.next_states(states.again.memory, 0.9, 0).good.memory
        right = Memory(float(states.good.memory.stability), 0.0, today)
        wrong = Memory(float(repeated.stability), 0.0, today)
        after = now * model.recall(right, exam_day) + (1 - now) * model.recall(wrong, exam_day)
        gains.append(after - before)
    return gains
