// Render Vega-Lite specs to SVG without a browser: the report's HTML must work offline as a file
// and WeasyPrint runs no JavaScript. Reads {"vendor": dir, "specs": [...]} on stdin, writes a
// JSON list of SVG strings on stdout. Uses the same vega and vega-lite builds the web app serves
// (copied from node_modules by scripts/install-assets.sh); vega's toSVG needs no canvas.
"use strict";
const path = require("path");
const Module = require("module");

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", async () => {
  const { vendor, specs } = JSON.parse(input);
  const vega = require(path.join(vendor, "vega.min.js"));
  // vega-lite's UMD build asks for "vega" by name: give it the one just loaded.
  const load = Module._load;
  Module._load = function (request, ...rest) {
    return request === "vega" ? vega : load.call(this, request, ...rest);
  };
  const vl = require(path.join(vendor, "vega-lite.min.js"));
  const out = [];
  for (const spec of specs) {
    const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: "none" });
    out.push(await view.toSVG());
    view.finalize();
  }
  process.stdout.write(JSON.stringify(out));
});
