// Attaching images and audio to a chat message: file picker, paste, drag and drop, and
// recording from the microphone (sent as WAV). Uploads go over HTTP; the message then names them.
(function () {
  "use strict";

  // The form that takes attachments names its parts in data attributes (chat's ids by default).
  var composer = document.querySelector("form[data-upload-url]");
  if (!composer) return;
  function part(name, fallback) {
    return document.getElementById(composer.dataset[name] || fallback);
  }
  var list = part("attachmentList", "composer-attachments");
  var errors = part("attachmentErrors", "attachment-errors");
  var picker = part("attachFile", "attach-file");
  var recordButton = part("recordButton", "record-button");
  var recordStatus = part("recordStatus", "record-status");
  var prompt = part("promptField", "prompt");

  function csrfToken() {
    try { return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"]; }
    catch (e) { return ""; }
  }

  function upload(file) {
    var body = new FormData();
    body.append("file", file, file.name || "pasted");
    errors.textContent = "Uploading " + (file.name || "file") + "…";
    return fetch(composer.dataset.uploadUrl, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "HX-Request": "true" }
    }).then(function (response) {
      return response.text().then(function (html) {
        if (response.ok) {
          errors.textContent = "";
          list.insertAdjacentHTML("beforeend", html);
          if (window.htmx) window.htmx.process(list.lastElementChild);
        } else {
          errors.innerHTML = html || ("The upload failed (" + response.status + ").");
        }
      });
    }, function () { errors.textContent = "The upload failed: the server could not be reached."; });
  }

  function uploadAll(files) {
    return Array.prototype.reduce.call(files, function (done, file) {
      return done.then(function () { return upload(file); });
    }, Promise.resolve());
  }

  picker.addEventListener("change", function () {
    uploadAll(picker.files).then(function () { picker.value = ""; });
  });

  prompt.addEventListener("paste", function (event) {
    var files = event.clipboardData && event.clipboardData.files;
    if (files && files.length) { event.preventDefault(); uploadAll(files); }
  });

  composer.addEventListener("dragover", function (event) {
    if (event.dataTransfer && Array.prototype.indexOf.call(event.dataTransfer.types, "Files") >= 0) {
      event.preventDefault();
      composer.classList.add("drop-target");
    }
  });
  composer.addEventListener("dragleave", function () { composer.classList.remove("drop-target"); });
  composer.addEventListener("drop", function (event) {
    composer.classList.remove("drop-target");
    if (event.dataTransfer && event.dataTransfer.files.length) {
      event.preventDefault();
      uploadAll(event.dataTransfer.files);
    }
  });

  // Recording: MediaRecorder gives compressed audio; it is decoded and written out as WAV.
  var recorder = null;
  var chunks = [];

  function wavFrom(buffer) {
    var rate = buffer.sampleRate, length = buffer.length, channels = buffer.numberOfChannels;
    var samples = new Float32Array(length);
    for (var c = 0; c < channels; c++) {
      var data = buffer.getChannelData(c);
      for (var i = 0; i < length; i++) samples[i] += data[i] / channels;
    }
    var view = new DataView(new ArrayBuffer(44 + length * 2));
    function text(offset, value) { for (var k = 0; k < value.length; k++) view.setUint8(offset + k, value.charCodeAt(k)); }
    text(0, "RIFF"); view.setUint32(4, 36 + length * 2, true); text(8, "WAVE");
    text(12, "fmt "); view.setUint32(16, 16, true); view.setUint16(20, 1, true); view.setUint16(22, 1, true);
    view.setUint32(24, rate, true); view.setUint32(28, rate * 2, true); view.setUint16(32, 2, true);
    view.setUint16(34, 16, true); text(36, "data"); view.setUint32(40, length * 2, true);
    for (var j = 0; j < length; j++) {
      var s = Math.max(-1, Math.min(1, samples[j]));
      view.setInt16(44 + j * 2, s < 0 ? s * 0x8000 : s * 0x7fff, true);
    }
    return new Blob([view], { type: "audio/wav" });
  }

  function stopRecording() {
    if (recorder && recorder.state !== "inactive") recorder.stop();
  }

  function startRecording() {
    if (!navigator.mediaDevices || !window.MediaRecorder) {
      recordStatus.textContent = "This browser cannot record audio.";
      return;
    }
    navigator.mediaDevices.getUserMedia({ audio: true }).then(function (stream) {
      chunks = [];
      recorder = new MediaRecorder(stream);
      recorder.addEventListener("dataavailable", function (event) { chunks.push(event.data); });
      recorder.addEventListener("stop", function () {
        stream.getTracks().forEach(function (track) { track.stop(); });
        recordButton.textContent = "Record";
        recordButton.setAttribute("aria-pressed", "false");
        recordStatus.textContent = "Preparing the recording…";
        new Blob(chunks).arrayBuffer().then(function (bytes) {
          var context = new (window.AudioContext || window.webkitAudioContext)();
          return context.decodeAudioData(bytes).then(function (buffer) {
            context.close();
            var stamp = new Date().toISOString().slice(11, 19).replace(/:/g, "");
            var file = new File([wavFrom(buffer)], "recording-" + stamp + ".wav", { type: "audio/wav" });
            recordStatus.textContent = "";
            return upload(file);
          });
        }).catch(function () { recordStatus.textContent = "The recording could not be read."; });
      });
      recorder.start();
      recordButton.textContent = "Stop recording";
      recordButton.setAttribute("aria-pressed", "true");
      recordStatus.textContent = "Recording…";
    }, function () { recordStatus.textContent = "The microphone is not available (permission denied?)."; });
  }

  recordButton.addEventListener("click", function () {
    if (recorder && recorder.state === "recording") stopRecording(); else startRecording();
  });
})();
