// Light, dark or the system's choice. Loaded in <head> without `defer`, so a remembered theme is
// set before the page is drawn and never flashes the other one.
(function () {
  "use strict";
  var KEY = "playground-theme";
  var root = document.documentElement;
  // Controls that only work with scripts (theme switch, phone menu) are shown from here on.
  root.classList.add("scripted");

  function remembered() {
    try {
      var theme = localStorage.getItem(KEY);
      return theme === "light" || theme === "dark" ? theme : "auto";
    } catch (error) {
      return "auto";  // storage blocked: follow the system
    }
  }

  function apply(theme) {
    if (theme === "auto") delete root.dataset.theme; else root.dataset.theme = theme;
    var choice = document.getElementById("theme-choice");
    if (choice) choice.value = theme;
  }

  apply(remembered());

  document.addEventListener("DOMContentLoaded", function () {
    var choice = document.getElementById("theme-choice");
    if (!choice) return;
    choice.value = remembered();
    choice.addEventListener("change", function () {
      var theme = choice.value === "light" || choice.value === "dark" ? choice.value : "auto";
      try {
        if (theme === "auto") localStorage.removeItem(KEY); else localStorage.setItem(KEY, theme);
      } catch (error) { /* not remembered, but still applied to this page */ }
      apply(theme);
    });
  });

  // Another tab changed it: follow, so every open page agrees.
  window.addEventListener("storage", function (event) {
    if (event.key === KEY) apply(remembered());
  });
})();
