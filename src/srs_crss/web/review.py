"""The review pages: choose what to study, then one card at a time, then the summary.

The same choices as `srs-crss review` (deck, domain, tag, cram) and the same
steps as its screen: show the answer (or pick a choice), grade 0-5, undo,
suspend, flag. Each click is a POST that changes the `Sitting` and answers
303 to the card page, so the page works with scripts off.
"""

from __future__ import annotations

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from srs_crss.errors import SrsError, UsageError
from srs_crss.model import LETTERS, CardType
from srs_crss.sm2 import Grade
from srs_crss.web.base import Web, see_other
from srs_crss.web.sittings import Sitting, default_grade, grades_after

MODES = {
    "due": "Due cards, then new ones (normal study)",
    "cram": "Go over cards I have seen, without changing their schedule (cram)",
    "mistakes": "Cram the cards I got wrong in the last few days",
    "ahead": "Cram the cards due in the next few days",
}
MAX_CARDS = 100_000
STALE_NOTE = "That click was for a card you had already answered, so nothing changed."


async def start_form(web: Web, request: Request) -> Response:
    return _form(web, request, {}, [])


def _form(
    web: Web, request: Request, given: dict[str, str], errors: list[tuple[str, str]]
) -> Response:
    decks = web.app.decks()
    topics = web.app.topics(None)
    return web.page(
        request,
        "review_start.html",
        400 if errors else 200,
        decks=decks,
        topics=topics,
        modes=MODES,
        given=given,
        errors=errors,
    )


def _number(form: FormData, name: str, low: int, high: int, label: str) -> int | None:
    text = str(form.get(name) or "").strip()
    if not text:
        return None
    if not text.isdigit() or not low <= int(text) <= high:
        raise UsageError(f"{label}: give a whole number from {low} to {high}")
    return int(text)


async def start(web: Web, request: Request) -> Response:
    form = await web.posted(request)
    given = {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf"}
    deck = given.get("deck") or None
    mode = given.get("mode", "due")
    try:
        if mode not in MODES:
            raise UsageError("choose what to study from the list")
        days = _number(form, "days", 1, 365, "Days")
        session = web.app.review_session(
            decks=(deck,) if deck else (),
            domain=given.get("domain") or None,
            tag=given.get("tag") or None,
            new=_number(form, "new", 0, MAX_CARDS, "New cards"),
            limit=_number(form, "limit", 1, MAX_CARDS, "At most"),
            cram=mode != "due",
            mistakes=(days or 7) if mode == "mistakes" else None,
            ahead=(days or 7) if mode == "ahead" else None,
        )
    except SrsError as exc:
        return _form(web, request, given, [("deck", _sentence(str(exc)))])
    key = web.sittings.add(Sitting(session))
    return see_other(f"/review/{key}")


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + ("" if text.endswith((".", "?", ")")) else ".")


def _sitting(web: Web, request: Request) -> tuple[str, Sitting]:
    key = request.path_params["key"]
    sitting = web.sittings.get(key)
    if sitting is None:
        raise HTTPException(
            404, "This review session is over (or the server was restarted): start a new one."
        )
    return key, sitting


async def show(web: Web, request: Request) -> Response:
    key, sitting = _sitting(web, request)
    notes = sitting.take_notes()
    card = sitting.current()
    progress = sitting.session.progress()
    if card is None:
        first = not sitting.session.answered and not sitting.ended
        return web.page(
            request,
            "review_done.html",
            key=key,
            notes=notes,
            summary=None if first else sitting.session.summary(),
            nothing=sitting.session.nothing_due() if first else None,
            can_undo=sitting.session.can_undo(),
            step=sitting.step,
        )
    choices = sitting.choices(card)
    allowed = grades_after(card, sitting.picked) if sitting.revealed else ""
    return web.page(
        request,
        "review_card.html",
        key=key,
        card=card,
        mcq=card.type is CardType.MCQ,
        choices=list(zip(LETTERS, choices, strict=False)),
        picked=sitting.picked,
        revealed=sitting.revealed,
        right=sitting.picked == card.answer,
        answer_letter=LETTERS[choices.index(card.answer)] if card.answer in choices else "",
        grades=[(g, Grade(int(g)).meaning) for g in allowed],
        default=default_grade(allowed),
        progress=progress,
        notes=notes,
        verdict=sitting.last_verdict if sitting.revealed else "",
        can_undo=sitting.session.can_undo(),
        step=sitting.step,
    )


async def act(web: Web, request: Request) -> Response:
    key, sitting = _sitting(web, request)
    form = await web.posted(request)
    action = str(form.get("action") or "")
    if action != "end" and str(form.get("step") or "") != str(sitting.step):
        sitting.notes.append(STALE_NOTE)  # sent for a card already answered: nothing done
    elif action == "show":
        sitting.reveal()
    elif action == "pick":
        sitting.pick(str(form.get("choice") or ""))
        if sitting.picked is None:
            sitting.notes.append("Choose one of the answers first.")
    elif action == "grade":
        if not sitting.grade(str(form.get("grade") or "")):
            sitting.notes.append("That grade is not one you can give now.")
    elif action == "undo":
        sitting.undo()
    elif action == "suspend":
        sitting.suspend()
    elif action == "flag":
        sitting.flag(str(form.get("note") or ""))
    elif action == "end":
        sitting.ended = True
    else:
        raise HTTPException(400, "That button does nothing here.")
    return see_other(f"/review/{key}")
