// The API documentation page (/api/docs): Swagger UI over the OpenAPI document the server
// compiles in and serves at /api/openapi.yaml, so the page always describes the server that
// serves it.
import SwaggerUI from "swagger-ui-dist/swagger-ui-es-bundle.js";
import "swagger-ui-dist/swagger-ui.css";

SwaggerUI({
  url: "/api/openapi.yaml",
  dom_id: "#swagger-ui",
  // Links to an operation (#/user/post_api_user_login) survive a reload.
  deepLinking: true,
  // The default sends the document to an outside validator and shows its badge: the page
  // must load nothing from elsewhere.
  validatorUrl: null,
});
