// Presenting a deck: one step per screen, moved with the arrow keys or a clicker's PageUp and
// PageDown; each step runs on arrival (over the socket, by the run form) and again on R.
(function () {
  "use strict";

  function $(selector) { return document.querySelector(selector); }

  var slides = Array.prototype.slice.call(document.querySelectorAll(".deck-slide"));
  var current = 0;

  function runCurrent() {
    var form = $("#deck-run");
    if (!form || !slides.length) return;
    $("#deck-run-step").value = slides[current].dataset.step;
    form.requestSubmit();
  }

  function show(index, run) {
    if (!slides.length) return;
    current = Math.min(Math.max(index, 0), slides.length - 1);
    slides.forEach(function (slide, i) { slide.hidden = i !== current; });
    var where = $("#deck-where");
    if (where) where.textContent = "Step " + (current + 1) + " of " + slides.length;
    $("#deck-prev").disabled = current === 0;
    $("#deck-next").disabled = current === slides.length - 1;
    if (run) runCurrent();
  }

  function move(by) {
    var next = Math.min(Math.max(current + by, 0), slides.length - 1);
    if (next !== current) show(next, true);
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target && target.closest && target.closest("input, select, textarea")) return;
    if (event.key === "ArrowRight" || event.key === "PageDown") {
      event.preventDefault();
      move(1);
    } else if (event.key === "ArrowLeft" || event.key === "PageUp") {
      event.preventDefault();
      move(-1);
    } else if (event.key === "r" || event.key === "R") {
      runCurrent();
    } else if (event.key === "Escape") {
      var stop = $("#deck-stop");
      if (stop) stop.click();
    }
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest("#deck-prev")) move(-1);
    if (event.target.closest("#deck-next")) move(1);
  });

  show(0, false);
  // The first step runs once the socket is open (htmx's ws extension says so).
  document.body.addEventListener("htmx:wsOpen", function () { runCurrent(); }, { once: true });
})();
