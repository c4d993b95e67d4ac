// The tools and schema editors: their dialogs, line numbers, removing a tool, and putting an
// example's prompt into the composer. Adding tools and checking them is htmx's work (see
// templates/runs/_tools_settings.html).
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
    var opener = target.closest("[data-open-dialog]");
    if (opener) {
      var dialog = document.getElementById(opener.getAttribute("data-open-dialog"));
      if (dialog && !dialog.open) {
        numberLines(dialog);
        dialog.showModal();  // Escape closes it; focus goes back to the Edit button
        var first = dialog.querySelector("textarea, select");
        if (first) first.focus();
      }
      return;
    }
    var closer = target.closest("[data-close-dialog]");
    if (closer) {
      var open = closer.closest("dialog");
      if (open) open.close();
      return;
    }
    var use = target.closest("[data-use-prompt]");
    if (use) {
      var prompt = document.getElementById("prompt") || document.getElementById("id_prompt");
      if (prompt) {
        prompt.value = use.getAttribute("data-use-prompt");
        var inDialog = use.closest("dialog");
        if (inDialog) inDialog.close();
        prompt.focus();
      }
    }
  });

  // Line numbers beside each editor, so the checks' "line 12" can be found.
  function countLines(area) {
    var gutter = area.previousElementSibling;
    var lines = area.value.split("\n").length;
    if (gutter.dataset.lines !== String(lines)) {
      var numbers = [];
      for (var n = 1; n <= lines; n++) numbers.push(n);
      gutter.textContent = numbers.join("\n");
      gutter.dataset.lines = String(lines);
    }
    gutter.scrollTop = area.scrollTop;
  }

  function numberLines(root) {
    root.querySelectorAll("textarea").forEach(function (area) {
      if (area.parentElement.classList.contains("numbered")) return countLines(area);
      var box = document.createElement("div");
      box.className = "numbered";
      var gutter = document.createElement("pre");
      gutter.className = "line-numbers";
      gutter.setAttribute("aria-hidden", "true");
      area.parentElement.insertBefore(box, area);
      box.appendChild(gutter);
      box.appendChild(area);
      area.addEventListener("input", function () { countLines(area); });
      area.addEventListener("scroll", function () { gutter.scrollTop = area.scrollTop; });
      countLines(area);
    });
  }

  // The side panel's one-line summaries follow what the dialogs hold once they close.
  document.addEventListener("close", function (event) {
    var dialog = event.target;
    if (dialog.id === "tools-dialog") {
      var names = [];
      dialog.querySelectorAll("#tool-list textarea").forEach(function (area) {
        try {
          var tool = JSON.parse(area.value);
          var fn = (tool && tool.function) || tool;
          if (fn && typeof fn.name === "string") names.push(fn.name);
        } catch (error) { if (area.value.trim()) names.push("(not valid JSON)"); }
      });
      var summary = document.getElementById("tools-summary");
      if (summary) {
        summary.textContent = names.length ?
          names.length + (names.length === 1 ? " tool: " : " tools: ") + names.join(", ") : "No tools";
      }
    } else if (dialog.id === "structured-dialog") {
      var format = document.getElementById("id_response_format");
      var name = document.getElementById("id_response_schema_name");
      var line = document.getElementById("structured-summary");
      if (line && format) {
        line.textContent = format.value + (format.value === "json_schema" && name && name.value ? ": " + name.value : "");
      }
    }
  }, true);

  // A newly added editor gets the focus, so its JSON can be edited at once.
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail && event.detail.target;
    // A swapped-in editor (an example, a new tool) gets its line numbers too.
    document.querySelectorAll("dialog[open]").forEach(numberLines);
    if (target && target.id === "tool-list") {
      var areas = target.querySelectorAll("textarea");
      if (areas.length) areas[areas.length - 1].focus();
    }
  });
})();
