"""Generators for benchmark data: large deck files, built with the project's format."""

from __future__ import annotations

from pathlib import Path

DOMAINS = ("Advocacy", "Mentoring and Education", "Recovery and Wellness Support",
           "Ethical Responsibility")  # fmt: skip


def toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_deck(path: Path, deck_id: str, cards: int, edit: int = 0) -> Path:
    """A deck file of `cards` cards; one in five is multiple choice.

    `edit` changes the text of that many cards (to time an update).
    """
    lines = [
        "[deck]",
        f"id = {toml_string(deck_id)}",
        f"name = {toml_string('Benchmark deck ' + deck_id)}",
        "",
    ]
    for i in range(cards):
        domain = DOMAINS[i % 4]
        suffix = " (edited)" if i < edit else ""
        lines.append("[[cards]]")
        lines.append(f'id = "card-{i:06d}"')
        lines.append(f"front = {toml_string(f'Question number {i} about peer support?{suffix}')}")
        if i % 5 == 0:
            lines.append('type = "mcq"')
            lines.append(
                f'choices = ["Answer {i}", "Distractor {i} one", "Distractor {i} two", '
                f'"Distractor {i} three"]'
            )
            lines.append(f'answer = "Answer {i}"')
            lines.append(toml_string_line("explanation", f"Because {i} is right."))
        else:
            lines.append(toml_string_line("back", f"The answer to question {i}."))
        lines.append(f"domain = {toml_string(domain)}")
        lines.append(f'tags = ["bench", "t{i % 10}"]')
        lines.append(toml_string_line("source", "Generated for benchmarks"))
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def toml_string_line(key: str, value: str) -> str:
    return f"{key} = {toml_string(value)}"
