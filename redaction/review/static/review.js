// The review desk's keyboard, pointer and small touches. No data leaves the page but the
// forms and the desk's own JSON answers.
(function () {
  "use strict";
  function $(sel) { return document.querySelector(sel); }
  function all(sel) { return Array.prototype.slice.call(document.querySelectorAll(sel)); }
  var csrf = (document.querySelector('input[name="csrf_token"]') || {}).value || "";

  // --- a spinner for anything that takes over a second ---------------------------------
  var busy = $("#busy"), busyTimer = null;
  function working(on) {
    if (!busy) { return; }
    clearTimeout(busyTimer);
    if (on) { busyTimer = setTimeout(function () { busy.classList.remove("hidden"); }, 1000); }
    else { busy.classList.add("hidden"); }
  }
  document.addEventListener("submit", function () { working(true); });
  document.addEventListener("click", function (e) {  // a link to another screen of the desk
    var a = e.target.closest && e.target.closest("a[href^='/']");
    if (a && !a.hasAttribute("download") && !a.classList.contains("released-file-link")) { working(true); }
  });
  window.addEventListener("pageshow", function () { working(false); });
  function post(url, fields) {
    var body = new URLSearchParams();
    Object.keys(fields).forEach(function (k) { body.append(k, fields[k]); });
    working(true);
    return fetch(url, {method: "POST", body: body, credentials: "same-origin",
                       headers: {"Accept": "application/json", "X-CSRF-Token": csrf}})
      .then(function (r) {
        working(false);
        if (r.ok) { return r.json(); }
        return r.text().then(function (t) {
          // the desk's error page, parsed inertly (no script runs) for its message
          var alertEl = new DOMParser().parseFromString(t, "text/html").querySelector('[role="alert"]');
          throw new Error((alertEl && alertEl.textContent) || ("the desk answered " + r.status));
        });
      }, function (e) { working(false); throw e; });
  }

  all(".swatch[data-colour]").forEach(function (el) { el.style.backgroundColor = el.dataset.colour; });
  all(".chip[data-colour]").forEach(function (el) { el.style.borderColor = el.dataset.colour; });

  // --- the proposals of the page: focus, keyboard --------------------------------------
  var items = all("li.proposal");
  function gOf(li) { return li && document.querySelector('g.prop[data-id="' + li.dataset.id + '"]'); }
  function focusItem(li) {
    if (!li) { return; }
    items.forEach(function (x) { x.classList.remove("focused"); });
    all("g.prop").forEach(function (g) { g.classList.remove("focused"); });
    li.classList.add("focused");
    var g = gOf(li);
    if (g) { g.classList.add("focused"); g.parentNode.appendChild(g); showHandle(g); }
    li.focus({preventScroll: true});
    li.scrollIntoView({block: "nearest"});
  }
  function focused() { return document.querySelector("li.proposal.focused"); }
  function move(step) {
    if (!items.length) { return; }
    var i = items.indexOf(focused());
    focusItem(items[Math.min(items.length - 1, Math.max(0, i < 0 ? 0 : i + step))]);
  }
  items.forEach(function (li) { li.addEventListener("focus", function () { if (!li.classList.contains("focused")) { focusItem(li); } }); });

  // start on the proposal named in the URL, else the first undecided one
  var startAt = null;
  // (#after-ID, not #pID: the browser would focus a focusable fragment target itself)
  if (location.hash && /^#after-\d+$/.test(location.hash)) {
    var cur = document.getElementById("p" + location.hash.slice(7));
    var ci = Math.max(0, items.indexOf(cur));
    startAt = items.slice(ci).concat(items.slice(0, ci)).find(function (li) { return li.dataset.status === "pending"; }) || cur;
  } else if (location.hash && /^#sel-\d+$/.test(location.hash)) {
    startAt = document.getElementById("p" + location.hash.slice(5));
  } else if (/^\d+$/.test(new URLSearchParams(location.search).get("sel") || "")) {
    startAt = document.getElementById("p" + new URLSearchParams(location.search).get("sel"));
  }
  function reopen(id) { working(true); location.assign(location.pathname + "?sel=" + id); }

  function submit(decision) {
    var li = focused();
    if (!li) { return; }
    var f = li.querySelector("form.decide-" + decision);
    if (f) { working(true); f.submit(); }
  }

  // --- the page: fitted to the window, zoom ---------------------------------------------
  var svg = $("svg#page"), sheet = $("#sheet");
  var zoom = 1, pw = 0, ph = 0;
  function scale() { return svg ? svg.getBoundingClientRect().width / pw : 1; }
  function layoutLabels() {
    var k = scale() || 1, fs = 10 / k, pad = 1.5 / k;
    all("g.label").forEach(function (g) {
      var t = g.querySelector("text"), bg = g.querySelector("rect");
      var x = parseFloat(g.dataset.x), y = parseFloat(g.dataset.y);
      t.setAttribute("font-size", fs.toFixed(2));
      t.setAttribute("x", (x + pad).toFixed(2));
      var top = Math.max(fs + pad, y - pad);
      t.setAttribute("y", top.toFixed(2));
      var b = t.getBBox();
      bg.setAttribute("x", (b.x - pad).toFixed(2)); bg.setAttribute("y", (b.y - pad).toFixed(2));
      bg.setAttribute("width", (b.width + 2 * pad).toFixed(2)); bg.setAttribute("height", (b.height + 2 * pad).toFixed(2));
      bg.setAttribute("stroke-width", (1.5 / k).toFixed(2));
    });
    var g = document.querySelector("g.prop.focused");
    if (g) { showHandle(g); }
  }
  function fit() {
    if (!svg || !sheet) { return; }
    var w = sheet.clientWidth - 2, h = sheet.clientHeight - 2;
    var k = Math.min(w / pw, h > 50 ? h / ph : Infinity);
    if (!isFinite(k) || k <= 0) { k = w / pw; }
    svg.style.width = (pw * k * zoom).toFixed(0) + "px";
    svg.style.height = (ph * k * zoom).toFixed(0) + "px";
    layoutLabels();
  }
  function toggleLabels() {
    svg.classList.toggle("no-labels");
    var b = $("#labels");
    if (b) { b.setAttribute("aria-pressed", svg.classList.contains("no-labels") ? "false" : "true"); }
  }
  function setZoom(z) { zoom = Math.min(6, Math.max(0.5, z)); fit(); }
  if (svg) {
    pw = parseFloat(svg.dataset.width); ph = parseFloat(svg.dataset.height);
    fit();
    window.addEventListener("resize", fit);
    $("#zoom-in").addEventListener("click", function () { setZoom(zoom * 1.25); });
    $("#zoom-out").addEventListener("click", function () { setZoom(zoom / 1.25); });
    $("#zoom-fit").addEventListener("click", function () { setZoom(1); });
    $("#labels").addEventListener("click", toggleLabels);
    $("#draw-mode").addEventListener("click", function () {
      var on = !svg.classList.contains("draw-mode");
      svg.classList.toggle("draw-mode", on);
      $("#draw-mode").setAttribute("aria-pressed", on ? "true" : "false");
    });
  }

  // --- pointer: choose a box, draw a new one, move or resize the chosen one --------------
  var ns = "http://www.w3.org/2000/svg";
  var reshapable = svg && svg.dataset.reshape === "1";
  var handle = null;
  function toPage(e) {
    var pt = svg.createSVGPoint();
    pt.x = e.clientX; pt.y = e.clientY;
    var p = pt.matrixTransform(svg.getScreenCTM().inverse());
    return {x: p.x, y: p.y};
  }
  function firstBox(g) { return g.querySelector("rect.box"); }
  function showHandle(g) {
    if (!svg) { return; }
    if (handle) { handle.remove(); handle = null; }
    var r = firstBox(g);
    if (!reshapable || !r || r.dataset.whole === "1") { g.classList.remove("reshapable"); return; }
    g.classList.add("reshapable");
    var k = scale() || 1, s = 14 / k;
    handle = document.createElementNS(ns, "rect");
    handle.setAttribute("class", "handle");
    handle.setAttribute("id", "resize-handle");
    var x1 = parseFloat(r.getAttribute("x")) + parseFloat(r.getAttribute("width"));
    var y1 = parseFloat(r.getAttribute("y")) + parseFloat(r.getAttribute("height"));
    handle.setAttribute("x", (x1 - s / 2).toFixed(2)); handle.setAttribute("y", (y1 - s / 2).toFixed(2));
    handle.setAttribute("width", s.toFixed(2)); handle.setAttribute("height", s.toFixed(2));
    handle.setAttribute("stroke-width", (1 / k).toFixed(2));
    svg.appendChild(handle);
  }

  var form = $("#draw-form");
  if (svg) {
    var drag = null, drawing = null;
    svg.addEventListener("pointerdown", function (e) {
      if (e.button !== 0) { return; }
      var p = toPage(e), t = e.target;
      var g = t.closest ? t.closest("g.prop") : null;
      // a finger scrolls the page unless the pen (draw mode) is on; a tap still chooses a box
      if (e.pointerType === "touch" && !svg.classList.contains("draw-mode")) {
        if (g) { focusItem(document.getElementById("p" + g.dataset.id)); }
        return;
      }
      if (t === handle) {
        var gr = document.querySelector("g.prop.focused"), r = firstBox(gr);
        drag = {mode: "resize", g: gr, rect: r, p: p, x: +r.getAttribute("x"), y: +r.getAttribute("y"),
                w: +r.getAttribute("width"), h: +r.getAttribute("height")};
      } else if (g && g.classList.contains("focused") && g.classList.contains("reshapable") && t.classList.contains("box")) {
        drag = {mode: "move", g: g, rect: t, p: p, x: +t.getAttribute("x"), y: +t.getAttribute("y"),
                w: +t.getAttribute("width"), h: +t.getAttribute("height")};
      } else if (g) {
        focusItem(document.getElementById("p" + g.dataset.id));
        e.preventDefault();
        return;
      } else if (form) {
        if (drawing) { drawing.remove(); }
        drawing = document.createElementNS(ns, "rect");
        drawing.setAttribute("class", "drawing");
        svg.appendChild(drawing);
        drag = {mode: "draw", p: p};
      } else { return; }
      svg.setPointerCapture(e.pointerId);
      e.preventDefault();
    });
    svg.addEventListener("pointermove", function (e) {
      if (!drag) { return; }
      var p = toPage(e), dx = p.x - drag.p.x, dy = p.y - drag.p.y;
      if (drag.mode === "draw") {
        drawing.setAttribute("x", Math.min(drag.p.x, p.x)); drawing.setAttribute("y", Math.min(drag.p.y, p.y));
        drawing.setAttribute("width", Math.abs(dx)); drawing.setAttribute("height", Math.abs(dy));
      } else if (drag.mode === "move") {
        drag.rect.setAttribute("x", drag.x + dx); drag.rect.setAttribute("y", drag.y + dy);
        if (handle) { handle.remove(); handle = null; }
      } else {
        drag.rect.setAttribute("width", Math.max(2, drag.w + dx)); drag.rect.setAttribute("height", Math.max(2, drag.h + dy));
        if (handle) { handle.remove(); handle = null; }
      }
    });
    var finish = function (e) {
      if (!drag) { return; }
      var d = drag, p = toPage(e);
      drag = null;
      if (d.mode === "draw") {
        if (Math.abs(p.x - d.p.x) < 2 || Math.abs(p.y - d.p.y) < 2) { drawing.remove(); drawing = null; return; }
        $("#draw-x0").value = Math.min(d.p.x, p.x).toFixed(2); $("#draw-y0").value = Math.min(d.p.y, p.y).toFixed(2);
        $("#draw-x1").value = Math.max(d.p.x, p.x).toFixed(2); $("#draw-y1").value = Math.max(d.p.y, p.y).toFixed(2);
        form.classList.remove("hidden");
        $("#draw-error").classList.add("hidden");
        $("#draw-reason").focus();
        return;
      }
      var r = d.rect, x = +r.getAttribute("x"), y = +r.getAttribute("y");
      var w = +r.getAttribute("width"), h = +r.getAttribute("height");
      if (Math.abs(x - d.x) + Math.abs(y - d.y) + Math.abs(w - d.w) + Math.abs(h - d.h) < 0.5) { showHandle(d.g); return; }
      var base = location.pathname.split("/docs/")[0];
      post(base + "/proposals/" + d.g.dataset.id + "/box",
           {index: r.dataset.index, x0: x.toFixed(2), y0: y.toFixed(2), x1: (x + w).toFixed(2), y1: (y + h).toFixed(2)})
        .then(function () { reopen(d.g.dataset.id); },
              function (err) { alert(err.message); reopen(d.g.dataset.id); });
    };
    svg.addEventListener("pointerup", finish);
    svg.addEventListener("pointercancel", function () { drag = null; });
  }
  if (form) {
    var reason = $("#draw-reason"), note = $("#draw-note");
    reason.addEventListener("change", function () { note.required = reason.value === "SG"; });
    // sent from here: a refusal (an SG box without its note) keeps the box and says why
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var fields = {};
      new FormData(form).forEach(function (v, k) { fields[k] = v; });
      post(form.action, fields).then(function (got) { reopen(got.proposal_id); }, function (err) {
        var box = $("#draw-error");
        box.textContent = err.message;
        box.classList.remove("hidden");
      });
    });
    $("#draw-cancel").addEventListener("click", function () {
      form.classList.add("hidden");
      var d = svg && svg.querySelector("rect.drawing");
      if (d) { d.remove(); }
    });
  }
  focusItem(startAt || items.find(function (li) { return li.dataset.status === "pending"; }) || items[0]);

  // --- the case-wide table: tick, filter by the words covered ---------------------------
  var tickAll = $("#tick-all"), textFilter = $("#filter-text");
  function rows() { return all("table.props tbody tr"); }
  function shownRows() { return rows().filter(function (tr) { return !tr.classList.contains("hidden"); }); }
  function countTicked() {
    var n = shownRows().filter(function (tr) { return tr.querySelector("input.tick").checked; }).length;
    all(".ticked-count").forEach(function (el) { el.textContent = String(n); });
  }
  if (textFilter) {
    textFilter.addEventListener("input", function () {
      var want = textFilter.value.toLowerCase();
      rows().forEach(function (tr) {
        var hit = !want || (tr.querySelector("td.text").textContent || "").toLowerCase().indexOf(want) >= 0;
        tr.classList.toggle("hidden", !hit);
        if (!hit) { tr.querySelector("input.tick").checked = false; }
      });
      countTicked();
    });
  }
  if (tickAll) {
    tickAll.addEventListener("change", function () {
      shownRows().forEach(function (tr) { tr.querySelector("input.tick").checked = tickAll.checked; });
      countTicked();
    });
  }
  all("input.tick").forEach(function (el) { el.addEventListener("change", countTicked); });
  all("input.hit-tick").forEach(function (el) {
    el.addEventListener("change", function () {
      var n = all("input.hit-tick").filter(function (x) { return x.checked; }).length;
      all(".picked-count").forEach(function (c) { c.textContent = String(n); });
    });
  });

  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) { return; }
    var t = e.target;
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT")) { return; }
    var link;
    switch (e.key) {
      case "j": link = $("#next"); if (link) { working(true); location.href = link.href; } break;
      case "k": link = $("#prev"); if (link) { working(true); location.href = link.href; } break;
      case "n": move(1); break;
      case "p": move(-1); break;
      case "a": submit("accept"); break;
      case "r": submit("reject"); break;
      case "u": link = $("#undo-form"); if (link) { working(true); link.submit(); } break;
      case "+": case "=": if (svg) { setZoom(zoom * 1.25); } break;
      case "-": if (svg) { setZoom(zoom / 1.25); } break;
      case "0": if (svg) { setZoom(1); } break;
      case "l": if (svg) { toggleLabels(); } break;
      default: return;
    }
    e.preventDefault();
  });
})();
