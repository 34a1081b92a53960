package io.twinrouter.bank.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Expected texts are CPython 3's json.dumps output for the same value. */
class PyJsonTest {
  private static final String DOC =
      "{\"a\": [], \"b\": {}, \"c\": [1, true, null, \"\u00e9\u007f\ud83d\ude80\\t\"],"
          + " \"d\": {\"x\": [{\"y\": \"z\"}]}}";

  private static JsonNode doc() throws Exception {
    return new ObjectMapper().readTree(DOC);
  }

  @Test
  void indentAndEnsureAsciiMatchPython() throws Exception {
    assertEquals(
        "{\n    \"a\": [],\n    \"b\": {},\n    \"c\": [\n        1,\n        true,\n        null,\n"
            + "        \"\\u00e9\\u007f\\ud83d\\ude80\\t\"\n    ],\n    \"d\": {\n        \"x\": [\n"
            + "            {\n                \"y\": \"z\"\n            }\n        ]\n    }\n}",
        PyJson.dumps(doc(), 4, true));
    assertEquals(
        "{\n\"a\": [],\n\"b\": {},\n\"c\": [\n1,\ntrue,\nnull,\n\"\\u00e9\\u007f\\ud83d\\ude80\\t\"\n],\n"
            + "\"d\": {\n\"x\": [\n{\n\"y\": \"z\"\n}\n]\n}\n}",
        PyJson.dumps(doc(), 0, true));
    assertEquals(
        "{\"a\": [], \"b\": {}, \"c\": [1, true, null, \"\\u00e9\\u007f\\ud83d\\ude80\\t\"],"
            + " \"d\": {\"x\": [{\"y\": \"z\"}]}}",
        PyJson.dumps(doc(), null, true));
    assertEquals(
        "{\n  \"a\": [],\n  \"b\": {},\n  \"c\": [\n    1,\n    true,\n    null,\n"
            + "    \"\u00e9\u007f\ud83d\ude80\\t\"\n  ],\n  \"d\": {\n    \"x\": [\n      {\n"
            + "        \"y\": \"z\"\n      }\n    ]\n  }\n}",
        PyJson.dumps(doc(), 2, false));
    assertEquals(DOC, PyJson.dumps(doc()));
  }

  @Test
  void plainJavaValuesAreWrittenInIterationOrder() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("z", List.of("a\u007f", "\u00fc"));
    m.put("a", Arrays.asList(2L, false, null));
    assertEquals(
        "{\"z\": [\"a\\u007f\", \"\\u00fc\"], \"a\": [2, false, null]}", PyJson.dumpsValue(m, null));
    assertThrows(IllegalArgumentException.class, () -> PyJson.dumpsValue(List.of(1.5), null));
  }
}
