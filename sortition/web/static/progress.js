// Polls the run's status while a job runs: state, elapsed seconds, the algorithm's live status
// (phase, lowest probability, proven bound and gap) and the library's progress lines.
"use strict";
(function () {
  const box = document.getElementById("progress");
  if (!box) { return; }
  const state = document.getElementById("state");
  const elapsed = document.getElementById("elapsed");
  const lines = document.getElementById("lines");
  const live = document.getElementById("live");
  const labels = {
    running: box.dataset.labelRunning, done: box.dataset.labelDone,
    failed: box.dataset.labelFailed, cancelled: box.dataset.labelCancelled,
  };
  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (status) {
        state.textContent = labels[status.state] || status.state;
        state.className = "state-" + status.state;
        elapsed.textContent = Number(status.elapsed || 0).toFixed(1).replace(".", box.dataset.decimal);
        lines.textContent = (status.lines || []).join("\n");
        live.textContent = status.live_text || "";
        lines.scrollTop = lines.scrollHeight;
        if (status.state === "running") {
          window.setTimeout(poll, 700);
        } else if (status.state === "done") {
          window.location.assign(box.dataset.doneUrl);
        } else {
          window.location.reload();
        }
      })
      .catch(function () { window.setTimeout(poll, 2000); });
  }
  if (state.className === "state-running") { window.setTimeout(poll, 500); }
}());
