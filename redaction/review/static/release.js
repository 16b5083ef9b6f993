// Follows a case's release on the case page: polls release.json while a release run
// waits or works, and shows its state, its message and the released files.
(function () {
  "use strict";
  var box = document.getElementById("release-status");
  if (!box) { return; }
  var LABELS = {none: "Not released", waiting: "Waiting for the sign-off", running: "Releasing\u2026",
                released: "Released", refused: "Refused", cancelled: "Cancelled"};
  var every = 2000, stopAfter = Date.now() + 30 * 60 * 1000;
  function text(id, value) { var el = document.getElementById(id); if (el) { el.textContent = value; } }
  function show(s) {
    box.dataset.state = s.state;
    text("release-state", LABELS[s.state] || s.state);
    text("release-message", s.message);
    text("release-run", s.run_id ? "(release run " + s.run_id + ")" : "");
    var list = document.getElementById("release-files");
    list.textContent = "";
    s.files.forEach(function (f) {
      var li = document.createElement("li"), a = document.createElement("a");
      a.className = "released-file-link";
      a.href = f.url;
      a.textContent = f.name;
      li.appendChild(a);
      list.appendChild(li);
    });
    if (s.state === "released" || s.state === "refused") {
      var form = document.getElementById("signoff");
      if (form && s.state === "released") { form.closest("form").classList.add("hidden"); }
    }
  }
  function poll() {
    fetch(box.dataset.url, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
      .then(function (s) {
        show(s);
        if (!s.settled && Date.now() < stopAfter) { setTimeout(poll, every); }
      })
      .catch(function () { if (Date.now() < stopAfter) { setTimeout(poll, every * 3); } });
  }
  poll();
})();
