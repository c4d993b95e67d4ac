// Attachment uploads: a refused file's message goes where the form says, and the picker clears
// after a success. Any form (or element) with data-upload-errors="#selector" gets this.
(function () {
  "use strict";

  function uploader(element) {
    return element && element.closest ? element.closest("[data-upload-errors]") : null;
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    var form = uploader(event.detail.requestConfig && event.detail.requestConfig.elt);
    if (!form) return;
    var box = document.querySelector(form.dataset.uploadErrors);
    var status = event.detail.xhr.status;
    if (!box) return;
    if (status === 400 || status === 413) {
      // A refusal is an answer to show, not a failure to hide.
      event.detail.shouldSwap = true;
      event.detail.isError = false;
      event.detail.target = box;
      event.detail.swapOverride = "innerHTML";
    } else if (status >= 200 && status < 300) {
      box.innerHTML = "";
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    if (form && form.matches && form.matches("form[data-upload-errors]") && event.detail.successful) {
      form.reset();
    }
  });
})();
