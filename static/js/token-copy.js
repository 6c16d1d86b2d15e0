/*
 * The page of a new API token: the "copy" button puts the secret on the clipboard. The
 * button stays hidden without scripts; the secret is in a read-only field to select and
 * copy by hand.
 */
(function () {
  "use strict";
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    var status = button.parentNode.querySelector(".token-copy-status");
    if (!field) {
      return;
    }

    function say(text) {
      if (status) {
        status.textContent = text;
      }
    }

    function byHand() {
      field.focus();
      field.select();
      try {
        if (document.execCommand("copy")) {
          say(button.getAttribute("data-copied"));
          return;
        }
      } catch (error) {
        // fall through: the secret stays selected for the user to copy
      }
      say(button.getAttribute("data-failed"));
    }

    button.hidden = false;
    button.addEventListener("click", function () {
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(function () {
          say(button.getAttribute("data-copied"));
        }, byHand);
      } else {
        byHand();
      }
    });
    field.addEventListener("focus", function () {
      field.select();
    });
  });
})();
