"""The multiple-choice card in Anki: choices you can tap (HTML, CSS and JavaScript).

The same template runs on every Anki client (desktop, AnkiDroid, AnkiMobile):

- front: the choices are shuffled each time the card is shown and become
  buttons; tapping one marks it picked (tap another to change your mind);
- back: the same order, the pick marked right (green) or wrong (red), the
  right choice marked, and the answer line re-lettered to the shown order;
- without JavaScript: today's static list, in the deck's order, and the
  answer as "C. text".

The pick crosses from the front to the back the way established Anki
templates do it across clients (anki-persistence's approach): in
sessionStorage where the client keeps it between the two sides (AnkiDroid
loads each side as its own page), and in a window property where the page
is kept (the desktop and AnkiMobile swap the card's HTML in one page).
Choice texts are read and written with textContent only, so field contents
stay escaped text and never become markup.
"""

from __future__ import annotations

SCRIPT = r"""
<script>
(function () {
  var PREFIX = "srs-crss-mcq:";
  function load(key) {
    try {
      var text = window.sessionStorage.getItem(PREFIX + key);
      if (text) return JSON.parse(text);
    } catch (e) {}
    var kept = window.srsCrssMcq || {};
    return kept[key] || null;
  }
  function save(key, value) {
    window.srsCrssMcq = window.srsCrssMcq || {};
    window.srsCrssMcq[key] = value;
    try { window.sessionStorage.setItem(PREFIX + key, JSON.stringify(value)); } catch (e) {}
  }
  function shuffled(n) {
    var order = [];
    for (var i = 0; i < n; i++) order.push(i);
    for (var j = n - 1; j > 0; j--) {
      var k = Math.floor(Math.random() * (j + 1));
      var t = order[j]; order[j] = order[k]; order[k] = t;
    }
    return order;
  }
  function letter(i) { return String.fromCharCode(65 + i); }
  function run() {
    var box = document.querySelector(".srs-mcq");
    var list = box && box.querySelector("ol.choices");
    if (!list || list.getAttribute("data-live")) return;
    list.setAttribute("data-live", "1");
    var items = Array.prototype.slice.call(list.children);
    var texts = items.map(function (li) { return li.textContent; });
    var key = texts.join("\u001f");
    var answerLine = document.querySelector(".srs-answer");
    var back = !!answerLine;
    var state = load(key);
    if (!back || !state || !state.order || state.order.length !== items.length) {
      state = { order: shuffled(items.length), picked: null };
      save(key, state);
    }
    state.order.forEach(function (i) { list.appendChild(items[i]); });
    list.classList.add("srs-live");
    if (!back) {
      items.forEach(function (li, i) {
        li.setAttribute("role", "button");
        li.addEventListener("click", function () {
          items.forEach(function (other) { other.classList.remove("srs-picked"); });
          li.classList.add("srs-picked");
          state.picked = texts[i];
          save(key, state);
        });
      });
      return;
    }
    var right = answerLine.textContent.replace(/^[A-Z]\.\s*/, "");
    var shown = state.order.map(function (i) { return texts[i]; });
    items.forEach(function (li, i) {
      if (texts[i] === right) li.classList.add("srs-right");
      else if (texts[i] === state.picked) li.classList.add("srs-wrong");
      if (texts[i] === state.picked) li.classList.add("srs-picked");
    });
    var at = shown.indexOf(right);
    if (at >= 0) answerLine.textContent = letter(at) + ". " + right;
    var verdict = document.createElement("div");
    verdict.className = "srs-verdict";
    if (state.picked === null) {
      verdict.textContent = "No choice picked.";
    } else if (state.picked === right) {
      verdict.textContent = "Right: you picked " + letter(shown.indexOf(state.picked)) + ".";
      verdict.classList.add("srs-verdict-right");
    } else {
      var mine = letter(shown.indexOf(state.picked));
      verdict.textContent = "Not this time: you picked " + mine + ".";
      verdict.classList.add("srs-verdict-wrong");
    }
    answerLine.parentNode.insertBefore(verdict, answerLine);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run);
  else run();
})();
</script>
"""
"""Runs on both sides (the back repeats the front); which side it is on is told by the
answer line, present only on the back."""

CSS = """\
ol.choices.srs-live { list-style-position: inside; padding-left: 0; }
ol.choices.srs-live li {
  cursor: pointer; padding: 0.5em 0.7em; margin: 0.45em 0;
  border: 1px solid #d0d7de; border-radius: 8px;
}
ol.choices.srs-live li.srs-picked { border: 2px solid #0969da; background-color: #ddf4ff; }
ol.choices.srs-live li.srs-right { border: 2px solid #1a7f37; background-color: #dafbe1; }
ol.choices.srs-live li.srs-wrong { border: 2px solid #cf222e; background-color: #ffebe9; }
.nightMode ol.choices.srs-live li { border-color: #3d444d; }
.nightMode ol.choices.srs-live li.srs-picked { border-color: #4493f8; background-color: #121d2f; }
.nightMode ol.choices.srs-live li.srs-right { border-color: #3fb950; background-color: #0f2a18; }
.nightMode ol.choices.srs-live li.srs-wrong { border-color: #f85149; background-color: #2d1214; }
.srs-verdict { font-weight: 600; margin-bottom: 0.3em; }
.srs-verdict-right { color: #1a7f37; }
.srs-verdict-wrong { color: #cf222e; }
.nightMode .srs-verdict-right { color: #56d364; }
.nightMode .srs-verdict-wrong { color: #ff7b72; }
"""
