// Progressive enhancement: draws the waterfall of match weights; the table beside it has the
// same figures, so the page works without scripts.
(function () {
  var holder = document.getElementById("waterfall");
  var data = document.getElementById("waterfall-spec");
  if (!holder || !data || typeof vegaEmbed !== "function") return;
  vegaEmbed(holder, JSON.parse(data.textContent), { actions: false, renderer: "svg" });
})();
