"""Text from a file, a package or a person, made safe to show: one rule for every screen.

A deck file, an Anki package or a learner typing a flag note can put control
characters into text srs-crss prints: ESC starts terminal commands (clear the
screen, set the window title, write the clipboard with OSC 52, plant OSC 8
links, hide text), BEL rings, backspace and carriage return overwrite what
was printed, and bidi controls reverse the order text is drawn in. `visible`
turns each such character into a visible escape (ESC is shown as the four
characters ``\\x1b``), so what a person sees is what the text holds. It is
pure (no terminal, no rich) so that the command line, its JSON and any later
front end share one rule; cli/render/ applies it wherever such text is shown.

`name_problem` is the stricter rule for names people choose (learners): no
control, bidi or zero-width characters at all.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "BIDI_CONTROLS",
    "ZERO_WIDTH",
    "control_characters",
    "hide_password",
    "json_safe",
    "name_key",
    "name_problem",
    "passwords_in",
    "visible",
]

BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f"  # Arabic letter mark, left-to-right and right-to-left marks
    "\u202a\u202b\u202c\u202d\u202e"  # embeddings and overrides (U+202E reverses text)
    "\u2066\u2067\u2068\u2069"  # isolates
)
"""Characters that change the direction text is drawn in (Unicode's bidi controls)."""

ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff")
"""Characters that take no room on screen: two names differing only by one look the same."""


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


_UNSAFE = (
    [chr(c) for c in range(0x20)]  # C0, with ESC, BEL, BS, CR
    + ["\x7f"]
    + [chr(c) for c in range(0x80, 0xA0)]  # C1, with CSI (0x9b) and OSC (0x9d)
    + sorted(BIDI_CONTROLS)
    + ["\u2028", "\u2029"]  # line and paragraph separators
)
_ONE_LINE = str.maketrans({c: _escape(c) for c in _UNSAFE} | {"\t": " "})
_LINES = str.maketrans({c: _escape(c) for c in _UNSAFE} | {"\t": " ", "\n": "\n"})
_JSON = re.compile("[" + "".join(re.escape(c) for c in _UNSAFE if ord(c) >= 0x20) + "]")


def visible(text: str, *, lines: bool = True) -> str:
    """`text` with every control character shown as an escape (ESC as ``\\x1b``).

    Newlines are kept where `lines` is true (card text may have several lines)
    and shown as ``\\n`` where it is false (a name, a title, one row of a table,
    a flag note printed on one line: a newline there could forge another line).
    A tab becomes a space. Everything else is kept as it is.
    """
    if text.isascii() and text.isprintable():
        return text  # the common case, without building a new string
    return text.translate(_LINES if lines else _ONE_LINE)


def json_safe(dumped: str) -> str:
    """JSON text with the control characters JSON leaves raw (DEL, C1, bidi, U+2028/9)
    written as \\u escapes too: the same string to a JSON reader, inert in a terminal.

    json.dumps already escapes C0 (with ESC); these may only occur inside strings, so
    escaping them keeps the JSON valid.
    """
    # a regex finds the rare character 30 times faster than str.translate walks 400 KB
    return _JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped)


def control_characters(text: str) -> list[str]:
    """The control characters `visible` would escape (newlines and tabs are fine), in order
    of first appearance, as escapes: for a deck author's warning."""
    found: list[str] = []
    for char in text:
        if char not in "\n\t" and char in _UNSAFE_SET and _escape(char) not in found:
            found.append(_escape(char))
    return found


_UNSAFE_SET = frozenset(_UNSAFE)


def name_problem(name: str) -> str | None:
    """Why `name` cannot be a name a person is known by, or None if it can.

    Control characters (newlines, tabs, ESC), bidi controls, zero-width and other
    invisible formatting characters are refused: they forge lines in messages or make
    two different names look the same.
    """
    for char in name:
        category = unicodedata.category(char)
        if category == "Cc":
            return f"it holds a control character ({_escape(char)})"
        if char in BIDI_CONTROLS:
            return f"it holds a text-direction control character ({_escape(char)})"
        if char in ZERO_WIDTH or category in ("Cf", "Zl", "Zp"):
            return f"it holds an invisible character ({_escape(char)})"
    return None


_PASSWORD_PARAMETER = re.compile(r"(?i)\b(password|passwd|pwd)=[^&\s]*")


def hide_password(target: str) -> str:
    """A database URL (or what was meant as one) with its password shown as ***.

    Works on text SQLAlchemy cannot parse too, since those are the ones printed in an
    error: "postgres://srs:PW@host/db", "srs:PW@host://x", a port that is not a number.
    Everything between the user's ":" and the last "@" is hidden (a password may hold
    "@" or "/"), and so is a password=... parameter. Text without "@" or such a
    parameter is returned as it is.
    """
    shown = hide_parameters(target)
    secret = _userinfo_password(target)
    return shown.replace(f":{secret}@", ":***@", 1) if secret else shown


def hide_parameters(text: str) -> str:
    """Any text with password=..., passwd=... and pwd=... values shown as ***."""
    return _PASSWORD_PARAMETER.sub(lambda m: f"{m.group(1)}=***", text)


def passwords_in(target: str) -> list[str]:
    """The passwords written in a database URL (before the host, or as a parameter)."""
    found = [m.group(0).partition("=")[2] for m in _PASSWORD_PARAMETER.finditer(target)]
    secret = _userinfo_password(target)
    return [s for s in [secret, *found] if s]


def _userinfo_password(target: str) -> str | None:
    scheme, sep, rest = target.partition("://")
    if not sep or "@" in scheme:
        rest = target  # no scheme, or "user:pw@host://x": the credentials come first
    userinfo = rest.rpartition("@")[0]
    if ":" not in userinfo:
        return None
    secret = userinfo.partition(":")[2]
    return secret or None


def name_key(name: str) -> str:
    """What two names must share to be one person's: NFKC, case folded ("Ａlice", "ALICE"
    and "alice" are one learner; "José" composed or not, too)."""
    return unicodedata.normalize("NFKC", name).casefold()
