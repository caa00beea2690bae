// The portal's own script. CSP forbids inline scripts: behaviour hangs off data- attributes.
(function () {
  "use strict";

  // Confirm before a destructive POST: <form data-confirm="确定撤销？">
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form.getAttribute && form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  }, true);

  // Auto-submit a filter form when a select changes: <form data-autosubmit>
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.form && el.form.hasAttribute("data-autosubmit") && el.tagName === "SELECT") {
      el.form.requestSubmit();
    }
  });

  // Charts: <div class="chart" data-chart="ID-of-json_script"></div>; the JSON is an ECharts option.
  function renderCharts(root) {
    if (!window.echarts) { return; }
    (root || document).querySelectorAll("[data-chart]").forEach(function (el) {
      if (el.getAttribute("data-chart-ready")) { return; }
      var source = document.getElementById(el.getAttribute("data-chart"));
      if (!source) { return; }
      var option = JSON.parse(source.textContent);
      var chart = window.echarts.init(el, null, { renderer: "svg" });
      chart.setOption(option);
      el.setAttribute("data-chart-ready", "1");
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { renderCharts(document); });
  document.addEventListener("htmx:afterSwap", function (event) { renderCharts(event.target); });
  window.portalRenderCharts = renderCharts;
})();
