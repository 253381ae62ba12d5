// The network explorer at /: sigma.js (WebGL) over a graphology graph whose positions and
// metrics come precomputed from /api/networks/{name} (seeded layout: the page does no physics
// and never freezes). Filters, ego networks and paths only change what the reducers hide.
//
// This is the entry point; the page is split into modules: state.js (the shared state),
// loading.js, styling.js (colours, sizes, legend), filters.js, traversal.js (graphology's
// traversal and shortest-path packages over the edges on screen), refresh.js, reducers.js,
// selection.js, labels.js (collision-free labels), viewstate.js (the view in the URL, saved
// views), panel.js, path.js, search.js, export.js and wiring.js (event listeners).
import { loadNetworks } from "./loading.js";
import { setMessage } from "./refresh.js";
import { loadQueries, wire } from "./wiring.js";

wire();
loadQueries();
loadNetworks().catch((err) => setMessage(`Could not start the explorer: ${err.message}`));
