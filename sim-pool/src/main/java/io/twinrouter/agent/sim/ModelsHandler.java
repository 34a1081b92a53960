package io.twinrouter.agent.sim;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.twinrouter.config.ModelPool;
import io.twinrouter.config.PoolModel;
import java.io.IOException;

/** {@code GET /v1/models}: the pool's model ids, as OpenAI lists models. */
final class ModelsHandler implements HttpHandler {
  private final ModelPool pool;

  ModelsHandler(ModelPool pool) {
    this.pool = pool;
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    try {
      if (!ex.getRequestMethod().equals("GET")) {
        HttpJson.error(ex, 405, "invalid_request_error", "method_not_allowed", "use GET /v1/models");
        return;
      }
      ObjectNode root = JsonNodeFactory.instance.objectNode().put("object", "list");
      ArrayNode data = root.putArray("data");
      for (PoolModel m : pool.models()) {
        data.addObject()
            .put("id", m.modelId())
            .put("object", "model")
            .put("owned_by", "twinrouter-sim")
            .put("tier", m.tier().wireName());
      }
      HttpJson.send(ex, 200, root.toString());
    } finally {
      ex.close();
    }
  }
}
