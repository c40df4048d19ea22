package org.rackboot.api.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import org.rackboot.api.resources.EnvironmentResource;
import org.rackboot.api.resources.EventResource;
import org.rackboot.api.resources.HostResource;
import org.rackboot.api.resources.OpenApiResource;
import org.rackboot.api.resources.RoleResource;
import org.rackboot.api.resources.TokenResource;
import org.rackboot.api.resources.DiscoveryResource;
import org.rackboot.api.testsupport.ApiTest;
import org.rackboot.api.testsupport.RunningApp;
import org.rackboot.api.testsupport.RunningApp.Resp;

/** /api/v1/openapi.json lists every endpoint; this fails when one is missing. */
class OpenApiTest {

  /** The endpoints the issue asks for, written out by hand: the document must have each. */
  private static final List<String> REQUIRED = List.of(
      "GET /api/v1/hosts", "POST /api/v1/hosts", "GET /api/v1/hosts/{id}",
      "PATCH /api/v1/hosts/{id}", "GET /api/v1/hosts/by-mac/{mac}",
      "PUT /api/v1/hosts/{id}/role", "POST /api/v1/hosts/{id}/rebuild",
      "POST /api/v1/hosts/{id}/retire", "PUT /api/v1/hosts/{id}/state",
      "POST /api/v1/hosts/{id}/checkin", "GET /api/v1/hosts/{id}/facts",
      "GET /api/v1/hosts/{id}/facts/history", "GET /api/v1/hosts/{id}/events",
      "GET /api/v1/events", "POST /api/v1/discovery",
      "GET /api/v1/environments", "POST /api/v1/environments",
      "GET /api/v1/environments/{name}", "DELETE /api/v1/environments/{name}",
      "GET /api/v1/roles", "POST /api/v1/roles", "GET /api/v1/roles/{id}",
      "PUT /api/v1/roles/{id}", "DELETE /api/v1/roles/{id}",
      "GET /api/v1/tokens", "POST /api/v1/tokens", "DELETE /api/v1/tokens/{id}",
      "GET /api/v1/openapi.json");

  @ApiTest
  void documentListsEveryEndpoint(RunningApp app) {
    Resp r = app.get("/api/v1/openapi.json", null);
    assertThat(r.status()).as("served without a token").isEqualTo(200);
    JsonNode doc = r.body();
    assertThat(doc.get("openapi").asText()).startsWith("3.");
    for (String e : REQUIRED) {
      assertThat(has(doc, e)).as("openapi.json has " + e).isTrue();
    }
    // And by reflection: every JAX-RS method of our resource classes.
    List<OpenApiResource.Endpoint> mine = OpenApiResource.endpoints(List.of(HostResource.class,
        EventResource.class, EnvironmentResource.class, RoleResource.class, TokenResource.class,
        DiscoveryResource.class, OpenApiResource.class));
    assertThat(mine).hasSizeGreaterThanOrEqualTo(REQUIRED.size());
    for (OpenApiResource.Endpoint e : mine) {
      assertThat(has(doc, e.httpMethod() + " " + e.path())).as(e.toString()).isTrue();
    }
    JsonNode create = doc.at("/paths/~1api~1v1~1hosts/post");
    assertThat(create.at("/requestBody/content/application~1json/schema/$ref").asText())
        .isEqualTo("#/components/schemas/HostInput");
    assertThat(create.at("/x-roles").toString()).contains("operator");
    assertThat(doc.at("/components/schemas/Host/properties/nics/items/$ref").asText())
        .isEqualTo("#/components/schemas/Nic");
    assertThat(doc.at("/components/schemas/ApiError/properties/field/type").asText())
        .isEqualTo("string");
  }

  private static boolean has(JsonNode doc, String endpoint) {
    String[] parts = endpoint.split(" ");
    return doc.path("paths").path(parts[1]).has(parts[0].toLowerCase(Locale.ROOT));
  }
}
