"""The test-wise detector: does the wording of a deck's items give the answers away?

A candidate who has learned the house style rather than the material can beat an
item bank whose answers all sound alike (warm, tentative, "ask her", "talk to your
supervisor") while its distractors all sound alike too (directive, absolute, "tell
him he must"). Item-writing guides name these cues: the NBME item-writing guide
(absolute terms, "none of the above", negative stems, word repeats between stem and
answer) and Haladyna, Downing and Rodriguez's rules (2002: choices alike in content,
grammar and length; no specific determiners; avoid NOT/EXCEPT). This module measures
them on one deck's multiple-choice items. Pure: deck spec in, findings out;
quality.py turns the findings into warnings for `srs-crss check`.

The content-blind guessers read only the wording of the choices (and the stem's
words), never the subject. If one scores well above chance, practice scores flatter
the style-reader, and so would any forecast built on them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from srs_crss.decks.spec import CardSpec, DeckSpec
from srs_crss.model import CardType

GUESSER_MARGIN = 0.05
"""A content-blind guesser may beat chance by at most this much (5 points: 30% on
four-choice items): near chance, allowing for the noise of a crude rule."""

SUPERVISOR_SHARE = 0.40
"""Of the items offering the supervisor as a choice, at most this share may have it
as the answer (an exam-wise candidate otherwise learns "pick the supervisor")."""

ABSOLUTE_ONLY_SHARE = 0.05
"""At most this share of items may carry absolutes (never, always, must...) in two or
more distractors and none in the answer: the classic "specific determiner" cue."""

SHARED_QUESTION_SHARE = 0.06
"""No one question wording ("What is the BEST response?") may end more than this
share of a deck's items: a stock question tells the candidate what kind of answer
wins."""

TONE_GAP = 2
"""An item whose answer outscores every distractor's tone by this much reads as house
style on its own: the answer is the only warm, person-led choice."""

MIN_ITEMS = 20
"""Deck-wide rates are judged only on decks with at least this many items."""

PEER_WORDS = frozenset(
    """ask asks asking asked listen listens listening support supports supporting
    explore explores exploring supervisor supervisor's supervision invite invites
    inviting offer offers offering respect respects respecting acknowledge
    acknowledges acknowledging validate validates validating reflect reflects
    reflecting together collaborate collaborating own choice choices choose
    empower empowering encourage encouraging curious curiosity gently calmly
    understanding wish wishes wants preference preferences help helps helping""".split()
)
"""Peer-values words: the warm, person-led vocabulary of the right answers in a
house-style bank."""

DIRECTIVE_WORDS = frozenset(
    """tell tells telling told insist insists insisting demand demands order orders
    warn warns lecture lectures lecturing refuse refuses refusing require
    requires requiring forbid forbids threaten threatens threatening
    instruct instructs instructing correct correcting""".split()
)
"""Directive words: the controlling vocabulary of the distractors in such a bank."""

ABSOLUTE_WORDS = frozenset("never always only all must every none nothing cannot can't".split())
"""Specific determiners (Haladyna's term): true statements rarely need them."""

NEGATIVE_STEM = re.compile(
    r"\b(?:NOT|EXCEPT|LEAST|OUTSIDE)\b"
    r"|\bwhich (?:of these |of the following |one )?(?:is|are|does|would) not\b"
    r"|\bis not (?:one of|part of|among)\b"
)
"""A stem that asks for the wrong thing: candidates misread it, and it tests the
reading of the stem rather than the fact."""

ALL_OR_NONE = re.compile(
    r"^\s*(?:all|none|both|neither) (?:of (?:the )?(?:above|these|them)|of the choices)\b",
    re.IGNORECASE,
)
"""All/none of the above (and its kin): the NBME guide's first rule for choices."""

_WORD = re.compile(r"[a-z0-9']+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_PARTS = re.compile(r"\band\b|,|;|\bthen\b")
_STOP = frozenset(
    """a an and are as at be been being but by can could did do does for from had has
    have he her hers him his how i if in into is it its me my no not of on or our she
    should so than that the their them then there these they this those to up was we
    were what when where which who whom why will with would you your yourself""".split()
)


@dataclass(frozen=True, slots=True)
class ItemFinding:
    """One item that breaks a hard item-writing rule."""

    card: CardSpec
    message: str


@dataclass(frozen=True, slots=True)
class DeckFinding:
    """One deck-wide rate over its limit, with example items to fix first."""

    message: str
    examples: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Report:
    """What the detector measured on one deck (for `check`, tests and authors)."""

    items: int
    chance: float
    guessers: dict[str, float]
    """Each content-blind guesser's expected score (ties split evenly)."""
    supervisor_offered: int
    supervisor_answer: int
    absolute_only: tuple[str, ...]
    """Ids of items whose absolutes sit only in two or more distractors."""
    top_question: tuple[str, int]
    """The most shared question wording and how many items end with it."""
    item_findings: tuple[ItemFinding, ...]
    deck_findings: tuple[DeckFinding, ...]


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def tone(choice: str) -> int:
    """Peer-values words count up, directive and absolute words count down."""
    words = _words(choice)
    return sum((w in PEER_WORDS) - (w in DIRECTIVE_WORDS) - (w in ABSOLUTE_WORDS) for w in words)


def _content_words(text: str) -> set[str]:
    return {w for w in _words(text) if len(w) >= 4 and w not in _STOP}


def _echo(stem: str) -> Callable[[str], int]:
    """How many of the stem's content words a choice repeats (the "clang" cue)."""
    stem_words = _content_words(stem)
    return lambda choice: len(stem_words & _content_words(choice))


def _expected_score(card: CardSpec, score: Callable[[str], int]) -> float:
    """A guesser picking the highest-scoring choice; ties are split evenly."""
    scores = [score(choice) for choice in card.choices]
    best = max(scores)
    winners = [c for c, s in zip(card.choices, scores, strict=True) if s == best]
    return 1 / len(winners) if card.answer in winners else 0.0


def _guess_tone(card: CardSpec) -> float:
    return _expected_score(card, tone)


def _guess_echo(card: CardSpec) -> float:
    return _expected_score(card, _echo(card.front))


def parts(choice: str) -> int:
    """How many actions a choice strings together ("X, and Y, then Z")."""
    return len(_PARTS.findall(choice.lower()))


def _guess_parts(card: CardSpec) -> float:
    """The fullest, most qualified choice: the answer is often the one doing two things."""
    return _expected_score(card, parts)


def _guess_tone_then_echo(card: CardSpec) -> float:
    """Tone first, the stem's words to break ties: a guesser using both cues."""
    echo = _echo(card.front)
    return _expected_score(card, lambda choice: 100 * tone(choice) + echo(choice))


GUESSERS: dict[str, Callable[[CardSpec], float]] = {
    "tone of the choices": _guess_tone,
    "words shared with the question": _guess_echo,
    "tone, then words shared with the question": _guess_tone_then_echo,
    "number of parts in each choice": _guess_parts,
}
"""Each reads only the wording, never the subject."""


def _has_absolute(text: str) -> bool:
    return any(w in ABSOLUTE_WORDS for w in _words(text))


def _absolute_only_in_distractors(card: CardSpec) -> bool:
    distractors = [c for c in card.choices if c != card.answer]
    return not _has_absolute(card.answer or "") and sum(map(_has_absolute, distractors)) >= 2


def _mentions_supervisor(text: str) -> bool:
    return "supervis" in text.lower()


def question_wording(front: str) -> str:
    """The question a stem ends with, normalised: its last sentence."""
    last = _SENTENCE_END.split(front.strip())[-1]
    return " ".join(_words(last))


def _item_findings(card: CardSpec) -> list[ItemFinding]:
    found: list[ItemFinding] = []
    answer_tone = tone(card.answer or "")
    best_other = max((tone(c) for c in card.choices if c != card.answer), default=0)
    if answer_tone - best_other >= TONE_GAP:
        found.append(
            ItemFinding(
                card,
                f"only the answer has the warm, person-led words (tone {answer_tone:+d}, "
                f"distractors at most {best_other:+d}): give the distractors the same tone",
            )
        )
    if NEGATIVE_STEM.search(card.front):
        found.append(ItemFinding(card, "negative stem (NOT, EXCEPT...): ask for the right thing"))
    for choice in card.choices:
        if ALL_OR_NONE.search(choice):
            message = f"choice {choice!r}: no all/none of the above; write a real option"
            found.append(ItemFinding(card, message))
    return found


def analyse(deck: DeckSpec) -> Report:
    """Measure every cue on the deck's multiple-choice items."""
    items = [c for c in deck.cards if c.type is CardType.MCQ and len(c.choices) >= 2]
    chance = sum(1 / len(c.choices) for c in items) / len(items) if items else 0.0
    guessers = {
        name: (sum(map(guess, items)) / len(items) if items else 0.0)
        for name, guess in GUESSERS.items()
    }
    offered = [c for c in items if any(map(_mentions_supervisor, c.choices))]
    supervisor = [c for c in offered if _mentions_supervisor(c.answer or "")]
    absolute_only = tuple(c.id for c in items if _absolute_only_in_distractors(c))
    questions = Counter(question_wording(c.front) for c in items)
    top = questions.most_common(1)[0] if questions else ("", 0)
    findings = tuple(f for c in items for f in _item_findings(c))
    report = Report(
        items=len(items),
        chance=chance,
        guessers=guessers,
        supervisor_offered=len(offered),
        supervisor_answer=len(supervisor),
        absolute_only=absolute_only,
        top_question=top,
        item_findings=findings,
        deck_findings=(),
    )
    deck_findings = _deck_findings(report, items, supervisor) if len(items) >= MIN_ITEMS else ()
    return replace(report, deck_findings=tuple(deck_findings))


def _deck_findings(
    report: Report, items: Sequence[CardSpec], supervisor: Sequence[CardSpec]
) -> list[DeckFinding]:
    found: list[DeckFinding] = []
    limit = report.chance + GUESSER_MARGIN
    for name, score in report.guessers.items():
        if score > limit:
            guess = GUESSERS[name]
            examples = tuple(c.id for c in items if guess(c) == 1.0)
            found.append(
                DeckFinding(
                    f"a guesser reading only the {name} scores {score:.0%} "
                    f"(chance is {report.chance:.0%}, limit {limit:.0%}): the wording gives "
                    f"answers away; give distractors the answer's tone and words",
                    examples,
                )
            )
    if report.supervisor_offered and (
        report.supervisor_answer > SUPERVISOR_SHARE * report.supervisor_offered
    ):
        found.append(
            DeckFinding(
                f"the supervisor is the answer in {report.supervisor_answer} of the "
                f"{report.supervisor_offered} items offering it (over {SUPERVISOR_SHARE:.0%}): "
                f"candidates learn to pick the supervisor",
                tuple(c.id for c in supervisor),
            )
        )
    if len(report.absolute_only) > ABSOLUTE_ONLY_SHARE * report.items:
        found.append(
            DeckFinding(
                f"{len(report.absolute_only)} of {report.items} items put absolutes (never, "
                f"always, only, must...) in two or more distractors and none in the answer "
                f"(over {ABSOLUTE_ONLY_SHARE:.0%})",
                report.absolute_only,
            )
        )
    wording, count = report.top_question
    if count > SHARED_QUESTION_SHARE * report.items:
        found.append(
            DeckFinding(
                f"{count} of {report.items} items end with the question {wording!r} "
                f"(over {SHARED_QUESTION_SHARE:.0%}): vary the question",
                tuple(c.id for c in items if question_wording(c.front) == wording),
            )
        )
    return found
