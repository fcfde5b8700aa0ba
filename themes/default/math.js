// Forge: typesets the mathematics of a page with the vendored KaTeX (loaded only on pages that hold maths).
// Without JavaScript the TeX source stays readable: \( x^2 \) inline, \[ … \] in display.
(function () {
  "use strict";
  if (!window.katex) return;
  var delimiters = [["\\(", "\\)"], ["\\[", "\\]"], ["$$", "$$"], ["$", "$"]];
  document.querySelectorAll(".markdown .math, .notebook .math").forEach(function (el) {
    var tex = el.textContent.trim();
    for (var i = 0; i < delimiters.length; i++) {
      var d = delimiters[i];
      if (tex.length >= d[0].length + d[1].length && tex.indexOf(d[0]) === 0 && tex.slice(-d[1].length) === d[1]) {
        tex = tex.slice(d[0].length, tex.length - d[1].length);
        break;
      }
    }
    try {
      // trust: false keeps \href, \includegraphics and \htmlClass out; the limits keep hostile macros cheap.
      window.katex.render(tex, el, {
        displayMode: el.tagName === "DIV", throwOnError: false, trust: false, strict: "ignore", maxSize: 50, maxExpand: 1000
      });
      el.classList.add("math-rendered");
    } catch (e) {
      el.textContent = tex;
    }
  });
})();
