// Sigma's node and edge reducers: what is drawn, hidden or faded for the filters, the
// selection and a highlighted path.
import { app } from "./state.js";

const FADED_NODE = "#E8E8E8";
const FADED_EDGE = "#F0F0F0";

// Sigma passes the reducers a fresh copy of the attributes, so they change it in place:
// copying again for 50,000 edges on every redraw would cost more than the drawing.
export function nodeReducer(id, data) {
  if (!app.reducersOn) return data;
  if (!app.visibleNodes.has(id)) {
    data.hidden = true;
    data.label = null;
    return data;
  }
  if (app.path) {
    if (app.path.nodes.has(id)) {
      data.highlighted = true;
      data.forceLabel = true;
      data.zIndex = 2;
    } else fade(data);
    return data;
  }
  if (app.selected) {
    if (id === app.selected) {
      data.highlighted = true;
      data.forceLabel = true;
      data.zIndex = 3;
    } else if (app.neighbours.has(id)) {
      data.forceLabel = app.neighbours.size <= 30;
      data.zIndex = 2;
    } else fade(data);
    return data;
  }
  return data;
}

function fade(data) {
  data.color = FADED_NODE;
  data.label = null;
  data.zIndex = 0;
}

export function edgeReducer(id, data) {
  if (!app.reducersOn) return data;
  if (!app.visibleEdges.has(id)) {
    data.hidden = true;
    return data;
  }
  if (app.path) {
    if (app.path.edges.has(id)) {
      data.size = (data.size || 1) * 2.2;
      data.zIndex = 2;
    } else {
      data.color = FADED_EDGE;
      data.zIndex = 0;
    }
    return data;
  }
  if (app.selected) {
    const [s, t] = app.graph.extremities(id);
    if (s !== app.selected && t !== app.selected) {
      data.color = FADED_EDGE;
      data.zIndex = 0;
    } else {
      data.size = (data.size || 1) * 1.6;
      data.zIndex = 2;
    }
  }
  return data;
}
