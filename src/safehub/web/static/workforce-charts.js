// Draws the workforce charts from the Vega-Lite specs in the page. Progressive enhancement only:
// the table beside each chart holds the same numbers, and a chart that cannot draw is removed.
for (const spec of document.querySelectorAll("script[data-chart]")) {
  const target = document.getElementById(spec.dataset.chart);
  if (target && window.vegaEmbed) {
    window.vegaEmbed(target, JSON.parse(spec.textContent), { actions: false, renderer: "svg" })
      .catch(() => target.remove());
  }
}
