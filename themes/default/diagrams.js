// Forge: draws the Mermaid diagrams of a page (```mermaid blocks) as images, with the vendored Mermaid, loaded only
// on pages that hold a diagram and only once one comes near the screen. Mermaid runs in a hidden frame of this site
// (diagram-frame.html) whose policy lets it style its SVG; the page shows the result as an <img>, keeps the source
// in a « Source du diagramme » disclosure, and without JavaScript simply shows the source.
(function () {
  "use strict";
  var blocks = document.querySelectorAll(".markdown pre > code.language-mermaid, .notebook pre > code.language-mermaid");
  var script = document.querySelector("script[data-diagram-frame]");
  if (!blocks.length || !script || !window.postMessage) return;
  var english = (document.documentElement.lang || "fr").indexOf("en") === 0;
  var text = english
    ? { source: "Diagram source", failed: "This diagram could not be drawn: ", alt: "Diagram (its source follows)" }
    : { source: "Source du diagramme", failed: "Ce diagramme n’a pas pu être dessiné : ", alt: "Diagramme (sa source suit)" };
  var frame = null, ready = null, pending = {}, next = 0;
  var dark = window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;

  function openFrame() {
    if (ready) return ready;
    ready = new Promise(function (resolve) {
      window.addEventListener("message", function (event) {
        if (event.origin !== location.origin || !frame || event.source !== frame.contentWindow) return;
        var data = event.data || {};
        if (data.ready) { resolve(); return; }
        var done = pending[data.id];
        if (done) { delete pending[data.id]; done(data); }
      });
      frame = document.createElement("iframe");
      frame.className = "diagram-frame";
      frame.setAttribute("aria-hidden", "true");
      frame.tabIndex = -1;
      frame.title = "";
      frame.src = script.getAttribute("data-diagram-frame");
      document.body.appendChild(frame);
    });
    return ready;
  }

  function draw(code) {
    var pre = code.parentElement, id = String(++next);
    openFrame().then(function () {
      return new Promise(function (resolve) {
        pending[id] = resolve;
        frame.contentWindow.postMessage({ id: id, source: code.textContent, dark: dark }, location.origin);
      });
    }).then(function (answer) {
      if (answer.error || !answer.svg) {
        var p = document.createElement("p");
        p.className = "notice diagram-error";
        p.textContent = text.failed + (answer.error || "?");
        pre.parentNode.insertBefore(p, pre);
        return;
      }
      show(pre, answer.svg);
    });
  }

  // The SVG is handled as text: parsing it here would apply its inline styles under this page's policy, which refuses them.
  function decode(s) {
    return s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, function (m, e) {
      var named = { amp: "&", lt: "<", gt: ">", quot: "\"", apos: "'" }[e.toLowerCase()];
      if (named) return named;
      var code = e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : m;
    });
  }

  function show(pre, svgText) {
    var root = /^<svg\b[^>]*>/.exec(svgText);
    if (!root) return;
    var img = document.createElement("img");
    var tag = root[0];
    // Mermaid sizes its SVG to its container (width 100%); as an image it needs its own size, from the viewBox.
    var box = (/\sviewBox="([^"]*)"/.exec(tag) || [, ""])[1].split(/[\s,]+/).map(Number);
    if (box.length === 4 && box[2] > 0 && box[3] > 0) {
      var w = Math.ceil(box[2]), h = Math.ceil(box[3]);
      tag = tag.replace(/\s(width|height)="[^"]*"/g, "").replace(/^<svg\b/, '<svg width="' + w + '" height="' + h + '"');
      img.width = w;
      img.height = h;
    }
    // The diagram's own accessible title and description (accTitle, accDescr) when it has them.
    var title = /<title\b[^>]*>([^<]*)<\/title>/.exec(svgText), desc = /<desc\b[^>]*>([^<]*)<\/desc>/.exec(svgText);
    var alt = [title && decode(title[1]), desc && decode(desc[1])].filter(Boolean).join(" — ");
    img.alt = alt || text.alt;
    img.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(tag + svgText.slice(root[0].length));
    var figure = document.createElement("figure");
    figure.className = "diagram";
    var details = document.createElement("details");
    var summary = document.createElement("summary");
    summary.textContent = text.source;
    pre.parentNode.insertBefore(figure, pre);
    figure.appendChild(img);
    figure.appendChild(details);
    details.appendChild(summary);
    details.appendChild(pre);
  }

  if (!("IntersectionObserver" in window)) { Array.prototype.forEach.call(blocks, draw); return; }
  var observer = new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (!entry.isIntersecting) return;
      observer.unobserve(entry.target);
      draw(entry.target);
    });
  }, { rootMargin: "400px" });
  Array.prototype.forEach.call(blocks, function (b) { observer.observe(b); });
})();
