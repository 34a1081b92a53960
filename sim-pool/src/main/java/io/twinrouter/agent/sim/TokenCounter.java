package io.twinrouter.agent.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import io.twinrouter.agent.model.MessageContent;

/**
 * cl100k token counts of chat messages, with OpenAI's per-message framing: 3 tokens per message
 * plus 3 priming the reply; a message's role, text, tool calls, tool_call_id and name are
 * counted. Tools schemas are counted as their JSON text.
 */
final class TokenCounter {
  // lazy: the default registry parses all four vocabularies (about 7 MB) up front
  private static final Encoding CL100K =
      Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
  static final int PER_MESSAGE = 3;
  static final int REPLY_PRIMING = 3;

  private TokenCounter() {}

  static int count(String text) {
    return text == null || text.isEmpty() ? 0 : CL100K.countTokensOrdinary(text);
  }

  static int message(JsonNode m) {
    int n = PER_MESSAGE + count(m.path("role").asText());
    JsonNode content = m.get("content");
    if (content != null && !content.isNull()) {
      n += count(MessageContent.text(content));
    }
    JsonNode calls = m.get("tool_calls");
    if (calls != null && calls.isArray()) {
      for (JsonNode c : calls) {
        n += count(c.path("function").path("name").asText());
        JsonNode args = c.path("function").path("arguments");
        n += count(args.isTextual() ? args.asText() : args.toString());
      }
    }
    n += count(m.path("tool_call_id").asText(""));
    n += count(m.path("name").asText(""));
    return n;
  }

  static int tools(JsonNode tools) {
    return tools == null || !tools.isArray() || tools.isEmpty() ? 0 : count(tools.toString());
  }
}
