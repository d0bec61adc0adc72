#!/usr/bin/env bash
# Copy the npm front-end packages (installed by `npm ci` from package-lock.json) into the shared
# static folder. Nothing third-party is committed: this runs at install time.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
static="$root/src/safehub/http/static"
mkdir -p "$static/govuk" "$static/vendor"
rm -rf "$static/govuk/assets"
cp "$root/node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.css" "$static/govuk/"
cp "$root/node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js" "$static/govuk/"
cp -r "$root/node_modules/govuk-frontend/dist/govuk/assets" "$static/govuk/assets"
cp "$root/node_modules/vega/build/vega.min.js" "$static/vendor/"
cp "$root/node_modules/vega-lite/build/vega-lite.min.js" "$static/vendor/"
cp "$root/node_modules/vega-embed/build/vega-embed.min.js" "$static/vendor/"
cp "$root/node_modules/cytoscape/dist/cytoscape.min.js" "$static/vendor/"
# The API documentation page (Swagger UI), served from here rather than from a CDN.
rm -rf "$static/vendor/swagger-ui"
mkdir -p "$static/vendor/swagger-ui"
for file in swagger-ui-bundle.js swagger-ui.css LICENSE NOTICE; do
  cp "$root/node_modules/swagger-ui-dist/$file" "$static/vendor/swagger-ui/"
done
