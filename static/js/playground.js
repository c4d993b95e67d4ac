// The little the pages need beyond htmx: keyboard shortcuts, copy buttons, composer state.
(function () {
  "use strict";

  function $(selector, root) { return (root || document).querySelector(selector); }

  function addCopyButtons(root) {
    (root || document).querySelectorAll(".markdown pre").forEach(function (pre) {
      if (pre.querySelector(".copy-button")) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "copy-button";
      button.textContent = "Copy";
      button.setAttribute("aria-label", "Copy code");
      pre.appendChild(button);
    });
  }

  function copyText(text, button) {
    var done = function () {
      var label = button.textContent;
      button.textContent = "Copied";
      setTimeout(function () { button.textContent = label; }, 1200);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () {});
    } else {
      var area = document.createElement("textarea");
      area.value = text;
      document.body.appendChild(area);
      area.select();
      document.execCommand("copy");
      area.remove();
      done();
    }
  }

  var wasStreaming = false;

  function syncComposer() {
    var status = $("#run-status");
    if (!status) return;
    var streaming = status.dataset.state === "streaming";
    // A run that starts shows its new turn, even when the transcript was re-rendered whole.
    if (streaming && !wasStreaming) {
      var transcript = $("#transcript");
      if (transcript) transcript.scrollTop = transcript.scrollHeight;
    }
    wasStreaming = streaming;
    var send = $("#send-button"), stop = $("#stop-button"), prompt = $("#prompt");
    if (send) send.disabled = streaming;
    if (stop) stop.disabled = !streaming;
    if (status.dataset.clearPrompt && prompt) {
      prompt.value = "";
      var attached = $("#composer-attachments");
      if (attached) attached.innerHTML = "";  // sent with the message; they stay on its turn
      delete status.dataset.clearPrompt;
    }
    if (!streaming && prompt && document.activeElement === document.body) prompt.focus();
    var conversation = $("#conversation-id");
    if (conversation && conversation.dataset.url && conversation.dataset.url !== location.pathname) {
      history.replaceState(null, "", conversation.dataset.url);
    }
  }

  function stickToBottom() {
    var transcript = $("#transcript");
    if (!transcript) return;
    var nearBottom = transcript.scrollHeight - transcript.scrollTop - transcript.clientHeight < 120;
    if (nearBottom) transcript.scrollTop = transcript.scrollHeight;
  }

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing && target.id === "prompt") {
      event.preventDefault();
      var send = $("#send-button");
      if (send && !send.disabled) target.form.requestSubmit(send);
    } else if (event.key === "Escape") {
      var stop = $("#stop-button");
      if (stop && !stop.disabled) { event.preventDefault(); stop.click(); }
    }
  });

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (target.classList.contains("copy-button")) {
      var code = target.parentElement.querySelector("code");
      copyText((code || target.parentElement).innerText, target);
    } else if (target.classList.contains("copy-answer")) {
      var turn = document.getElementById(target.dataset.copyFrom);
      var answer = turn && turn.querySelector(".answer");
      if (answer) copyText(answer.innerText, target);
    } else if (target.hasAttribute("data-dismiss-notice")) {
      var notice = target.closest(".csrf-notice");
      if (notice) notice.remove();
    } else if (target.classList.contains("edit-toggle")) {
      var form = document.getElementById(target.dataset.edit);
      if (form) {
        form.classList.toggle("hidden");
        var area = form.querySelector("textarea");
        if (area && !form.classList.contains("hidden")) area.focus();
      }
    }
  });

  document.addEventListener("htmx:wsAfterMessage", function () {
    syncComposer();
    addCopyButtons();
    stickToBottom();
  });

  // Swaps over HTTP too (another version of a message shown): its code blocks get buttons.
  document.addEventListener("htmx:afterSwap", function () { addCopyButtons(); });

  // A request refused by the CSRF check (a page open too long, a lost session) answers 403 with
  // a short notice and a `csrf-failed` event: htmx swaps no 403, so the notice goes to the foot
  // of the page rather than into the request's own target.
  function siteNotice() {
    var box = $("#site-notice");
    if (!box) {
      box = document.createElement("div");
      box.id = "site-notice";
      box.className = "site-notice";
      document.body.appendChild(box);
    }
    return box;
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    if (xhr.status !== 403 || !/"csrf-failed"/.test(xhr.getResponseHeader("HX-Trigger") || "")) return;
    event.detail.shouldSwap = true;
    event.detail.isError = false;
    event.detail.target = siteNotice();
    event.detail.swapOverride = "innerHTML";
    event.detail.selectOverride = ".csrf-notice";
  });

  document.addEventListener("htmx:wsClose", function () {
    var status = $("#run-status");
    if (status && status.dataset.state === "streaming") {
      status.dataset.state = "idle";
      status.textContent = "Connection lost: what arrived is saved. Reload to see it.";
      syncComposer();
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    addCopyButtons();
    syncComposer();
    var transcript = $("#transcript");
    if (transcript) transcript.scrollTop = transcript.scrollHeight;
  });
})();
