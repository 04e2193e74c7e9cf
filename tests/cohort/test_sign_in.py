"""Signing in to a cohort server: argon2id, throttling with the wait in words, sessions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest

from srs_crss.cohort.accounts import Role, wait_after, wait_in_words
from srs_crss.errors import UsageError
from srs_crss.service import App
from srs_crss.service import accounts as service_accounts
from srs_crss.service.accounts import SignInRefused, TooManyTries
from srs_crss.settings.run import Settings

START = dt.datetime(2026, 12, 6, 10, 0, tzinfo=dt.UTC)
AppAt = Callable[[dt.timedelta], App]


@pytest.fixture
def app_at(db: Path) -> AppAt:
    """An App for the cohort database `minutes` after START."""

    def make(later: dt.timedelta = dt.timedelta()) -> App:
        moment = (START + later).isoformat()
        return App(Settings(str(db), "admin", environ={"SRS_CRSS_NOW": moment}))

    return make


@pytest.fixture
def sam(app_at: AppAt) -> str:
    """Account sam with the password "correct horse battery"."""
    with app_at(dt.timedelta()) as app:
        one_time = app.accounts.add("sam").password
        app.accounts.change_password("sam", one_time, "correct horse battery")
    return "correct horse battery"


def test_a_wrong_password_and_an_unknown_name_get_the_same_answer(app_at: AppAt, sam: str) -> None:
    with app_at(dt.timedelta()) as app:
        with pytest.raises(SignInRefused) as wrong:
            app.accounts.sign_in("sam", "not it at all", "10.0.0.1")
        with pytest.raises(SignInRefused) as nobody:
            app.accounts.sign_in("nobody", "not it at all", "10.0.0.2")
        assert str(wrong.value) == str(nobody.value)
        assert not app.accounts.sign_in("sam", sam, "10.0.0.1").account.must_change


def test_repeated_failures_lock_the_account_with_the_wait_in_words(app_at: AppAt, sam: str) -> None:
    with app_at(dt.timedelta()) as app:
        for address in range(4):  # from different addresses: the account's count matters
            with pytest.raises(SignInRefused):
                app.accounts.sign_in("sam", "guess", f"10.0.0.{address}")
        with pytest.raises(TooManyTries) as locked:
            app.accounts.sign_in("sam", "guess", "10.0.0.9")
        assert locked.value.wait == "1 minute"
        # while locked, even the right password is not checked
        with pytest.raises(TooManyTries):
            app.accounts.sign_in("sam", sam, "10.0.0.10")
    with app_at(dt.timedelta(seconds=61)) as app:  # the wait is over; the next miss doubles it
        with pytest.raises(TooManyTries) as longer:
            app.accounts.sign_in("sam", "guess", "10.0.0.1")
        assert longer.value.wait == "about 2 minutes"
    with app_at(dt.timedelta(minutes=4)) as app:
        assert app.accounts.sign_in("sam", sam, "10.0.0.1")  # a success starts the count again
        with pytest.raises(SignInRefused):
            app.accounts.sign_in("sam", "guess", "10.0.0.1")


def test_one_address_trying_many_names_is_locked_too(app_at: AppAt, sam: str) -> None:
    with app_at(dt.timedelta()) as app:
        for n in range(19):
            with pytest.raises(SignInRefused):
                app.accounts.sign_in(f"name{n}", "guess", "192.0.2.7")
        with pytest.raises(TooManyTries):
            app.accounts.sign_in("name19", "guess", "192.0.2.7")
        with pytest.raises(TooManyTries):  # sam's right password, from the locked address
            app.accounts.sign_in("sam", sam, "192.0.2.7")
        assert app.accounts.sign_in("sam", sam, "198.51.100.1")  # elsewhere: fine


def test_sessions_expire_when_idle_and_sign_out_ends_them(app_at: AppAt, sam: str) -> None:
    with app_at(dt.timedelta()) as app:
        first = app.accounts.sign_in("sam", sam, "10.0.0.1")
        second = app.accounts.sign_in("sam", sam, "10.0.0.1")
        assert app.accounts.resolve(first.token) is not None
        assert app.accounts.resolve("") is None and app.accounts.resolve("made-up") is None
        assert app.accounts.sign_out(first.token)
        assert app.accounts.resolve(first.token) is None
        assert app.accounts.resolve(second.token) is not None
    with app_at(dt.timedelta(hours=11)) as app:  # used: the idle clock starts again
        assert app.accounts.resolve(second.token) is not None
    with app_at(dt.timedelta(hours=22)) as app:
        assert app.accounts.resolve(second.token) is not None
    with app_at(dt.timedelta(hours=34, minutes=1)) as app:  # 12 hours unused
        assert app.accounts.resolve(second.token) is None
        assert app.accounts.resolve(second.token) is None  # and deleted: gone for good
        assert app.accounts.expire() == 1  # the one changing the password opened, unused


def test_a_server_remembers_a_session_briefly_and_forgets_it_when_it_ends_here(
    app_at: AppAt, sam: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = [1000.0]
    monkeypatch.setattr(
        "srs_crss.service.accounts.time", SimpleNamespace(monotonic=lambda: clock[0])
    )
    with app_at(dt.timedelta()) as server, app_at(dt.timedelta()) as elsewhere:
        token = server.accounts.sign_in("sam", sam, "10.0.0.1").token
        assert server.accounts.resolve(token) is not None
        elsewhere.accounts.reset("sam")  # `users reset` run by another process
        assert server.accounts.resolve(token) is not None  # remembered a few seconds
        clock[0] += service_accounts.SESSION_MEMORY
        assert server.accounts.resolve(token) is None  # then asked again: ended
    with app_at(dt.timedelta()) as server:
        one_time = server.accounts.reset("sam").password
        first = server.accounts.sign_in("sam", one_time, "10.0.0.1")
        assert server.accounts.resolve(first.token) is not None
        changed = server.accounts.change_password("sam", one_time, "a long new passphrase")
        assert server.accounts.resolve(first.token) is None  # changed here: forgotten at once
        assert server.accounts.resolve(changed.token) is not None
        assert server.accounts.sign_out(changed.token)
        assert server.accounts.resolve(changed.token) is None  # signed out here: at once


def test_sessions_end_after_two_weeks_however_much_they_are_used(app_at: AppAt, sam: str) -> None:
    with app_at(dt.timedelta()) as app:
        token = app.accounts.sign_in("sam", sam, "10.0.0.1").token
    for hours in range(10, 14 * 24, 10):
        with app_at(dt.timedelta(hours=hours)) as app:
            assert app.accounts.resolve(token) is not None
    with app_at(dt.timedelta(days=14, seconds=1)) as app:
        assert app.accounts.resolve(token) is None


def test_the_new_password_must_be_a_real_one(app_at: AppAt) -> None:
    with app_at(dt.timedelta()) as app:
        one_time = app.accounts.add("jordan", Role.LEARNER).password
        for bad in ("short", "jordan-is-my-name", one_time, "aaaaaaaaaaaaaa", "x" * 300):
            with pytest.raises(UsageError):
                app.accounts.change_password("jordan", one_time, bad)
        with pytest.raises(SignInRefused):
            app.accounts.change_password("jordan", "not the one-time one", "a fine passphrase")
        assert app.accounts.all()[0].must_change


@pytest.mark.parametrize(
    ("seconds", "words"),
    [(5, "less than a minute"), (60, "1 minute"), (61, "about 2 minutes"), (3600, "about an hour")],
)
def test_waits_in_words(seconds: int, words: str) -> None:
    assert wait_in_words(dt.timedelta(seconds=seconds)) == words


def test_waits_double_and_stop_at_an_hour() -> None:
    waits = [wait_after(n) for n in range(1, 20)]
    assert waits[:4] == [None] * 4
    assert waits[4:7] == [dt.timedelta(minutes=m) for m in (1, 2, 4)]
    assert max(w for w in waits if w) == dt.timedelta(hours=1)


def test_hostile_input_is_refused_plainly(app_at: AppAt, sam: str) -> None:
    with app_at(dt.timedelta()) as app:
        for name, password in (
            ("sam", "\ud800broken"),  # a lone surrogate, as a forged form can carry
            ("sam", "x" * 100_000),  # never hashed: refused on length
            ("\x1b[2J" + "s" * 500, "whatever"),
            ("", ""),
        ):
            with pytest.raises(SignInRefused):
                app.accounts.sign_in(name, password, "10.0.0.1")
        with pytest.raises(UsageError):
            app.accounts.change_password("sam", sam, "a fine pass\ud800phrase")
        assert app.accounts.sign_in("sam", sam, "10.0.0.2")


def test_a_one_time_password_expires_after_a_week(app_at: AppAt) -> None:
    with app_at(dt.timedelta()) as app:
        one_time = app.accounts.add("jo").password
    with app_at(dt.timedelta(days=6)) as app:
        assert app.accounts.sign_in("jo", one_time, "10.0.0.1").account.must_change
    with app_at(dt.timedelta(days=7, minutes=1)) as app:
        with pytest.raises(SignInRefused, match="expired"):
            app.accounts.sign_in("jo", one_time, "10.0.0.1")
        with pytest.raises(SignInRefused, match="expired"):
            app.accounts.change_password("jo", one_time, "a fine passphrase")
        fresh = app.accounts.reset("jo").password
        assert app.accounts.change_password("jo", fresh, "a fine passphrase")


def test_only_an_instructor_sees_the_class(app_at: AppAt) -> None:
    from srs_crss.service.cohort import Cohort, NotAllowed

    with app_at(dt.timedelta()) as app:
        learner = app.accounts.add("jo").account
        teacher = app.accounts.add("Ms Lee", Role.INSTRUCTOR).account
    with pytest.raises(NotAllowed, match="only an instructor"):
        Cohort.check(learner)
    Cohort.check(teacher)


def test_expire_forgets_old_failures_so_guessing_cannot_fill_the_disk(
    app_at: AppAt, sam: str
) -> None:
    with app_at(dt.timedelta()) as app:
        for n in range(3):
            with pytest.raises(SignInRefused):
                app.accounts.sign_in(f"guess{n}", "nope", f"203.0.113.{n}")
        assert app.accounts.ctx.store.accounts.failure_records() == 6  # 3 names, 3 addresses
        app.accounts.expire()
        assert app.accounts.ctx.store.accounts.failure_records() == 6  # still fresh
    with app_at(dt.timedelta(hours=25)) as app:
        app.accounts.expire()
        assert app.accounts.ctx.store.accounts.failure_records() == 0
