// The chat page's own behaviour: conversation menus, rename in place, versions of a message,
// and the phone drawers (conversation list, settings). Everything else is htmx's work.
(function () {
  "use strict";

  var DRAWERS = ["chat-sidebar", "composer-settings"];

  function openMenus() { return document.querySelectorAll("details.item-menu[open]"); }

  function menuItems(menu) { return Array.prototype.slice.call(menu.querySelectorAll("[role=menuitem]")); }

  function closeMenu(menu, focusSummary) {
    menu.open = false;
    if (focusSummary) menu.querySelector("summary").focus();
  }

  function openDrawer() {
    return DRAWERS.map(function (id) { return document.getElementById(id); })
      .filter(function (drawer) { return drawer && drawer.classList.contains("drawer-open"); })[0];
  }

  function setDrawer(id, open) {
    var root = document.getElementById("chat-root");
    DRAWERS.forEach(function (other) {
      var drawer = document.getElementById(other);
      if (!drawer) return;
      var isOpen = open && other === id;
      drawer.classList.toggle("drawer-open", isOpen);
      document.querySelectorAll('[data-drawer="' + other + '"]').forEach(function (button) {
        button.setAttribute("aria-expanded", isOpen ? "true" : "false");
      });
    });
    if (root) root.classList.toggle("drawer-shown", open);
    var drawer = document.getElementById(id);
    if (open && drawer) {
      var first = drawer.querySelector("a[aria-current], .drawer-close, a, button, input, select, textarea");
      if (first) first.focus();
    } else {
      var opener = document.querySelector('[data-drawer="' + id + '"]');
      if (opener && opener.offsetParent !== null) opener.focus();
    }
  }

  // One menu open at a time; opening one puts the focus on its first item.
  document.addEventListener("toggle", function (event) {
    var menu = event.target;
    if (!(menu instanceof Element) || !menu.matches("details.item-menu")) return;
    var summary = menu.querySelector("summary");
    summary.setAttribute("aria-expanded", menu.open ? "true" : "false");
    if (!menu.open) return;
    openMenus().forEach(function (other) { if (other !== menu) other.open = false; });
    var first = menuItems(menu)[0];
    if (first) first.focus();
  }, true);

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) return;
    openMenus().forEach(function (menu) {
      if (!menu.contains(target)) menu.open = false;
      else if (target.closest("[role=menuitem]")) menu.open = false;
    });
    var opener = target.closest("[data-drawer]");
    if (opener) {
      var id = opener.dataset.drawer;
      var drawer = document.getElementById(id);
      setDrawer(id, !(drawer && drawer.classList.contains("drawer-open")));
    } else if (target.closest(".drawer-close, .drawer-backdrop")) {
      var shown = openDrawer();
      if (shown) setDrawer(shown.id, false);
    }
  });

  // Capturing, so Escape closes what is open before the page's own Escape (Stop) sees it.
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) return;
    var menu = target.closest("details.item-menu[open]");
    if (menu && ["ArrowDown", "ArrowUp", "Home", "End"].indexOf(event.key) >= 0) {
      var items = menuItems(menu), at = items.indexOf(document.activeElement);
      var next = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: items.length - 1 }[event.key];
      items[(next + items.length) % items.length].focus();
      event.preventDefault();
      return;
    }
    if (event.key !== "Escape") return;
    var rename = target.closest(".rename-inline");
    if (menu) {
      closeMenu(menu, true);
    } else if (rename) {
      cancelRename(rename);
    } else if (openDrawer()) {
      setDrawer(openDrawer().id, false);
    } else {
      return;
    }
    event.preventDefault();
    event.stopPropagation();
  }, true);

  document.addEventListener("focusout", function (event) {
    var menu = event.target instanceof Element && event.target.closest("details.item-menu[open]");
    if (menu && event.relatedTarget && !menu.contains(event.relatedTarget)) menu.open = false;
  });

  function cancelRename(form) {
    var item = form.closest("li");
    form.remove();
    item.querySelectorAll("[hidden]").forEach(function (element) { element.hidden = false; });
    var link = item.querySelector("a");
    if (link) link.focus();
  }

  // The reasoning controls are redrawn by the model picker, the effort and the thought-summary
  // box: the latest redraw asked for is the one drawn. One overtaken on its way is left to finish
  // and not swapped in (it would draw an older choice over a newer one): hx-sync's replace would
  // abort it instead, and htmx 2 logs every aborted request as a console error.
  var reasoningRedraws = 0;
  function isReasoningRedraw(event) {
    var target = event.detail.target;
    return target instanceof Element && target.id === "reasoning-controls" && !!event.detail.xhr;
  }
  document.addEventListener("htmx:beforeRequest", function (event) {
    if (isReasoningRedraw(event)) event.detail.xhr.reasoningRedraw = ++reasoningRedraws;
  });
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (isReasoningRedraw(event) && event.detail.xhr.reasoningRedraw !== reasoningRedraws) {
      event.detail.shouldSwap = false;
    }
  });

  var branchDirection = null;
  document.addEventListener("htmx:configRequest", function (event) {
    var submitter = event.detail.triggeringEvent && event.detail.triggeringEvent.submitter;
    branchDirection = submitter && submitter.dataset.direction ? submitter : null;
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.target;
    if (!(target instanceof Element)) return;
    if (target.id === "transcript" && branchDirection) {
      // The version shown now: the focus stays on its arrows, so a person can keep switching.
      var turn = document.getElementById("turn-" + branchDirection.value);
      var same = turn && turn.querySelector('.branch-switch [data-direction="' + branchDirection.dataset.direction + '"]');
      var button = same && !same.disabled ? same : turn && turn.querySelector(".branch-switch button:not([disabled])");
      if (button) button.focus();
      branchDirection = null;
      return;
    }
    var item = target.matches("li.conversation-item") ? target : null;
    if (!item && event.detail.elt instanceof Element) item = document.getElementById(event.detail.elt.id);
    if (!item || !item.matches || !item.matches("li.conversation-item")) return;
    var input = item.querySelector(".rename-inline input");
    if (input) { input.focus(); input.select(); }
    else if (document.activeElement === document.body) item.querySelector("a").focus();
  });
})();
