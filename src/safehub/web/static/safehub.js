// Progressive enhancement only: every page works without scripts.
import { initAll } from "/static/govuk/govuk-frontend.min.js";
initAll();
