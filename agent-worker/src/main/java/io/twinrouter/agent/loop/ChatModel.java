package io.twinrouter.agent.loop;

import com.fasterxml.jackson.databind.JsonNode;
import io.twinrouter.agent.model.ModelTurn;
import io.twinrouter.config.PoolModel;
import java.util.List;

/**
 * An OpenAI-compatible chat endpoint. Blocking; transport retries happen inside. A {@link
 * ModelRefusal} ends the case as a value; any other exception means the endpoint could not answer
 * even after retries: an infrastructure failure of the case.
 */
@FunctionalInterface
public interface ChatModel {

  /**
   * @param messages the conversation in OpenAI format as the loop keeps it: shared JSON trees the
   *     model must not modify, each possibly carrying mini's {@code extra} bookkeeping block,
   *     which is never sent to the endpoint
   * @param tools the tool schemas offered (empty in text mode)
   */
  ModelTurn complete(PoolModel model, List<JsonNode> messages, List<JsonNode> tools)
      throws Exception;
}
