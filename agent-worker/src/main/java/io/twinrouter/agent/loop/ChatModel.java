package io.twinrouter.agent.loop;

import io.twinrouter.config.PoolModel;
import java.util.List;
import java.util.Map;

/**
 * An OpenAI-compatible chat endpoint. Blocking; transport retries happen inside. A {@link
 * ModelRefusal} ends the case as a value; any other exception means the endpoint could not answer
 * even after retries: an infrastructure failure of the case.
 */
@FunctionalInterface
public interface ChatModel {

  /**
   * @param messages the conversation in OpenAI format, without twinrouter's bookkeeping keys
   * @param tools the tool schemas offered (empty in text mode)
   */
  ModelTurn complete(PoolModel model, List<Map<String, Object>> messages,
      List<Map<String, Object>> tools) throws Exception;
}
