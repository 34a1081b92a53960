package io.twinrouter.gateway;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.twinrouter.config.ModelPool;
import io.twinrouter.config.PoolModel;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * {@code GET /v1/models}: every pool model under its model id and, when it differs, its
 * {@code api-model}, the names a proxy may ask for.
 */
final class GatewayModels implements HttpHandler {

  private final ModelPool pool;

  GatewayModels(ModelPool pool) {
    this.pool = pool;
  }

  /** The pool model a proxy named: by model id first, then by api-model. */
  static Optional<PoolModel> find(ModelPool pool, String name) {
    Optional<PoolModel> byId = pool.byId(name);
    if (byId.isPresent()) {
      return byId;
    }
    return pool.models().stream().filter(m -> name.equals(m.apiModel())).findFirst();
  }

  static Set<String> names(ModelPool pool) {
    Set<String> names = new LinkedHashSet<>();
    for (PoolModel m : pool.models()) {
      names.add(m.modelId());
      if (m.apiModel() != null && !m.apiModel().isEmpty()) {
        names.add(m.apiModel());
      }
    }
    return names;
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    try {
      if (!"GET".equals(ex.getRequestMethod())) {
        ChatForwarding.error(ex, 405, "invalid_request_error", "method_not_allowed",
            "use GET on /v1/models");
        return;
      }
      ObjectNode list = JsonNodeFactory.instance.objectNode();
      list.put("object", "list");
      ArrayNode data = list.putArray("data");
      for (String name : names(pool)) {
        data.addObject().put("id", name).put("object", "model").put("created", 0)
            .put("owned_by", "twinrouter-gateway");
      }
      ChatForwarding.send(ex, 200, list.toString());
    } finally {
      ex.close();
    }
  }
}
