/* Charts drawn from data the page carries in <script type="application/json"> (no inline script: CSP).
   <canvas data-chart="ID" data-kind="percent|bars|stacked"> — ID names the JSON element. */
(function () {
  "use strict";
  const RED = "#b71c1c", GREEN = "#2e7d32", ORANGE = "#ef6c00", GREY = "#90a4ae";
  const fmt = (v) => (v === null || v === undefined) ? "—" :
    Number(v).toLocaleString(document.documentElement.lang === "vi" ? "vi-VN" : "en-GB", {maximumFractionDigits: 1});

  function percent(canvas, data) {
    const values = data.values.map((v) => v === null ? 0 : v);
    return new Chart(canvas, {
      type: "bar",
      data: {labels: data.labels, datasets: [{data: values,
        backgroundColor: data.values.map((v) => v === null ? GREY : (v >= 100 ? GREEN : ORANGE))}]},
      options: {indexAxis: "y", responsive: true, maintainAspectRatio: false, animation: false,
        plugins: {legend: {display: false}, tooltip: {callbacks: {label: (c) => fmt(data.values[c.dataIndex]) + "%"}}},
        scales: {x: {beginAtZero: true, suggestedMax: 120, ticks: {callback: (v) => fmt(v) + "%"},
                     grid: {color: (c) => c.tick && c.tick.value === 100 ? RED : "#e0e0e0",
                            lineWidth: (c) => c.tick && c.tick.value === 100 ? 2 : 1}}}}
    });
  }

  function bars(canvas, data, stacked) {
    const colours = [GREEN, "#43a047", "#fbc02d", ORANGE, RED, GREY, "#1565c0"];
    return new Chart(canvas, {
      type: "bar",
      data: {labels: data.labels, datasets: data.datasets.map((d, i) => ({label: d.label, data: d.values,
        backgroundColor: d.colour || colours[i % colours.length]}))},
      options: {responsive: true, maintainAspectRatio: false, animation: false,
        indexAxis: data.horizontal ? "y" : "x",
        plugins: {legend: {display: data.datasets.length > 1},
                  tooltip: {callbacks: {label: (c) => c.dataset.label + ": " + fmt(c.raw) + (data.suffix || "")}}},
        scales: (function () {
          const value = {stacked: !!stacked, beginAtZero: true, ticks: {precision: 0, callback: (v) => fmt(v)}};
          const category = {stacked: !!stacked};
          return data.horizontal ? {x: value, y: category} : {x: category, y: value};
        })()}
    });
  }

  function draw(root) {
    if (typeof Chart === "undefined") { return; }
    root.querySelectorAll("canvas[data-chart]").forEach((canvas) => {
      if (canvas.dataset.drawn) { return; }
      const source = document.getElementById(canvas.dataset.chart);
      if (!source) { return; }
      const data = JSON.parse(source.textContent);
      const kind = canvas.dataset.kind || "percent";
      canvas.dataset.drawn = "1";
      if (kind === "percent") { percent(canvas, data); }
      else { bars(canvas, data, kind === "stacked"); }
    });
  }

  document.addEventListener("DOMContentLoaded", () => draw(document));
  document.addEventListener("htmx:afterSettle", (e) => draw(e.target));
})();
document.addEventListener("click", (e) => {
  if (e.target.closest("[data-print]")) { window.print(); }
});
