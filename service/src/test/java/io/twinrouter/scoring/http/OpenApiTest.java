package io.twinrouter.scoring.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import io.twinrouter.scoring.service.LiveRuns;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /openapi.yaml} is a valid OpenAPI 3.1 document (checked by swagger-parser), it
 * documents exactly the routes of {@link ApiRoutes#ENDPOINTS}, and the running server serves each
 * of them with a documented status.
 */
class OpenApiTest {

  static OpenAPI parse(String yaml) {
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    SwaggerParseResult result = new OpenAPIV3Parser().readContents(yaml, null, options);
    assertEquals(List.of(), result.getMessages(), "parser messages");
    assertEquals(SpecVersion.V31, result.getOpenAPI().getSpecVersion());
    assertTrue(result.getOpenAPI().getOpenapi().startsWith("3.1"));
    return result.getOpenAPI();
  }

  static Set<ApiRoutes.Endpoint> documented(OpenAPI api) {
    Set<ApiRoutes.Endpoint> out = new HashSet<>();
    api.getPaths().forEach((path, item) -> item.readOperationsMap().keySet()
        .forEach(method -> out.add(new ApiRoutes.Endpoint(method.name(), path))));
    return out;
  }

  @Test
  void theServedDocumentIsOpenApi31AndEveryRouteIsServedWithADocumentedStatus() throws Exception {
    try (TestService svc = TestService.start(TestService.settings(Optional.of("tok"), 1 << 20),
        () -> List.of(TestService.fixtureBank("bank1.jsonl")))) {
      svc.awaitReady();
      HttpResponse<String> doc = svc.get("/openapi.yaml");
      assertEquals(200, doc.statusCode());
      assertTrue(doc.headers().firstValue("Content-Type").orElse("").startsWith("application/yaml"));
      assertEquals(new String(OpenApiRoutes.load(), StandardCharsets.UTF_8), doc.body());
      OpenAPI api = parse(doc.body());
      // the parser does catch a broken document: a dangling reference
      SwaggerParseResult broken = new OpenAPIV3Parser().readContents(
          doc.body().replace("#/components/schemas/Bank'", "#/components/schemas/Nowhere'"), null, new ParseOptions());
      assertTrue(broken.getMessages().stream().anyMatch(m -> m.contains("Nowhere")), broken.getMessages().toString());

      assertEquals(Set.copyOf(ApiRoutes.ENDPOINTS), documented(api));

      String job = TestService.json(svc.post("/v1/static/banks/bank1/evaluations", "application/json",
          "{\"router\": \"always-low\"}")).get("id").asText();
      Map<String, String> values = Map.of("{bank}", "bank1", "{id}", job);
      // a finished live run (no cases), so its event stream ends and its score is there
      String liveRun = "openapi-run";
      svc.server.liveRuns().tell(new LiveRuns.Update(LiveRunsFixture.started(liveRun, List.of())));
      svc.server.liveRuns().tell(new LiveRuns.Update(LiveRunsFixture.finished(liveRun)));
      // a finished comparison, so its event stream ends
      String comparison = "openapi-comparison";
      svc.server.comparisons().tell(new io.twinrouter.scoring.service.Comparisons.Update(
          comparison, com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("id", comparison), true));
      for (ApiRoutes.Endpoint e : ApiRoutes.ENDPOINTS) {
        String path = e.path();
        if (path.startsWith("/v1/live/")) {
          path = path.replace("{id}", liveRun);
        }
        if (path.startsWith("/v1/compare/")) {
          path = path.replace("{id}", comparison);
        }
        for (var v : values.entrySet()) {
          path = path.replace(v.getKey(), v.getValue());
        }
        HttpRequest.Builder request = svc.request(path);
        if (e.method().equals("POST")) {
          boolean evaluation = path.endsWith("/evaluations");
          request.header("Content-Type", evaluation ? "application/json" : "application/x-ndjson")
              .POST(HttpRequest.BodyPublishers.ofString(evaluation ? "{\"router\": \"always-low\"}" : ""));
        } else {
          request.GET();
        }
        HttpResponse<String> r = svc.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertNotEquals(404, r.statusCode(), e + " is not served: " + r.body());
        assertNotEquals(405, r.statusCode(), e + " is not served: " + r.body());
        PathItem item = api.getPaths().get(e.path());
        Operation op = item.readOperationsMap().get(PathItem.HttpMethod.valueOf(e.method()));
        assertTrue(op.getResponses().containsKey(String.valueOf(r.statusCode())),
            e + " answered " + r.statusCode() + ", which the document does not list");
        if (!e.path().equals("/health") && !UiRoutes.ENDPOINTS.contains(e)) {
          assertTrue(op.getResponses().containsKey("401"), e + " must document its 401");
        }
      }
      assertEquals("not_found", TestService.assertError(404, svc.get("/v1/undocumented")));
    }
  }
}
