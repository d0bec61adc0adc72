// The link chart: draws the network data in the page with cytoscape.js, and brings in what is
// linked to a point when it is selected (from the API, as the same user). Progressive
// enhancement only: the tables on the page hold the same people, links and timeline.
const dataBlock = document.getElementById("link-chart-data");
const target = document.getElementById("link-chart");
const status = document.getElementById("link-chart-status");
const help = document.getElementById("link-chart-help");

// Shape and colour by group (child, adult, age not known, record, place, identifier): the key on
// the page says the same, and shape alone tells children from adults (not colour alone).
const LOOKS = {
  child: ["diamond", "#d4351c"],
  adult: ["ellipse", "#1d70b8"],
  unknown: ["octagon", "#6f72af"],
  person: ["octagon", "#6f72af"],
  record: ["round-rectangle", "#505a5f"],
  place: ["rectangle", "#00703c"],
  address: ["rectangle", "#00703c"],
};
const IDENTIFIER = ["triangle", "#912b88"];

function look(node) {
  return LOOKS[node.data("group")] || LOOKS[node.data("kind")] || IDENTIFIER;
}

// Labels sit under their point on a white backing, and the layout keeps room for them, so that
// no two labels overlap.
const LAYOUT = {
  name: "cose", animate: false, nodeDimensionsIncludeLabels: true, nodeRepulsion: () => 12000,
  idealEdgeLength: () => 80, padding: 20,
};

function elementsOf(data) {
  return [...data.nodes, ...data.edges];
}

function say(text) {
  if (status) status.textContent = text;
}

async function expand(cy, node) {
  const params = new URLSearchParams(window.location.search);
  params.set("seed", node.id());
  params.set("hops", "1");
  const response = await fetch(`/api/v1/network/chart?${params.toString()}`, {
    credentials: "same-origin", headers: { Accept: "application/json" },
  });
  if (!response.ok) {
    say(`Could not bring in what is linked to ${node.data("label")}.`);
    return;
  }
  const data = await response.json();
  const fresh = elementsOf(data).filter((el) => cy.getElementById(el.data.id).empty());
  cy.add(fresh);
  cy.layout({ ...LAYOUT, randomize: false }).run();
  target.dataset.nodes = String(cy.nodes().length);
  say(`${fresh.length} new points and links around ${node.data("label")}.`);
}

if (dataBlock && target && window.cytoscape) {
  const data = JSON.parse(dataBlock.textContent);
  if (help) help.hidden = false;
  const cy = window.cytoscape({
    container: target,
    elements: elementsOf(data),
    layout: LAYOUT,
    style: [
      { selector: "node", style: {
        label: "data(label)", "font-size": 10, "text-wrap": "ellipsis", "text-max-width": 110,
        "text-valign": "bottom", "text-margin-y": 3, "text-background-color": "#ffffff",
        "text-background-opacity": 0.85, "text-background-padding": 1,
        "background-color": (n) => look(n)[1],
        shape: (n) => look(n)[0],
      } },
      { selector: `node[id = "${data.seed.replace(/"/g, "")}"]`, style: {
        "border-width": 4, "border-color": "#ffdd00",
      } },
      { selector: "edge", style: { width: 1.5, "line-color": "#b1b4b6" } },
    ],
  });
  // Kept on the element (not a global) so that a test can find the chart it drew.
  target.safehubChart = cy;
  target.dataset.nodes = String(cy.nodes().length);
  cy.on("tap", "node", (event) => {
    expand(cy, event.target).catch(() => say("Could not bring in more of the network."));
  });
}
