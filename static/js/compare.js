// Compare page: run state of the buttons, keyboard shortcuts, the address of a saved run.
(function () {
  "use strict";

  function $(selector) { return document.querySelector(selector); }

  function syncRunState() {
    var status = $("#compare-status");
    if (!status) return;
    var running = status.dataset.state === "streaming";
    var run = $("#run-button"), stopAll = $("#stop-all-button");
    if (run) run.disabled = running;
    if (stopAll) stopAll.disabled = !running;
    var current = $("#comparison-id");
    if (current && current.dataset.url && current.dataset.url !== location.pathname) {
      history.replaceState(null, "", current.dataset.url);
    }
  }

  document.addEventListener("keydown", function (event) {
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
  document.addEventListener("DOMContentLoaded", syncRunState);
})();
