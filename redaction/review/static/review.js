// The review desk's keyboard and small touches. No data leaves the page but the forms.
(function () {
  "use strict";
  function $(sel) { return document.querySelector(sel); }
  function all(sel) { return Array.prototype.slice.call(document.querySelectorAll(sel)); }

  all(".swatch[data-colour]").forEach(function (el) { el.style.backgroundColor = el.dataset.colour; });

  var items = all("li.proposal");
  function focusItem(li) {
    if (!li) { return; }
    items.forEach(function (x) { x.classList.remove("focused"); });
    all("g.prop").forEach(function (g) { g.classList.remove("focused"); });
    li.classList.add("focused");
    var g = document.querySelector('g.prop[data-id="' + li.dataset.id + '"]');
    if (g) { g.classList.add("focused"); }
    li.focus();
  }
  function focused() { return document.querySelector("li.proposal.focused"); }
  function move(step) {
    if (!items.length) { return; }
    var i = items.indexOf(focused());
    focusItem(items[Math.min(items.length - 1, Math.max(0, i < 0 ? 0 : i + step))]);
  }
  items.forEach(function (li) { li.addEventListener("focus", function () { focusItem(li); }); });
  all("g.prop").forEach(function (g) {
    g.addEventListener("click", function () { focusItem(document.getElementById("p" + g.dataset.id)); });
  });

  // start on the proposal named in the URL, else the first undecided one
  var start = null;
  // (#after-ID, not #pID: the browser would focus a focusable fragment target itself)
  if (location.hash && /^#after-\d+$/.test(location.hash)) {
    var cur = document.getElementById("p" + location.hash.slice(7));
    var i = Math.max(0, items.indexOf(cur));
    start = items.slice(i).concat(items.slice(0, i)).find(function (li) { return li.dataset.status === "pending"; }) || cur;
  }
  focusItem(start || items.find(function (li) { return li.dataset.status === "pending"; }) || items[0]);

  function submit(decision) {
    var li = focused();
    if (!li) { return; }
    var f = li.querySelector("form.decide-" + decision);
    if (f) { f.submit(); }
  }
  // draw a box by hand: drag on the page; the form asks for the reason before anything is stored
  var svg = $("svg#page"), form = $("#draw-form");
  if (svg && form) {
    var ns = "http://www.w3.org/2000/svg", start = null, rect = null;
    var toPage = function (e) {
      var pt = svg.createSVGPoint();
      pt.x = e.clientX; pt.y = e.clientY;
      var p = pt.matrixTransform(svg.getScreenCTM().inverse());
      return { x: p.x, y: p.y };
    };
    svg.addEventListener("mousedown", function (e) {
      if (e.button !== 0 || (e.target && e.target.closest && e.target.closest("g.prop"))) { return; }
      start = toPage(e);
      if (rect) { rect.remove(); }
      rect = document.createElementNS(ns, "rect");
      rect.setAttribute("class", "drawing");
      svg.appendChild(rect);
      e.preventDefault();
    });
    svg.addEventListener("mousemove", function (e) {
      if (!start || !rect) { return; }
      var p = toPage(e);
      rect.setAttribute("x", Math.min(start.x, p.x)); rect.setAttribute("y", Math.min(start.y, p.y));
      rect.setAttribute("width", Math.abs(p.x - start.x)); rect.setAttribute("height", Math.abs(p.y - start.y));
    });
    document.addEventListener("mouseup", function (e) {
      if (!start) { return; }
      var p = toPage(e), s = start;
      start = null;
      if (Math.abs(p.x - s.x) < 2 || Math.abs(p.y - s.y) < 2) { if (rect) { rect.remove(); rect = null; } return; }
      $("#draw-x0").value = Math.min(s.x, p.x).toFixed(2); $("#draw-y0").value = Math.min(s.y, p.y).toFixed(2);
      $("#draw-x1").value = Math.max(s.x, p.x).toFixed(2); $("#draw-y1").value = Math.max(s.y, p.y).toFixed(2);
      form.classList.remove("hidden");
      $("#draw-reason").focus();
    });
    $("#draw-cancel").addEventListener("click", function () {
      form.classList.add("hidden");
      if (rect) { rect.remove(); rect = null; }
    });
  }

  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) { return; }
    var t = e.target;
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT")) { return; }
    var link;
    switch (e.key) {
      case "j": link = $("#next"); if (link) { location.href = link.href; } break;
      case "k": link = $("#prev"); if (link) { location.href = link.href; } break;
      case "n": move(1); break;
      case "p": move(-1); break;
      case "a": submit("accept"); break;
      case "r": submit("reject"); break;
      default: return;
    }
    e.preventDefault();
  });
})();
