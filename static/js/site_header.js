// The header's controls on every page: the menu button of narrow screens, and the list of
// keyboard shortcuts (press ?).
(function () {
  "use strict";

  var NOT_TYPED_INTO = ["button", "checkbox", "color", "file", "image", "radio", "range", "reset", "submit"];

  function isTyping(target) {
    if (!target || !target.tagName) return false;
    if (target.isContentEditable) return true;
    var tag = target.tagName.toLowerCase();
    if (tag === "textarea" || tag === "select") return true;
    return tag === "input" && NOT_TYPED_INTO.indexOf(target.type) === -1;
  }

  function menuParts() {
    return { button: document.querySelector(".menu-button"), menu: document.getElementById("site-menu") };
  }

  function setMenuOpen(open, returnFocus) {
    var parts = menuParts();
    if (!parts.button) return;
    parts.button.setAttribute("aria-expanded", open ? "true" : "false");
    if (!open && returnFocus) parts.button.focus();
  }

  function menuIsOpen() {
    var parts = menuParts();
    return parts.button && parts.button.getAttribute("aria-expanded") === "true";
  }

  function shortcutsDialog() { return document.getElementById("shortcuts"); }

  function openShortcuts() {
    var dialog = shortcutsDialog();
    if (!dialog || dialog.open) return;
    setMenuOpen(false, false);
    dialog.showModal();
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    var parts = menuParts();
    if (parts.button && parts.button.contains(target)) {
      setMenuOpen(!menuIsOpen(), false);
    } else if (target.closest && target.closest(".shortcuts-button")) {
      openShortcuts();
    } else if (target.closest && target.closest(".shortcuts-close")) {
      shortcutsDialog().close();
    } else if (target === shortcutsDialog()) {
      shortcutsDialog().close();  // a click on the backdrop, outside the list
    } else if (menuIsOpen() && parts.menu && !parts.menu.contains(target)) {
      setMenuOpen(false, false);
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "?" && !event.ctrlKey && !event.metaKey && !event.altKey && !isTyping(event.target)) {
      event.preventDefault();
      openShortcuts();
    } else if (event.key === "Escape" && menuIsOpen()) {
      event.stopImmediatePropagation();  // closing the menu stops nothing else
      setMenuOpen(false, true);
    }
  }, true);

  document.addEventListener("DOMContentLoaded", function () {
    var dialog = shortcutsDialog();
    if (!dialog) return;
    // Escape closes the list (the browser does that); it must not also stop a running reply.
    dialog.addEventListener("keydown", function (event) {
      if (event.key === "Escape") event.stopPropagation();
    });
  });
})();
