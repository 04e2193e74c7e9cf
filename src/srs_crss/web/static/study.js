// srs-crss: the terminal's keys in the browser, and the next card without a page load.
// Every form here also works without this script: it posts, the server answers with
// the next page. With the script, the same POST is sent with fetch and the new page's
// content is swapped in; the result is read out in the live region.
"use strict";
(function () {
  var busy = false;
  var pending = [];  // keys typed while a page was on its way: played after it arrives

  function main() { return document.getElementById("swap"); }

  function announce(doc) {
    var region = document.getElementById("announce");
    var verdict = doc.querySelector("[data-verdict]");
    var notes = doc.querySelector("[data-notes]");
    var text = (verdict ? verdict.textContent : "") + " " + (notes ? notes.textContent : "");
    region.textContent = "";
    // a change after a short pause is read out even when the text repeats
    window.setTimeout(function () { region.textContent = text.trim(); }, 50);
  }

  function swap(html, url) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var fresh = doc.getElementById("swap");
    if (!fresh) { window.location.assign(url); return; }
    main().replaceChildren.apply(main(), Array.prototype.slice.call(fresh.childNodes));
    document.title = doc.title;
    if (url !== window.location.href) { window.history.pushState({}, "", url); }
    announce(document);
    var focus = main().querySelector("[data-focus]");
    if (focus) { focus.focus(); }
    startClock();
  }

  // A practice exam's clock: counts down each second; at zero the exam is handed in
  // (the server checks the time itself, so a stopped script loses nothing).
  var timer = null;
  function startClock() {
    if (timer) { window.clearInterval(timer); timer = null; }
    var shown = main().querySelector("[data-clock]");
    if (!shown) { return; }
    var left = parseInt(shown.getAttribute("data-clock"), 10);
    var ends = Date.now() + left * 1000;
    timer = window.setInterval(function () {
      var seconds = Math.max(0, Math.round((ends - Date.now()) / 1000));
      var minutes = Math.floor(seconds / 60);
      shown.textContent = minutes + ":" + String(seconds % 60).padStart(2, "0");
      if (seconds === 300 || seconds === 60) {
        document.getElementById("announce").textContent = minutes + " minutes left.";
      }
      if (seconds === 0) {
        window.clearInterval(timer);
        timer = null;
        var up = main().querySelector("[data-time-up]");
        if (up) { busy = false; send(up, null); }
      }
    }, 1000);
  }

  function send(form, submitter) {
    if (busy) { return; }
    busy = true;
    var body = new URLSearchParams(new FormData(form, submitter));
    // (not form.action: a field named "action" hides that property)
    fetch(form.getAttribute("action"), { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) {
        return response.text().then(function (html) { swap(html, response.url); });
      })
      .catch(function () { form.submit(); })
      .finally(function () {
        busy = false;
        if (pending.length) { act(pending.shift(), null); }
      });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-swap")) { return; }
    event.preventDefault();
    send(form, event.submitter || null);
  });

  function typing(target) {
    return target instanceof HTMLElement &&
      (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName) &&
        !(target instanceof HTMLInputElement && target.type === "radio"));
  }

  function keyName(event) {
    if (event.key === " " || event.key === "Spacebar") { return "Space"; }
    return event.key.length === 1 ? event.key.toLowerCase() : event.key;
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) { return; }
    var key = keyName(event);
    var native = event.target instanceof HTMLElement &&
      /^(BUTTON|A|SUMMARY)$/.test(event.target.tagName);
    if ((key === "Space" || key === "Enter") && native) { return; }  // the focused control acts
    if (busy) {
      if (/^([0-5a-z]|Space|Enter)$/.test(key) && pending.length < 4) {
        event.preventDefault();
        pending.push(key);
      }
      return;
    }
    act(key, event);
  });

  // Do what `key` means on the page shown; `event` (null for a replayed key) is stopped
  // from doing its default when the key acts.
  function act(key, event) {
    var stop = function () { if (event) { event.preventDefault(); } };
    var root = main();
    if (key === "f") {
      var flag = root.querySelector("[data-key-open='f']");
      if (flag) {
        stop();
        flag.open = true;
        flag.querySelector("textarea").focus();
        return;
      }
    }
    var field = root.querySelector("[data-key-focus='" + key + "']");
    if (field) { stop(); field.focus(); return; }
    var gradeForm = root.querySelector("[data-grade-form]");
    if (gradeForm && /^[0-5]$/.test(key)) {  // a grade before the answer: as sure as that
      stop();
      var grade = document.createElement("input");
      grade.type = "hidden"; grade.name = "grade"; grade.value = key;
      gradeForm.appendChild(grade);
      send(gradeForm, null);
      return;
    }
    var candidates = root.querySelectorAll("[data-key]");
    for (var i = 0; i < candidates.length; i += 1) {
      var element = candidates[i];
      var keys = element.getAttribute("data-key").split(" ");
      if (keys.indexOf(key) < 0) { continue; }
      stop();
      if (element instanceof HTMLInputElement && element.type === "radio") {
        element.checked = true;
        element.form.requestSubmit();
      } else {
        element.click();
      }
      return;
    }
  }

  window.addEventListener("popstate", function () { window.location.reload(); });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", startClock);
  } else {
    startClock();
  }
  // keys work from here on (tests wait for this before typing)
  document.documentElement.setAttribute("data-script", "ready");
})();
