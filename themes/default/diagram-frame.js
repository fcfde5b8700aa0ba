// Forge: the drawing side of diagrams.js. Receives {id, source, dark} from the page that framed it (same origin only),
// draws with the vendored Mermaid and answers {id, svg} or {id, error}. Loaded only when a page holds a diagram.
import mermaid from "./vendor/mermaid/mermaid.esm.min.mjs";

const font = getComputedStyle(document.body).fontFamily;
let theme = null;
let queue = Promise.resolve();

function configure(dark) {
  const wanted = dark ? "dark" : "default";
  if (theme === wanted) return;
  theme = wanted;
  // strict: no click handlers, labels purified; SVG text labels (no HTML in foreignObject) so the image is self-contained.
  mermaid.initialize({
    startOnLoad: false, securityLevel: "strict", theme: wanted, fontFamily: font,
    htmlLabels: false, flowchart: { htmlLabels: false }, maxTextSize: 50000, maxEdges: 500
  });
}

window.addEventListener("message", (event) => {
  if (event.origin !== location.origin || event.source !== parent) return;
  const { id, source, dark } = event.data || {};
  if (typeof id !== "string" || typeof source !== "string") return;
  // One diagram at a time: Mermaid keeps global state while drawing.
  queue = queue.then(async () => {
    try {
      configure(!!dark);
      const { svg } = await mermaid.render("d" + id, source);
      parent.postMessage({ id, svg }, location.origin);
    } catch (e) {
      const message = (e && e.message ? e.message : String(e)).split("\n")[0].slice(0, 300);
      parent.postMessage({ id, error: message }, location.origin);
    }
  });
});
parent.postMessage({ ready: true }, location.origin);
