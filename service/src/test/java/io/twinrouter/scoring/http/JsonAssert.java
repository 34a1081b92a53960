package io.twinrouter.scoring.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Compares JSON as the parity fixtures ask: numbers by double value (NaN equals NaN), keys in order. */
final class JsonAssert {
  private JsonAssert() {}

  static void assertSameJson(JsonNode expected, JsonNode actual) {
    compare("$", expected, actual);
  }

  private static void compare(String at, JsonNode e, JsonNode a) {
    if (e.isNumber() && a.isNumber()) {
      double x = e.doubleValue();
      double y = a.doubleValue();
      if (!(Double.isNaN(x) && Double.isNaN(y)) && Double.compare(x, y) != 0) {
        fail(at + ": expected " + x + " but was " + y);
      }
      return;
    }
    if (e.isObject() && a.isObject()) {
      assertEquals(names(e), names(a), at + ": keys");
      e.fieldNames().forEachRemaining(k -> compare(at + "." + k, e.get(k), a.get(k)));
      return;
    }
    if (e.isArray() && a.isArray()) {
      assertEquals(e.size(), a.size(), at + ": length");
      for (int i = 0; i < e.size(); i++) {
        compare(at + "[" + i + "]", e.get(i), a.get(i));
      }
      return;
    }
    assertEquals(e, a, at);
  }

  private static List<String> names(JsonNode n) {
    List<String> out = new ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }
}
