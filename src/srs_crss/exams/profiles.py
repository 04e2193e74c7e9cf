"""Practice-exam profiles: the shape of each real exam, read from data/profiles.toml.

The file ships inside the package; every figure in it names its source or
says it is not published. `load` validates it once, so a bad edit is an
error naming the file, not a wrong exam.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import NamedTuple

from srs_crss.errors import UsageError

PROFILES_FILE = Path(__file__).resolve().parents[1] / "data" / "profiles.toml"
DEFAULT_PROFILE = "crss"


class Profile(NamedTuple):
    """One exam's shape: how many questions, how long, the pass line, domain weights."""

    id: str
    name: str
    questions: int
    minutes: int
    pass_percent: int
    pass_is_estimate: bool
    weights: tuple[tuple[str, float], ...]
    """(domain, weight) in the file's order; used as proportions."""
    sources: tuple[tuple[str, str], ...] = ()
    """(what, source) for each figure: questions, minutes, pass mark, weights."""

    @property
    def domains(self) -> tuple[str, ...]:
        return tuple(domain for domain, _ in self.weights)


@cache
def load(path: Path = PROFILES_FILE) -> dict[str, Profile]:
    """Every profile in the file, by id."""
    import tomllib  # only when a profile is used: cli/mock.py imports this module for its default

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise UsageError(f"{path}: the exam profiles cannot be read: {exc}") from None
    found: dict[str, Profile] = {}
    for key, table in data.get("profiles", {}).items():
        try:
            weights = tuple((str(d), float(w)) for d, w in table["weights"].items())
            if not weights or any(w <= 0 for _, w in weights):
                raise ValueError("weights must be positive numbers")
            sources = tuple(
                (what, str(table[f"{what}_source"]))
                for what in ("questions", "minutes", "pass", "weights")
                if f"{what}_source" in table
            )
            found[key] = Profile(
                id=key,
                name=str(table["name"]),
                questions=int(table["questions"]),
                minutes=int(table["minutes"]),
                pass_percent=int(table["pass_percent"]),
                pass_is_estimate=bool(table.get("pass_is_estimate", False)),
                weights=weights,
                sources=sources,
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise UsageError(f"{path}: profile {key!r} is incomplete or wrong: {exc}") from None
    return found


def get(profile_id: str) -> Profile:
    """The profile called `profile_id`, or a plain error listing the known ones."""
    known = load()
    if profile_id not in known:
        from srs_crss.names import did_you_mean  # (difflib: only for a mistyped name)

        names = ", ".join(sorted(known))
        close = did_you_mean(profile_id, sorted(known))
        raise UsageError(
            f"There is no exam profile {profile_id!r}{close or '.'} Known profiles: {names}."
        )
    return known[profile_id]
