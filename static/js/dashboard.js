/*
 * Small helpers of the dashboard pages: a select marked data-autosubmit submits its form
 * when changed (the form's button stays for keyboards and browsers without scripts).
 */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.matches && field.matches("select[data-autosubmit]") && field.form) {
      field.form.requestSubmit ? field.form.requestSubmit() : field.form.submit();
    }
  });
})();
