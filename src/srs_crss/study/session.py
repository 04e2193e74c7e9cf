"""A review session: the queue, its rules, answers and undo.

No terminal code here: srs_crss.ui drives a `Session` and draws it. Every answer is
written (state and log, one transaction) before `answer` returns: never lost.

Queue rules:
- cards due today or earlier, oldest due first; then new cards, mixed across
  exam domains in proportion to their share of the deck (the author's order
  kept within a domain; srs_crss.study.newcards), up to what is left of the day's
  new-card limit (counted from the review log, so a second session the same
  day does not exceed it);
- a card failed (grade < 3) or awaiting an extra review (grade 3, or < 4 on an
  extra review) is due again today: it comes back at the end of the queue until passed;
- before all of these, the cards behind questions missed in a practice exam
  (`srs-crss mock`) and not answered since: one due today is reviewed as
  usual; any other is answered as in a cram session, its SM-2 state as it was.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import islice
from typing import TYPE_CHECKING

from srs_crss import clock, sm2
from srs_crss.exams import planning
from srs_crss.model import (
    Card,
    CardType,
    NothingDue,
    Peek,
    Progress,
    QueueOptions,
    Summary,
    Suspension,
)
from srs_crss.study import newlimit
from srs_crss.study.duepages import DuePages
from srs_crss.study.newcards import interleave
from srs_crss.study.summary import Answered, summarise

if TYPE_CHECKING:
    from srs_crss.storage import Store

SPARE_NEW = 10  # new cards fetched beyond twice the day's number, as replacements
CONTENT_BATCH = 16  # cards whose content is loaded in one query, a batch ahead


@dataclass
class Session:
    """One sitting: builds the queue, records answers, undoes them.

    The queue is four lines, served in order: cards put back by undo, due cards (a page at
    a time), new cards, and cards to see again today (failed, or awaiting an extra review).
    """

    store: Store
    learner_id: int
    now: Callable[[], dt.datetime]
    rollover_hour: int = clock.DEFAULT_ROLLOVER_HOUR
    options: QueueOptions = QueueOptions()
    cards: dict[int, Card] = field(default_factory=dict)
    states: dict[int, sm2.CardState] = field(default_factory=dict)
    ahead: deque[int] = field(default_factory=deque)
    due: deque[int] = field(default_factory=deque)
    new: deque[int] = field(default_factory=deque)
    again: deque[int] = field(default_factory=deque)
    missed: deque[int] = field(default_factory=deque)  # missed in a practice exam: first
    kinds: Counter[sm2.ReviewKind] = field(default_factory=Counter)
    answered: list[Answered] = field(default_factory=list)
    floor_day: dt.date | None = None
    pages: DuePages | None = None
    exams: dict[str | None, dt.date] = field(default_factory=dict)
    answered_notes: dict[tuple[str, str], set[int]] = field(default_factory=dict)
    """(deck, note) -> the cards of that note answered today."""
    review_counts: dict[int, int] = field(default_factory=dict)  # seeds choice order
    spare_new: deque[int] = field(default_factory=deque)
    """New cards beyond the day's number, in order: they replace cards a sibling holds back."""
    note_of: dict[int, tuple[str, str]] = field(default_factory=dict)  # new cards' notes
    suspended_here: list[tuple[int, Card, sm2.CardState]] = field(default_factory=list)
    """Cards suspended in this session (answers given before, card, its state): undo takes
    a suspension back as it takes back an answer."""
    checked: set[int] = field(default_factory=set)  # found as queued when they came up
    peeked: dict[int, sm2.CardState] = field(default_factory=dict)  # read with the last answer
    checked_ready: bool = False  # the answer's statements rendered (`ready`)

    # ---- building ------------------------------------------------------------

    def today(self, now: dt.datetime | None = None) -> dt.date:
        """The study day for the next answer (given now): never before the last one logged."""
        day = clock.study_day(self.now() if now is None else now, self.rollover_hour)
        if self.floor_day is not None and day < self.floor_day:
            return self.floor_day
        return day

    def new_left_today(self) -> int:
        return newlimit.new_today(
            self.store, self.learner_id, self.today(), self.options.scope, self.exams,
            self.options.new_per_day,
        ).left  # fmt: skip

    def build(self) -> None:
        """Set up the queue: due cards first (lazily), then new ones."""
        self.floor_day = self.store.queue.latest_review_day(self.learner_id)
        self.exams = self.store.exams.all(self.learner_id)
        today, decks = self.today(), self.options.scope.decks
        self.answered_notes = self.store.queue.notes_answered(self.learner_id, today, decks)
        limit = self.options.limit
        if self.options.cram is not None:  # seen cards only, schedule untouched
            chosen = self.store.cram.cards(
                self.learner_id, self.options.scope, self.options.cram, today
            )
            for pk, state in chosen[:limit]:
                self._push(self.due, pk, state)
            return
        missed = self.store.queue.follow_ups(self.learner_id, self.options.scope)
        for pk, seen in missed[:limit]:
            self._push(self.missed, pk, seen or sm2.CardState())
        if limit is not None:
            limit -= len(self.missed)
        self.pages = DuePages(self.store, self.learner_id, today, self.options.scope, limit)
        for pk in self.missed:  # due ones are taken out of the due line's count
            if self._due(pk, today):
                self.pages.claim(self.states[pk])
        wanted_new = self.options.new if self.options.new is not None else self.new_left_today()
        if limit is not None:
            wanted_new = min(wanted_new, limit - self.pages.unfetched)
        if wanted_new > 0:
            # spares beyond the day's number, for the cards a sibling holds back
            lines, shares = self.store.queue.new_cards_by_domain(
                self.learner_id, self.options.scope, 2 * wanted_new + SPARE_NEW
            )
            order = interleave(lines, shares, sum(map(len, lines.values())))
            self.spare_new = deque(pk for pk in order if pk not in self.states)
            self.note_of = self.store.queue.notes_of(list(self.spare_new))
            self._fill_new(wanted_new)

    def _fill_new(self, wanted: int) -> None:
        """Put `wanted` more new cards in line, skipping any whose note (the card or a
        sibling) was answered today or is already in line: each new card held back by
        a sibling is replaced by the next one, so the day's number is met."""
        in_line = {self.note_of[pk] for pk in self.new}
        while wanted > 0 and self.spare_new:
            pk = self.spare_new.popleft()
            note = self.note_of[pk]
            if note in in_line or note in self.answered_notes or pk in self.states:
                continue
            in_line.add(note)
            self._push(self.new, pk, sm2.CardState())
            wanted -= 1

    def _due(self, pk: int, day: dt.date) -> bool:
        state = self.states[pk]
        return not state.is_new and state.due is not None and state.due <= day

    def _push(self, line: deque[int], pk: int, state: sm2.CardState, front: bool = False) -> None:
        self.states[pk] = state
        self.kinds[sm2.kind_of(state)] += 1
        if front:
            line.appendleft(pk)
        else:
            line.append(pk)

    def _head(self) -> deque[int] | None:
        """The line the current card comes from (refilling due cards as needed)."""
        if self.ahead:
            return self.ahead
        if self.missed:
            return self.missed
        if not self.due:
            self._fetch_due()
        for line in (self.due, self.new, self.again):
            if line:
                return line
        return None

    def _fetch_due(self) -> None:  # the next page of due cards, after those in line
        for pk, state in self.pages.next_page(self.states) if self.pages else ():
            self._push(self.due, pk, state)

    def nothing_due(self) -> NothingDue:
        """Explain an empty queue."""
        if self.options.cram is not None:
            return NothingDue(next_due=None, new_available=0, new_limit_reached=False, cram=True)
        today = self.today()
        scope = self.options.scope
        return NothingDue(
            next_due=self.store.queue.next_due(self.learner_id, today, scope),
            new_available=self.store.queue.count_new_available(self.learner_id, scope),
            new_limit_reached=self.options.new is None and self.new_left_today() == 0,
        )

    # ---- running -------------------------------------------------------------

    def current(self) -> Card | None:
        """The card to show now, or None when the session is over.

        A card whose sibling was answered today waits for another day (its due
        day untouched), as Anki's "bury siblings" does.
        """
        while (line := self._head()) is not None:
            pk = line[0]
            if pk not in self.cards:  # content is loaded a batch at a time, from the same line
                self._load(line, CONTENT_BATCH)
            card = self.cards[pk]
            held_back = not self.answered_notes.get((card.deck, card.note), {pk}) <= {pk}
            if not held_back and self._still_as_queued(line, pk):
                return card
            line.popleft()  # buried for today, or answered in another session since
            self.kinds[sm2.kind_of(self.states[pk])] -= 1
            if line is self.new and held_back:
                # the next eligible card takes a held-back sibling's place; one answered in
                # another session already counts against the day's new cards
                self._fill_new(1)
        return None

    def _still_as_queued(self, line: deque[int], pk: int) -> bool:
        """Whether the card is still in the state its queue was built from: else another
        session answered it, and it gets no second full review today (issue 24). Cards
        this session answered or undid, and cram, need no look; the next card's state
        comes with the previous answer (`Peek`), others cost one primary-key read."""
        if line is self.again or line is self.ahead or self.options.cram is not None:
            return True
        if pk not in self.checked:
            peeked = self.peeked.pop(pk, None)
            now = peeked if peeked is not None else self.store.queue.state(self.learner_id, pk)
            if now != self.states[pk]:
                return False
            self.checked.add(pk)
        return True

    def _load(self, line: deque[int], window: int) -> None:
        """Load up to CONTENT_BATCH cards not loaded yet among the first `window` of `line`
        (and a multiple-choice card's review count: it seeds the order of the choices)."""
        batch = [p for p in islice(line, 0, window) if p not in self.cards][:CONTENT_BATCH]
        loaded = self.store.decks.cards_by_pk(batch)
        self.cards.update(loaded)
        choice = [p for p, c in loaded.items() if c.type is CardType.MCQ]
        self.review_counts.update(self.store.queue.review_counts(self.learner_id, choice))

    def ready(self) -> None:
        """Called while the learner reads a card. The first time, the answer's statements are
        rendered, and start-up's objects leave the collector's young generations (1 ms of an
        answer). Each time, cards coming within a batch get their content, due cards are
        fetched when their line runs short, storage does its upkeep: no answer waits for it."""
        self.store.reading()
        if not self.checked_ready:
            self.store.reviews.prepare()
            gc.collect(1)
            self.checked_ready = True
        if self.pages is not None and self.pages.unfetched and len(self.due) <= CONTENT_BATCH:
            self._fetch_due()
        line = self._head()
        if line is not None and any(p not in self.cards for p in islice(line, CONTENT_BATCH)):
            self._load(line, 2 * CONTENT_BATCH)

    def state_of(self, card: Card) -> sm2.CardState:
        return self.states[card.pk]

    def review_count(self, card: Card) -> int:
        """Answers to `card` logged (kept up to date by answers and undo)."""
        if card.pk not in self.review_counts:
            self.review_counts |= self.store.queue.review_counts(self.learner_id, [card.pk])
        return self.review_counts[card.pk]

    def progress(self) -> Progress:
        kinds = self.kinds + (self.pages.kinds if self.pages else Counter())
        kinds -= Counter(sm2.kind_of(self.states[pk]) for pk in self.missed)
        # every card waiting to come back this session counts as "again today" (a failed
        # one too: by kind it would be a review after a miss)
        kinds -= Counter(sm2.kind_of(self.states[pk]) for pk in self.again)
        kinds[sm2.ReviewKind.EXTRA] += len(self.again)
        unfetched = self.pages.unfetched if self.pages else 0
        return Progress(
            done=len(self.answered),
            left=unfetched
            + sum(map(len, (self.ahead, self.missed, self.due, self.new, self.again))),
            new=kinds[sm2.ReviewKind.NEW],
            review=kinds[sm2.ReviewKind.REVIEW] + kinds[sm2.ReviewKind.RELEARN],
            extra=kinds[sm2.ReviewKind.EXTRA],
            missed=len(self.missed),
        )

    def answer(self, grade: sm2.Grade, duration_ms: int, picked: str | None = None) -> Answered:
        """Grade the current card (`picked`: the choice picked on a multiple-choice card);
        committed to the database before returning."""
        card = self.current()
        line = self._head()
        if card is None or line is None:
            raise IndexError("no card to answer")
        pk = card.pk
        now = self.now()  # once: with a real clock, reading the local zone takes a while
        day, moment = self.today(now), clock.to_utc(now)
        practice = line is self.missed and not self._due(pk, day)
        if self.options.cram is not None or practice:
            return self._cram_answer(card, line, grade, day, moment, duration_ms, picked)
        exam_day = planning.exam_for(card.deck, self.exams)
        peek = Peek(line[1]) if len(line) > 1 and line[1] not in self.checked else None
        review_id, outcome = self.store.reviews.apply(
            self.learner_id,
            pk,
            lambda state: planning.cap(sm2.review(state, grade, day), exam_day),
            moment,
            duration_ms,
            picked,
            known=self.states.get(pk),
            peek=peek,
        )
        self.peeked = {peek.card_pk: peek.state} if peek and peek.state is not None else {}
        if pk in self.review_counts:
            self.review_counts[pk] += 1
        line.popleft()
        self.kinds[sm2.kind_of(outcome.before)] -= 1
        again_today = outcome.after.due is not None and outcome.after.due <= day
        if again_today:
            self._push(self.again, pk, outcome.after)
        else:
            self.states[pk] = outcome.after
        self.floor_day = max(self.floor_day or day, day)
        self.answered_notes.setdefault((card.deck, card.note), set()).add(pk)
        threshold = self.options.leech_lapses
        leech = outcome.before.lapses < threshold <= outcome.after.lapses
        if leech:
            self.store.suspensions.add(self.learner_id, pk, Suspension.LEECH, moment)
            if again_today:  # out of review: not again today either
                self.again.pop()
                self.kinds[sm2.kind_of(outcome.after)] -= 1
        done = Answered(review_id, card, outcome, duration_ms, again_today and not leech, leech)
        self.answered.append(done)
        return done

    def _cram_answer(
        self,
        card: Card,
        line: deque[int],
        grade: sm2.Grade,
        day: dt.date,
        moment: dt.datetime,
        duration_ms: int,
        picked: str | None,
    ) -> Answered:
        """A cram answer: logged apart, the state as it was; a failed card comes once more."""
        answer_id = self.store.cram.record(
            self.learner_id, card.pk, moment, day, int(grade), duration_ms, picked
        )
        state = self.states[card.pk]
        line.popleft()
        self.kinds[sm2.kind_of(state)] -= 1
        again = grade < 3
        if again:
            self._push(self.again, card.pk, state)
        outcome = sm2.Review(state, state, sm2.Grade(grade), day, sm2.kind_of(state))
        done = Answered(answer_id, card, outcome, duration_ms, again, cram=True)
        self.answered.append(done)
        return done

    def suspend(self) -> Card | None:
        """Take the current card out of review (until unsuspended); the next one comes."""
        card = self.current()
        line = self._head()
        if card is None or line is None:
            return None
        self.store.suspensions.add(
            self.learner_id, card.pk, Suspension.MANUAL, clock.to_utc(self.now())
        )
        line.popleft()
        self.kinds[sm2.kind_of(self.states[card.pk])] -= 1
        self.suspended_here.append((len(self.answered), card, self.states[card.pk]))
        return card

    def flag(self, note: str) -> None:
        """Tell the deck's authors the current card looks wrong (scheduling unchanged)."""
        card = self.current()
        if card is not None:
            self.store.flags.add(self.learner_id, card.pk, " ".join(note.split()), self.now())

    def can_undo(self) -> bool:
        return bool(self.answered or self.suspended_here)

    def undo_takes_back_a_suspension(self) -> bool:
        """Whether the last thing done, the one `undo` takes back, was a suspension."""
        return bool(self.suspended_here) and self.suspended_here[-1][0] == len(self.answered)

    def undo(self) -> Card | None:
        """Take back the previous answer (or suspension); its card is shown again next."""
        if self.undo_takes_back_a_suspension():
            _, card, state = self.suspended_here.pop()
            self.store.suspensions.remove(self.learner_id, card.pk)
            self._push(self.ahead, card.pk, state, front=True)
            return card
        if not self.answered:
            return None
        last = self.answered.pop()
        if last.cram:
            self.store.cram.remove(last.review_id)
        else:
            self.store.reviews.undo(self.learner_id, last.review_id)
            if last.card.pk in self.review_counts:
                self.review_counts[last.card.pk] -= 1
        if last.leech:
            self.store.suspensions.remove(self.learner_id, last.card.pk)
        decks = self.options.scope.decks
        self.answered_notes = self.store.queue.notes_answered(self.learner_id, self.today(), decks)
        pk = last.card.pk
        if last.requeued:
            # remove the copy queued for later today (the last occurrence)
            for index in range(len(self.again) - 1, -1, -1):
                if self.again[index] == pk:
                    del self.again[index]
                    self.kinds[sm2.kind_of(last.outcome.after)] -= 1
                    break
        self._push(self.ahead, pk, last.outcome.before, front=True)
        return last.card

    def summary(self) -> Summary:
        return summarise(self.answered, self.store, self.learner_id, self.today(), self.options)
