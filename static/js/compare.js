// Compare page: run state of the buttons, keyboard shortcuts, the address of a saved run,
// one run at a time per pane, and the presenter view's one-pane-at-a-time stage.
(function () {
  "use strict";

  function $(selector) { return document.querySelector(selector); }

  var wasRunning = false;

  // Each pane shows one of its runs; a run swapped in over the socket arrives as the server
  // drew it, so the choice is applied again after every message.
  function syncRuns() {
    document.querySelectorAll(".pane-runs").forEach(function (runs) {
      var items = runs.querySelectorAll(":scope > .pane");
      if (items.length < 2) return;
      var shown = Math.min(Math.max(parseInt(runs.dataset.shown, 10) || 1, 1), items.length);
      items.forEach(function (item) { item.hidden = item.dataset.run !== String(shown); });
      var label = runs.parentElement.querySelector(".run-shown b");
      if (label) label.textContent = shown;
    });
  }

  function moveRun(button, step) {
    var column = button.closest(".pane-column");
    var runs = column && column.querySelector(".pane-runs");
    if (!runs) return;
    var count = runs.querySelectorAll(":scope > .pane").length;
    var shown = (parseInt(runs.dataset.shown, 10) || 1) + step;
    runs.dataset.shown = ((shown - 1 + count) % count) + 1;
    syncRuns();
  }

  function syncRunState() {
    syncRuns();
    var status = $("#compare-status");
    if (!status) return;
    var running = status.dataset.state === "streaming";
    // On Run the page moves to the panes, so their first lines are seen as they stream.
    if (running && !wasRunning) {
      var row = $("#pane-row");
      if (row) row.scrollIntoView({ block: "start", behavior: "instant" });
    }
    wasRunning = running;
    var run = $("#run-button"), stopAll = $("#stop-all-button");
    if (run) run.disabled = running;
    if (stopAll) stopAll.disabled = !running;
    var current = $("#comparison-id");
    if (current && current.dataset.url && current.dataset.url !== location.pathname) {
      history.replaceState(null, "", current.dataset.url);
    }
  }

  // Presenter view: "One pane" shows a single pane, arrow keys move between panes in both modes.
  function presenterStage() {
    var row = document.querySelector("body.presenter .pane-row");
    if (!row || row.dataset.stage) return;
    row.dataset.stage = "ready";
    var columns = row.querySelectorAll(":scope > .pane-column");
    if (!columns.length) return;
    columns[0].classList.add("is-current");
    var bar = document.createElement("div");
    bar.className = "presenter-bar";
    var toggle = document.createElement("button");
    toggle.type = "button";
    toggle.id = "presenter-toggle";
    toggle.setAttribute("aria-pressed", "false");
    toggle.textContent = "One pane at a time";
    var where = document.createElement("span");
    where.id = "presenter-where";
    where.setAttribute("aria-live", "polite");
    var hint = document.createElement("span");
    hint.className = "muted";
    hint.textContent = "← → move between panes";
    bar.append(toggle, where, hint);
    row.before(bar);
    toggle.addEventListener("click", function () {
      var one = !row.hasAttribute("data-one");
      row.toggleAttribute("data-one", one);
      toggle.setAttribute("aria-pressed", String(one));
      toggle.textContent = one ? "All panes" : "One pane at a time";
      showPane(row, 0);
    });
    showPane(row, 0);
  }

  function showPane(row, step) {
    var columns = Array.prototype.slice.call(row.querySelectorAll(":scope > .pane-column"));
    var current = columns.findIndex(function (c) { return c.classList.contains("is-current"); });
    var next = Math.min(Math.max(current + step, 0), columns.length - 1);
    columns.forEach(function (c, i) { c.classList.toggle("is-current", i === next); });
    var where = $("#presenter-where");
    if (where) where.textContent = "Pane " + (next + 1) + " of " + columns.length;
    columns[next].scrollIntoView({ block: "nearest", inline: "start", behavior: "smooth" });
  }

  document.addEventListener("keydown", function (event) {
    var stage = document.querySelector("body.presenter .pane-row");
    if (stage && (event.key === "ArrowRight" || event.key === "ArrowLeft") && !event.target.closest("input, textarea, select")) {
      event.preventDefault();
      showPane(stage, event.key === "ArrowRight" ? 1 : -1);
      return;
    }
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && event.target.id === "id_prompt") {
      event.preventDefault();
      var run = $("#run-button");
      if (run && !run.disabled) event.target.form.requestSubmit(run);
    } else if (event.key === "Escape") {
      var stopAll = $("#stop-all-button");
      if (stopAll && !stopAll.disabled) { event.preventDefault(); stopAll.click(); }
    }
  });

  // "Remove" on an attached file only takes it off this prompt: the upload stays in Media
  // (a saved comparison may use it), so the card's own delete request is not sent.
  document.addEventListener("click", function (event) {
    var remove = event.target.closest && event.target.closest("#compare-attachments .attachment-remove");
    if (!remove) return;
    event.preventDefault();
    event.stopPropagation();
    var card = remove.closest(".attachment-card");
    if (card) card.remove();
    var prompt = $("#id_prompt");
    if (prompt) prompt.focus();
  }, true);

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".run-prev, .run-next");
    if (button) moveRun(button, button.classList.contains("run-next") ? 1 : -1);
  });

  document.addEventListener("focusin", function (event) {
    if (event.target.classList && event.target.classList.contains("share-url")) event.target.select();
  });

  document.addEventListener("htmx:wsAfterMessage", syncRunState);
  document.addEventListener("htmx:wsClose", function () {
    var status = $("#compare-status");
    if (status && status.dataset.state === "streaming") {
      status.dataset.state = "idle";
      status.textContent = "Connection lost: what arrived is saved. Reload to see it.";
      syncRunState();
    }
  });
  document.addEventListener("htmx:afterSwap", syncRuns);
  document.addEventListener("DOMContentLoaded", function () {
    wasRunning = true;  // a page opened on a saved run stays where it is
    syncRunState();
    wasRunning = false;
    presenterStage();
  });
})();
