// Forge: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";
  // Line ranges in file views: #L10-L20 highlights lines 10 to 20; shift-click on a line number extends the range.
  function highlightRange() {
    document.querySelectorAll("pre.code span.range").forEach(function (s) { s.classList.remove("range"); });
    var m = /^#L(\d+)(?:-L(\d+))?$/.exec(location.hash);
    if (!m) return;
    var from = parseInt(m[1], 10), to = parseInt(m[2] || m[1], 10);
    if (to < from) { var t = from; from = to; to = t; }
    for (var i = from; i <= to && i - from < 5000; i++) {
      var line = document.getElementById("L" + i);
      if (line) line.classList.add("range");
    }
    var first = document.getElementById("L" + from);
    if (first && m[2]) first.scrollIntoView({ block: "center" });
  }
  var anchor = null;
  document.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest("pre.code > code > span > a:first-child");
    if (!a) return;
    var n = parseInt(a.getAttribute("href").slice(2), 10);
    if (e.shiftKey && anchor !== null) {
      e.preventDefault();
      history.replaceState(null, "", "#L" + Math.min(anchor, n) + "-L" + Math.max(anchor, n));
      highlightRange();
    } else {
      anchor = n;
    }
  });
  window.addEventListener("hashchange", highlightRange);
  highlightRange();

  // "Copier" buttons next to read-only fields (clone URL, new token), in the page's language.
  var english = (document.documentElement.lang || "").indexOf("en") === 0;
  var copyWord = english ? "Copy" : "Copier", copiedWord = english ? "Copied ✓" : "Copié ✓";
  document.querySelectorAll("input[data-copy]").forEach(function (input) {
    if (!navigator.clipboard) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy";
    button.textContent = copyWord;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(input.value).then(function () {
        button.textContent = copiedWord;
        setTimeout(function () { button.textContent = copyWord; }, 2000);
      });
    });
    input.insertAdjacentElement("afterend", button);
  });
})();
// Drag and drop onto the upload field's area (the plain file input works without this).
(function () {
  "use strict";
  document.querySelectorAll(".dropzone").forEach(function (zone) {
    var input = zone.querySelector("input[type=file]");
    if (!input) return;
    ["dragenter", "dragover"].forEach(function (t) {
      zone.addEventListener(t, function (e) { e.preventDefault(); zone.classList.add("dragging"); });
    });
    ["dragleave", "drop"].forEach(function (t) {
      zone.addEventListener(t, function () { zone.classList.remove("dragging"); });
    });
    zone.addEventListener("drop", function (e) {
      e.preventDefault();
      if (e.dataTransfer && e.dataTransfer.files.length) input.files = e.dataTransfer.files;
    });
  });
  // Describe form: the cycles derived from the grades ticked, said as they are ticked (the server says it on each load).
  document.addEventListener("change", function (e) {
    if (!e.target.matches || !e.target.matches("input[data-cycle]")) return;
    var out = document.getElementById("derived-cycles");
    if (!out) return;
    var cycles = [];
    document.querySelectorAll("input[data-cycle]:checked").forEach(function (i) {
      var c = i.getAttribute("data-cycle");
      if (cycles.indexOf(c) < 0) cycles.push(c);
    });
    // The page gives the words, in its language.
    out.textContent = out.getAttribute("data-prefix") + " " + (cycles.length ? cycles.join(", ") : out.getAttribute("data-none")) + ".";
  });
})();
// Search filters: ticking a box or choosing a sort applies it at once (the « Appliquer les filtres » button does the
// same without JavaScript); after the reload the focus comes back to the control that was changed.
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  if (!form) return;
  var key = "forge:search-focus";
  try {
    var id = sessionStorage.getItem(key);
    sessionStorage.removeItem(key);
    var control = id && document.getElementById(id);
    if (control) control.focus();
  } catch (e) { /* storage refused: the focus simply starts at the top */ }
  form.addEventListener("change", function (e) {
    var t = e.target;
    if (!(t.type === "checkbox" || t.tagName === "SELECT")) return;
    try { sessionStorage.setItem(key, t.id); } catch (x) { /* nothing to restore */ }
    form.submit();
  });
})();
