/*
 * Draws every chart of a page: an element [data-chart="<id>"] gets the ECharts option
 * stored as JSON in the element #<id>-option (written by the server, see reports/charts.py).
 * A series entry with a "url" opens that page when clicked. Charts follow the size of
 * their box, and are drawn again after htmx swaps new ones in. Readers who ask for reduced
 * motion get them without animation.
 */
(function () {
  "use strict";

  var drawn = [];
  var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  function draw(root) {
    if (typeof echarts === "undefined") {
      return;
    }
    root.querySelectorAll("[data-chart]").forEach(function (box) {
      if (box.dataset.drawn) {
        return;
      }
      var source = document.getElementById(box.dataset.chart + "-option");
      if (!source) {
        return;
      }
      var option = JSON.parse(source.textContent);
      if (still) {
        option.animation = false;
      }
      var chart = echarts.init(box, null, { renderer: "canvas" });
      chart.setOption(option);
      chart.on("click", function (params) {
        if (params.data && params.data.url) {
          window.location.href = params.data.url;
        }
      });
      box.dataset.drawn = "1";
      drawn.push(chart);
    });
  }

  var pending = null;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(function () {
      drawn.forEach(function (chart) {
        chart.resize();
      });
    }, 150);
  });

  document.addEventListener("DOMContentLoaded", function () {
    draw(document);
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    draw(event.target);
  });
})();
