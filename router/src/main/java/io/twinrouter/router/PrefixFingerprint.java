package io.twinrouter.router;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;

/**
 * Fingerprints of live-track spec 3.5 and 3.6. The prefix hash is the SHA-256 hex of a JSON array
 * of the messages, each reduced to {@code role}, {@code content}, {@code tool_calls}, {@code
 * tool_call_id} and {@code name} (the keys present), keys sorted at every level, non-ASCII kept,
 * with Python's {@code ", "} and {@code ": "} separators. Numbers are written as Jackson writes
 * them, so a float may differ from Python's repr: the hash is only ever compared with hashes
 * this harness computed, never with the reference's.
 */
public final class PrefixFingerprint {
  private static final List<String> KEPT =
      List.of("role", "content", "tool_calls", "tool_call_id", "name");

  private PrefixFingerprint() {}

  // Hashes a whole prefix with content as sent, not one key per message.
  public static String prefixHash(List<JsonNode> messages) {
    List<String> canonical = new ArrayList<>(messages.size());
    for (JsonNode m : messages) {
      canonical.add(canonicalMessage(m));
    }
    return prefixHashOfCanonical(canonical);
  }

  /**
   * One message's part of the prefix hash: the message reduced to the kept keys, in canonical
   * form. A caller that hashes growing prefixes keeps these, so each message is written once.
   */
  public static String canonicalMessage(JsonNode message) {
    ObjectNode r = JsonNodeFactory.instance.objectNode();
    for (String key : KEPT) {
      if (message.has(key)) {
        r.set(key, message.get(key));
      }
    }
    return canonical(r);
  }

  /**
   * The prefix hash from the messages' {@link #canonicalMessage} texts: the canonical form of
   * the array, {@code [} then the items joined by Python's {@code ", "} then {@code ]}, hashed as
   * it is fed, never joined into one string.
   */
  public static String prefixHashOfCanonical(List<String> canonicalMessages) {
    MessageDigest md = sha256();
    md.update((byte) '[');
    for (int i = 0; i < canonicalMessages.size(); i++) {
      if (i > 0) {
        md.update(ITEM_SEPARATOR);
      }
      md.update(canonicalMessages.get(i).getBytes(StandardCharsets.UTF_8));
    }
    md.update((byte) ']');
    return HexFormat.of().formatHex(md.digest());
  }

  private static final byte[] ITEM_SEPARATOR = ", ".getBytes(StandardCharsets.UTF_8);

  /** Pool model ids sorted and joined with {@code |} (spec 3.6). */
  public static String poolFingerprint(List<String> modelIds) {
    return String.join("|", modelIds.stream().sorted().toList());
  }

  static String canonical(JsonNode node) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = RouterJson.mapper().getFactory().createGenerator(out)) {
      g.setPrettyPrinter(new PythonSeparators());
      write(g, node);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toString();
  }

  private static void write(JsonGenerator g, JsonNode n) throws IOException {
    if (n.isObject()) {
      g.writeStartObject();
      TreeMap<String, JsonNode> sorted = new TreeMap<>();
      n.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue()));
      for (var e : sorted.entrySet()) {
        g.writeFieldName(e.getKey());
        write(g, e.getValue());
      }
      g.writeEndObject();
    } else if (n.isArray()) {
      g.writeStartArray();
      for (JsonNode c : n) {
        write(g, c);
      }
      g.writeEndArray();
    } else {
      g.writeTree(n);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code ", "} between items and {@code ": "} after keys, as Python's json.dumps. */
  private static final class PythonSeparators extends MinimalPrettyPrinter {
    @Override
    public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
      g.writeRaw(": ");
    }

    @Override
    public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
      g.writeRaw(", ");
    }

    @Override
    public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
      g.writeRaw(", ");
    }
  }
}
