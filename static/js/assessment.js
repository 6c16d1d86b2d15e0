/* The assessment page: autosave after a pause, a warning before leaving with unsaved
   changes, drag-and-drop uploads and more application rows. Everything here is an aid:
   without JavaScript each form still posts and the page comes back with the result. */
(function () {
  "use strict";

  var AUTOSAVE_MS = 3000;
  var texts = document.querySelector("[data-text-unsaved]");
  var UNSAVED = texts ? texts.getAttribute("data-text-unsaved") : "";
  var SAVING = texts ? texts.getAttribute("data-text-saving") : "";

  function indicatorForm(element) {
    var form = element.closest("form[data-indicator-form]");
    // Evidence inputs sit inside an indicator's form but belong to their own form.
    if (!form || (element.form && element.form !== form)) return null;
    return form;
  }

  function status(form, text) {
    var slot = document.getElementById("status-" + form.getAttribute("data-indicator-form"));
    if (slot) {
      slot.textContent = text;
      slot.classList.remove("failed");
    }
  }

  function schedule(form) {
    clearTimeout(form._autosave);
    form._autosave = setTimeout(function () {
      if (form.dataset.dirty === "1") {
        status(form, SAVING);
        form.requestSubmit();
      }
    }, AUTOSAVE_MS);
  }

  document.addEventListener("input", function (event) {
    var form = indicatorForm(event.target);
    if (!form) return;
    form.dataset.dirty = "1";
    status(form, UNSAVED);
    schedule(form);
  });
  document.addEventListener("change", function (event) {
    var form = indicatorForm(event.target);
    if (form) {
      form.dataset.dirty = "1";
      status(form, UNSAVED);
      schedule(form);
    }
    var input = event.target;
    if (input.type === "file" && input.form && input.files.length) {
      input.form.requestSubmit();  // picking files uploads them at once
    }
  });

  // A save answered by the server: clean when it says saved, still dirty otherwise.
  document.addEventListener("htmx:afterSettle", function (event) {
    var form = event.detail.elt;
    if (!form || !form.matches || !form.matches("form[data-indicator-form]")) return;
    var slot = document.getElementById("status-" + form.getAttribute("data-indicator-form"));
    if (slot && !slot.classList.contains("failed")) {
      form.dataset.dirty = "0";
    }
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.matches("form[data-indicator-form]")) clearTimeout(form._autosave);
    if (form.matches("[data-submit-form]") && document.querySelector("form[data-dirty='1']")) {
      // Unsaved answers would not be part of the submission: save them first.
      event.preventDefault();
      document.querySelectorAll("form[data-dirty='1']").forEach(function (dirty) {
        dirty.requestSubmit();
      });
      window.alert(UNSAVED);
    }
  }, true);

  window.addEventListener("beforeunload", function (event) {
    if (document.querySelector("form[data-dirty='1']")) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // Drag-and-drop onto an item's evidence area.
  document.querySelectorAll("[data-dropzone]").forEach(function (zone) {
    zone.addEventListener("dragover", function (event) {
      event.preventDefault();
      zone.classList.add("dragging");
    });
    zone.addEventListener("dragleave", function () {
      zone.classList.remove("dragging");
    });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      zone.classList.remove("dragging");
      var form = document.getElementById(zone.getAttribute("data-dropzone"));
      var input = zone.querySelector("input[type=file]");
      if (!form || !input || !event.dataTransfer.files.length) return;
      input.files = event.dataTransfer.files;
      form.requestSubmit();
    });
  });

  // One more row of applications (L4P1.1): a copy of the last row, emptied.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-add-application]");
    if (!button) return;
    var body = document.querySelector(
      "[data-application-rows='" + button.getAttribute("data-add-application") + "']");
    var last = body && body.lastElementChild;
    if (!last) return;
    var copy = last.cloneNode(true);
    var index = body.children.length;
    copy.querySelectorAll("input, select").forEach(function (field) {
      field.name = field.name.replace(/\.applications\.\d+\./, ".applications." + index + ".");
      field.value = "";
    });
    body.appendChild(copy);
  });
})();
