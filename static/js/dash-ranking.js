/*
 * The ranking page: "compare selected" is enabled while 2 to 5 communities are ticked,
 * and says how many are. Without scripts the button always submits and the compare page
 * says what it needs.
 */
(function () {
  "use strict";
  var form = document.getElementById("compare-form");
  if (!form) {
    return;
  }
  var button = form.querySelector("[data-compare-button]");
  var hint = form.querySelector("[data-compare-hint]");
  var min = parseInt(form.getAttribute("data-compare-min"), 10);
  var max = parseInt(form.getAttribute("data-compare-max"), 10);
  var initialHint = hint.textContent;

  function boxes() {
    return document.querySelectorAll('input[type="checkbox"][form="compare-form"]');
  }

  function update() {
    var ticked = 0;
    boxes().forEach(function (box) {
      if (box.checked) {
        ticked += 1;
      }
    });
    button.disabled = ticked < min || ticked > max;
    hint.textContent = ticked ? initialHint + " (" + ticked + ")" : initialHint;
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches('input[form="compare-form"]')) {
      update();
    }
  });
  update();
})();
