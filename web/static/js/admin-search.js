// The facility search answers as the operator types: after a short pause the same page's
// results (/admin/facilities?q=…&fragment=1) replace the list below the box. Without this
// file the box is a plain form that shows the results page.
"use strict";

(function () {
  var form = document.querySelector("form.facility-search");
  if (!form || !window.fetch) return;
  var box = form.querySelector('input[name="q"]');
  var out = document.getElementById(form.getAttribute("data-results"));
  if (!box || !out) return;
  var timer = null;
  var seq = 0;
  var last = box.value;

  function run() {
    var q = box.value;
    if (q === last) return;
    last = q;
    var mine = ++seq;
    if (q.trim() === "") {
      out.innerHTML = "";
      return;
    }
    fetch(form.action + "?fragment=1&q=" + encodeURIComponent(q), { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (res) {
        if (res.redirected || (res.status >= 300 && res.status !== 422)) throw new Error("status " + res.status);
        return res.text();
      })
      .then(function (html) {
        if (mine !== seq) return; // an answer to an older query
        out.innerHTML = html;
        if (history.replaceState) history.replaceState(null, "", form.action + "?q=" + encodeURIComponent(q));
      })
      .catch(function () { /* the form still works: Enter shows the results page */ });
  }

  box.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(run, 300);
  });
})();
