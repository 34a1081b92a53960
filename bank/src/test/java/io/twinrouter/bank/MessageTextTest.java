package io.twinrouter.bank;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class MessageTextTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode msg(String json) throws Exception {
    return JSON.readTree(json);
  }

  @Test
  void toolCallsRenderAsTheReferenceDoes() throws Exception {
    // the bfcl_exotic example of spec 5.2
    JsonNode m = msg("{\"role\": \"assistant\", \"content\": \"\", \"tool_calls\": ["
        + "{\"id\": \"c1\", \"type\": \"function\", \"function\": {\"name\": \"calc\", "
        + "\"arguments\": {\"threshold\": 1e-7, \"big\": 1E1, \"exp\": 1e3, \"neg\": -0.5, "
        + "\"int\": 12, \"t\": true, \"quote\": \"he said \\\"hi\\\"\\\\ ok\", "
        + "\"ctrl\": \"a\\u0001b\u2028c\", \"emoji\": \"🚀x\"}}},"
        + "{\"function\": {\"name\": \"shell\", \"arguments\": [\"ls\", \"-la\"]}},"
        + "{\"function\": {\"name\": \"zero_args\", \"arguments\": 0}},"
        + "\"not-a-dict-tool-call\", {\"function\": null}]}");
    assertEquals("\ncalc\n{\"threshold\": 1e-07, \"big\": 10.0, \"exp\": 1000.0, \"neg\": -0.5, "
        + "\"int\": 12, \"t\": true, \"quote\": \"he said \\\"hi\\\"\\\\ ok\", "
        + "\"ctrl\": \"a\\u0001b\u2028c\", \"emoji\": \"🚀x\"}\nshell\n['ls', '-la']\nzero_args",
        MessageText.text(m, "m"));
  }

  @Test
  void blockContentJoinsTruthyTexts() throws Exception {
    JsonNode m = msg("{\"content\": [{\"type\": \"text\", \"text\": \"a\"}, \"\", "
        + "{\"type\": \"image\"}, {\"text\": 7}, {\"text\": 0}, \"b\"]}");
    assertEquals("a\n\n7\nb", MessageText.text(m, "m"));
  }

  @Test
  void fingerprintsIgnoreCacheControlAndBlockForm() throws Exception {
    String plain = MessageText.fingerprint(msg("{\"role\": \"user\", \"content\": \"hi\"}"));
    String blocks = MessageText.fingerprint(msg("{\"content\": [{\"type\": \"text\", \"text\": "
        + "\"hi\", \"cache_control\": {\"type\": \"ephemeral\"}}], \"role\": \"user\"}"));
    assertEquals(plain, blocks);
    assertEquals(MessageText.fingerprint(msg("{\"role\": \"user\", \"content\": null}")),
        MessageText.fingerprint(msg("{\"role\": \"user\", \"content\": \"\"}")));
    assertNotEquals(MessageText.fingerprint(msg("{\"role\": \"user\"}")),
        MessageText.fingerprint(msg("{\"role\": \"user\", \"content\": \"\"}")));
    assertNotEquals(
        MessageText.fingerprint(msg("{\"tool_calls\": [{\"arguments\": 1}]}")),
        MessageText.fingerprint(msg("{\"tool_calls\": [{\"arguments\": 1.0}]}")));
  }
}
