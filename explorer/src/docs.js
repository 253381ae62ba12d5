// Starts swagger-ui (bundled from npm into /static/docs/) on the API's OpenAPI document.
// A file, not an inline script: the page is served with script-src 'self'.
const el = document.getElementById("swagger-ui");
window.ui = window.SwaggerUIBundle({
  url: el.dataset.openapi || "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  presets: [window.SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
  // No validator badge: it would send the document to validator.swagger.io.
  validatorUrl: null,
});
