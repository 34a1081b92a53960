package io.twinrouter.bank;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * A parsed message as a hash key with exact, key-order-sensitive equality. Steps of a trajectory
 * repeat all earlier messages, so most messages of a bank are duplicates; keying them this way
 * lets the loader build each distinct message's text and fingerprint once. (Jackson's own
 * equality ignores key order, which would merge messages whose tool-call arguments render
 * differently.)
 */
final class MessageKey {
  final JsonNode node;
  private final int hash;

  MessageKey(JsonNode node) {
    this.node = node;
    this.hash = hash(node);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MessageKey k && k.hash == hash && same(node, k.node);
  }

  private static int hash(JsonNode n) {
    switch (n.getNodeType()) {
      case OBJECT -> {
        int h = 7;
        Iterator<Map.Entry<String, JsonNode>> it = n.fields();
        while (it.hasNext()) {
          Map.Entry<String, JsonNode> e = it.next();
          h = 31 * (31 * h + e.getKey().hashCode()) + hash(e.getValue());
        }
        return h;
      }
      case ARRAY -> {
        int h = 11;
        for (JsonNode c : n) {
          h = 31 * h + hash(c);
        }
        return h;
      }
      case STRING -> {
        return n.textValue().hashCode();
      }
      case NUMBER -> {
        return n.isIntegralNumber() ? n.bigIntegerValue().hashCode()
            : Double.hashCode(n.doubleValue()) ^ 0x5bd1e995;
      }
      case BOOLEAN -> {
        return n.booleanValue() ? 1231 : 1237;
      }
      default -> {
        return 0;
      }
    }
  }

  private static boolean same(JsonNode a, JsonNode b) {
    if (a.getNodeType() != b.getNodeType() || a.size() != b.size()) {
      return false;
    }
    switch (a.getNodeType()) {
      case OBJECT -> {
        Iterator<Map.Entry<String, JsonNode>> ia = a.fields();
        Iterator<Map.Entry<String, JsonNode>> ib = b.fields();
        while (ia.hasNext()) {
          Map.Entry<String, JsonNode> ea = ia.next();
          Map.Entry<String, JsonNode> eb = ib.next();
          if (!ea.getKey().equals(eb.getKey()) || !same(ea.getValue(), eb.getValue())) {
            return false;
          }
        }
        return true;
      }
      case ARRAY -> {
        for (int i = 0; i < a.size(); i++) {
          if (!same(a.get(i), b.get(i))) {
            return false;
          }
        }
        return true;
      }
      case STRING -> {
        return a.textValue().equals(b.textValue());
      }
      case NUMBER -> {
        if (a.isIntegralNumber() != b.isIntegralNumber()) {
          return false;
        }
        return a.isIntegralNumber() ? a.bigIntegerValue().equals(b.bigIntegerValue())
            : Double.compare(a.doubleValue(), b.doubleValue()) == 0;
      }
      case BOOLEAN -> {
        return a.booleanValue() == b.booleanValue();
      }
      default -> {
        return true;
      }
    }
  }
}
