// Draws every chart on the page from its JSON spec (a <script type="application/json"> the server wrote).
// Kept in a file, not inline, so the Content-Security-Policy can forbid inline scripts altogether.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  if (typeof Plotly === "undefined") {
    return;
  }
  document.querySelectorAll("[data-chart]").forEach(function (holder) {
    var source = document.getElementById(holder.dataset.chart);
    if (!source) {
      return;
    }
    var spec = JSON.parse(source.textContent);
    Plotly.newPlot(holder, spec.data, spec.layout, {displaylogo: false, responsive: true});
  });
});
