"""Filters that match nothing are errors naming the closest known values; `domains` and
`tags` list what exists."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from tests.conftest import Invoke


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--domain", "Advocay"), "no domain 'Advocay'; did you mean 'Advocacy'?"),
        (("--domain", "Ethical"), "did you mean 'Ethical Responsibility'?"),
        (("--tag", "empthy"), "no tag 'empthy'; did you mean 'empathy'?"),
        (("--deck", "crs"), "no deck 'crs'; did you mean 'crss' or 'pa-crs'?"),
        (("--deck", "crss", "--tag", "nothing-like-it"), "no tag 'nothing-like-it'"),
    ],
)
def test_unknown_filters_are_errors(cli: Invoke, args: tuple[str, ...], message: str) -> None:
    result = cli("review", *args, input="")
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Nothing due" not in result.output


def test_known_filters_still_work_in_any_case(cli: Invoke) -> None:
    result = cli("review", "--domain", "advocacy", "--new", "1", input="q\n")
    assert result.exit_code == 0 and "Q: " in result.output
    result = cli("review", "--tag", "empathy", "--new", "1", input="q\n")
    assert result.exit_code == 0 and "Q: " in result.output


def test_domains_and_tags_list_what_exists_with_counts(cli: Invoke) -> None:
    domains = json.loads(cli("domains", "--json").stdout)
    names = [d["domain"] for d in domains]
    assert "Advocacy" in names and names == sorted(names)
    assert all(d["cards"] > 0 for d in domains)
    total = sum(d["cards"] for d in domains)
    decks = json.loads(cli("decks", "--json").output)
    # every bundled card has a domain; without --deck, the decks review studies are counted
    # (the optional one left out, as review leaves it out), and --deck names it
    assert total == sum(d["cards"] for d in decks if not d["optional"])
    optional = [d for d in decks if d["optional"]]
    assert optional
    for deck in optional:
        counted = json.loads(cli("domains", "--deck", deck["id"], "--json").stdout)
        assert sum(d["cards"] for d in counted) == deck["cards"]
    tags = json.loads(cli("tags", "--deck", "crss", "--json").output)
    with (Path(__file__).parents[2] / "decks" / "crss.toml").open("rb") as f:
        cards = tomllib.load(f)["cards"]
    tagged = sum("empathy" in card.get("tags", []) for card in cards)
    assert {"tag": "empathy", "cards": tagged} in tags and tagged > 0
    text = cli("domains").output
    assert "Advocacy" in text and "review --domain" in text
    assert cli("tags", "--deck", "nope").exit_code == 2
