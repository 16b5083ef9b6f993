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
