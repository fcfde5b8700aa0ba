/* Forge — training module pages exported for SCORM 1.2, IMS Common Cartridge and offline reading (EUPL-1.2).
   Grades the section's quiz in the page and, inside a SCORM 1.2 player, reports to the LMS: LMSInitialize at load,
   lesson_status "incomplete", then score (raw/min/max) and passed/failed after the quiz, completed without a quiz,
   LMSCommit, LMSFinish on « Terminer » or when the page goes away. Without an LMS it only grades: plain offline reading. */
(function () {
  "use strict";

  // Standard SCORM 1.2 discovery: the API object of a parent frame (at most 7 levels up), else of the opener's frames.
  function findApi(win) {
    for (var depth = 0; win && depth < 8; depth++) {
      try {
        if (win.API) return win.API;
      } catch (e) { return null; } // another origin: no API reachable there
      if (!win.parent || win.parent === win) break;
      win = win.parent;
    }
    return null;
  }

  var api = findApi(window);
  if (!api) {
    try { if (window.opener) api = findApi(window.opener); } catch (e) { api = null; }
  }
  var started = Date.now();
  var initialized = false, finished = false, score = null;

  function call(name) {
    if (!api || typeof api[name] !== "function") return "";
    try { return String(api[name].apply(api, Array.prototype.slice.call(arguments, 1))); } catch (e) { return ""; }
  }

  function sessionTime() {
    var s = Math.max(0, Math.round((Date.now() - started) / 1000));
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return (h < 1000 ? ("000" + h).slice(-4) : String(h)) + ":" + two(m) + ":" + two(r);
  }

  if (api && call("LMSInitialize", "") === "true") {
    initialized = true;
    var status = call("LMSGetValue", "cmi.core.lesson_status");
    if (status === "" || status === "not attempted") {
      call("LMSSetValue", "cmi.core.lesson_status", "incomplete");
      call("LMSCommit", "");
    }
  }

  function fold(text) {
    // As Forge's grader (ModuleText.Fold): no case, accents or extra spaces; typographic apostrophes as '.
    return String(text).replace(/[\u2019\u2018\u02bc]/g, "'").toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/\s+/g, " ").trim();
  }

  function show(el, visible) { if (el) el.hidden = !visible; }

  function grade(form) {
    var questions = form.querySelectorAll("fieldset.question");
    var right = 0;
    Array.prototype.forEach.call(questions, function (q) {
      var ok;
      if (q.dataset.kind === "short") {
        var accepted = JSON.parse(q.dataset.accepted || "[]").map(fold);
        var input = q.querySelector("input[type=text]");
        ok = accepted.indexOf(fold(input.value)) >= 0;
      } else {
        var boxes = q.querySelectorAll("input");
        var any = false;
        ok = true;
        Array.prototype.forEach.call(boxes, function (box) {
          if (box.checked) any = true;
          if (box.checked !== box.hasAttribute("data-correct")) ok = false;
          show(q.querySelector('[data-feedback-for="' + box.id + '"]'), box.checked);
        });
        ok = ok && any;
      }
      if (ok) right++;
      var verdict = q.querySelector("[data-verdict]");
      verdict.textContent = ok ? "✔ Bonne réponse." : "✘ Réponse incorrecte.";
      verdict.className = "verdict " + (ok ? "right" : "wrong");
      show(verdict, true);
      show(q.querySelector("[data-feedback]"), true);
    });
    return questions.length === 0 ? 100 : Math.floor(100 * right / questions.length); // percent rounded down, as Forge grades
  }

  function report(raw, mastery) {
    if (!initialized || finished) return;
    call("LMSSetValue", "cmi.core.score.min", "0");
    call("LMSSetValue", "cmi.core.score.max", "100");
    call("LMSSetValue", "cmi.core.score.raw", String(raw));
    call("LMSSetValue", "cmi.core.lesson_status", raw >= mastery ? "passed" : "failed");
    call("LMSCommit", "");
  }

  function finish() {
    if (!initialized || finished) return;
    if (score === null && !document.querySelector("form[data-quiz]")) call("LMSSetValue", "cmi.core.lesson_status", "completed");
    call("LMSSetValue", "cmi.core.session_time", sessionTime());
    call("LMSSetValue", "cmi.core.exit", "");
    call("LMSCommit", "");
    call("LMSFinish", "");
    finished = true;
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-quiz]"), function (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var mastery = parseInt(form.dataset.mastery || "50", 10);
        score = grade(form);
        form.querySelector("[data-score]").textContent = "Score : " + score + " / 100 — " +
          (score >= mastery ? "quiz réussi." : "quiz non réussi (il faut " + mastery + " / 100).");
        report(score, mastery);
      });
    });
    var button = document.querySelector("[data-finish]");
    var said = document.querySelector("[data-finish-status]");
    if (button) {
      button.addEventListener("click", function () {
        var quiz = document.querySelector("form[data-quiz]");
        if (quiz && score === null) {
          said.textContent = "Répondez d’abord au quiz, puis vérifiez vos réponses.";
          return;
        }
        finish();
        said.textContent = initialized ? "Section terminée : votre progression est enregistrée par la plateforme." : "Section terminée.";
        button.disabled = true;
      });
    }
  });

  window.addEventListener("pagehide", finish);
  window.addEventListener("beforeunload", finish);
})();
