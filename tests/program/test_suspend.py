"""Suspended cards stay out of review (history kept); a card forgotten too often is a leech."""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from functools import partial
from pathlib import Path

from srs_crss.service import App
from srs_crss.settings.run import Settings
from srs_crss.sm2 import CardState, Review, review
from srs_crss.study.policy import LEECH_LAPSES
from tests.conftest import NOW, Invoke


def _sm2(grade: int, day: dt.date, state: CardState) -> Review:
    return review(state, grade, day)


def shown(output: str) -> list[str]:
    return re.findall(r"^\[(\S+)\]", output, flags=re.MULTILINE)


def test_suspend_and_unsuspend(cli: Invoke, three: Path) -> None:
    cli("review", "--new", "3", input="4\n4\n4\n")
    result = cli("suspend", "many/c01")
    assert "Suspended many/c01: it stays out of review until" in result.output
    assert "already suspended" in cli("suspend", "many/c01").output
    tomorrow = cli("review", "--new", "0", input="4\n4\n4\n", now="2026-11-23T10:00:00+00:00")
    assert shown(tomorrow.output) == ["many/c00", "many/c02"]
    stats = json.loads(cli("stats", "--json", now="2026-11-23T10:00:00+00:00").stdout)
    assert stats["suspended"] == 1 and stats["leeches"] == []
    history = json.loads(cli("show", "many/c01", "--json").stdout)["history"]
    assert len(history) == 1  # kept
    assert "back in review" in cli("unsuspend", "many/c01").output
    assert "was not suspended" in cli("unsuspend", "many/c01").output
    later = cli("review", "--new", "0", input="4\n", now="2026-11-23T11:00:00+00:00")
    assert shown(later.output) == ["many/c01"]


def test_the_s_key_suspends_the_card_on_screen(cli: Invoke, three: Path) -> None:
    result = cli("review", "--new", "2", input="s\n4\n")
    assert "Suspended many/c00: out of review until" in result.output
    assert shown(result.output) == ["many/c00", "many/c01"]
    assert shown(cli("review", "--new", "3", input="4\n").output) == ["many/c02"]


def test_a_card_forgotten_too_often_becomes_a_leech(cli: Invoke, three: Path, db: Path) -> None:
    now = dt.datetime.fromisoformat(NOW)
    with App(Settings(database=str(db), learner="alex", environ={"SRS_CRSS_NOW": NOW})) as app:
        card = app.show("many/c00").card
        grades = [4, 1] * (LEECH_LAPSES - 1) + [4]  # learned then forgotten, 7 times; learned
        for n, grade in enumerate(grades):
            day = dt.date(2026, 10, 1) + dt.timedelta(days=n)
            app.store.reviews.apply(app.learner_id, card.pk, partial(_sm2, grade, day), now, None)
    result = cli("review", "--new", "0", input="1\n", now="2026-11-23T10:00:00+00:00")
    assert f"has now been forgotten {LEECH_LAPSES} times, so it is suspended" in result.output
    stats = json.loads(cli("stats", "--json", now="2026-11-23T10:00:00+00:00").stdout)
    assert stats["leeches"] == ["many/c00"] and stats["suspended"] == 1
    again = cli("review", "--new", "0", input="", now="2026-11-23T11:00:00+00:00")
    assert "many/c00" not in again.output  # not again today: out of review


def test_the_leech_threshold_is_a_setting(cli: Invoke, three: Path, db: Path) -> None:
    assert cli("config", "set", "leech-lapses", "2").exit_code == 0
    cli("review", "--new", "1", input="4\n", now="2026-11-20T10:00:00+00:00")
    day2, day3 = "2026-11-21T10:00:00+00:00", "2026-11-22T10:00:00+00:00"
    cli("review", "--new", "0", input="1\n4\n", now=day2)  # lapse 1, learned again
    result = cli("review", "--new", "0", input="1\n", now=day3)  # lapse 2: a leech
    assert "has now been forgotten 2 times, so it is suspended" in result.output
    assert cli("config", "set", "leech-lapses", "1").exit_code == 2


def test_u_takes_back_a_suspension_given_by_a_stray_s(cli: Invoke, three: Path) -> None:
    result = cli("review", "--new", "2", input="s\nu\n4\n4\n")
    out = " ".join(result.output.split())
    assert "Suspended many/c00: out of review until" in out and "(u: undo it now)" in out
    assert "Undid your suspension of many/c00; here it is again." in out
    # c00 suspended, c01 shown; u brings c00 back before it
    assert shown(result.output) == ["many/c00", "many/c01", "many/c00", "many/c01"]
    assert "Reviewed: 2" in result.output
    assert json.loads(cli("show", "many/c00", "--json").stdout)["suspended"] is None
    assert json.loads(cli("stats", "--json").stdout)["suspended"] == 0


def test_show_says_why_a_card_is_out_of_review(cli: Invoke, three: Path, db: Path) -> None:
    assert "Suspended" not in cli("show", "many/c01").output
    cli("suspend", "many/c01")
    shown_text = " ".join(cli("show", "many/c01").output.split())
    assert "Suspended: out of review until `srs-crss unsuspend many/c01`." in shown_text
    assert json.loads(cli("show", "many/c01", "--json").stdout)["suspended"] == "manual"
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE suspended SET reason = 'leech'")
    leech = " ".join(cli("show", "many/c01").output.split())
    assert "A leech: forgotten too often, so it is suspended" in leech
    assert json.loads(cli("show", "many/c01", "--json").stdout)["suspended"] == "leech"
    three.write_text(three.read_text().split('[[cards]]\nid = "c01"')[0])
    assert "retired" in cli("sync", str(three)).output
    retired = " ".join(cli("show", "many/c01").output.split())
    assert "Retired: its deck file no longer has it" in retired
