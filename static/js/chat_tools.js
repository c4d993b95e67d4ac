// The tools editor: removing a tool, and putting an example's prompt into the composer.
// Adding tools and checking them is htmx's work (see templates/chat/_tools_settings.html).
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) return;
    var remove = target.closest(".tool-remove");
    if (remove) {
      var editor = remove.closest(".tool-editor");
      var container = document.getElementById("tools-editor");
      if (editor) editor.remove();
      // The editor re-checks the remaining tools and updates tool_choice's options.
      if (container) container.dispatchEvent(new CustomEvent("tools-changed", { bubbles: true }));
      var next = document.querySelector("#tool-list textarea") || document.querySelector(".tool-add button");
      if (next) next.focus();
      return;
    }
    var use = target.closest("[data-use-prompt]");
    if (use) {
      var prompt = document.getElementById("prompt") || document.getElementById("id_prompt");
      if (prompt) {
        prompt.value = use.getAttribute("data-use-prompt");
        prompt.focus();
      }
    }
  });

  // A newly added editor gets the focus, so its JSON can be edited at once.
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail && event.detail.target;
    if (target && target.id === "tool-list") {
      var areas = target.querySelectorAll("textarea");
      if (areas.length) areas[areas.length - 1].focus();
    }
  });
})();
