// Draws the practice measures chart from the Vega-Lite spec in the page. Progressive
// enhancement only: the table beside the chart holds the same numbers.
const spec = document.getElementById("language-rates-spec");
const target = document.getElementById("language-rates-chart");
if (spec && target && window.vegaEmbed) {
  window.vegaEmbed(target, JSON.parse(spec.textContent), { actions: false, renderer: "svg" })
    .catch(() => target.remove());
}
