// A running batch's page follows the run: its JSON status is polled every second and the
// progress bar, the stage and the message follow; once the run has ended the page reloads
// to show the outcome. Without this file the page refreshes itself (<noscript> meta refresh).
"use strict";

(function () {
  var root = document.querySelector("[data-status-url]");
  if (!root || !window.fetch) return;
  var url = root.getAttribute("data-status-url");
  var bar = document.getElementById("batch-bar");
  var pct = document.getElementById("batch-percent");
  var state = document.getElementById("batch-state");
  var stage = document.getElementById("batch-stage");
  var msg = document.getElementById("batch-message");
  var failures = 0;

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (res) {
        if (!res.ok || res.redirected) throw new Error("status " + res.status);
        return res.json();
      })
      .then(function (s) {
        failures = 0;
        bar.value = s.percent;
        bar.textContent = s.percent + "%";
        pct.textContent = s.percent + "%";
        state.textContent = s.state_label;
        stage.textContent = s.finished ? "終了しました" : s.stage;
        if (msg.textContent !== s.message) msg.textContent = s.message;
        if (s.finished) {
          location.reload();
          return;
        }
        setTimeout(poll, 1000);
      })
      .catch(function () {
        // The portal may be restarting: keep asking, a little less often.
        failures++;
        setTimeout(poll, Math.min(10000, 1000 * (failures + 1)));
      });
  }
  setTimeout(poll, 1000);
})();
