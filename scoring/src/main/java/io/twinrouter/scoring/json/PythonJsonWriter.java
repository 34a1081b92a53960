package io.twinrouter.scoring.json;

import com.fasterxml.jackson.databind.JsonNode;
import io.twinrouter.bank.json.PyJson;

/**
 * Writes a JSON tree as Python's {@code json.dumps(obj, indent=2, ensure_ascii=False)} does:
 * floats in repr form ({@code 3.9960000000000004e-05}, {@code 100.0}), NaN as the bare token
 * {@code NaN}, non-ASCII raw. Users diff our summaries against the reference's, so the text
 * matches, not only the parsed values.
 */
public final class PythonJsonWriter {
  private PythonJsonWriter() {}

  /** The document followed by a newline, as the reference writes its summary files. */
  public static String write(JsonNode node) {
    return PyJson.dumps(node, 2, false) + '\n';
  }

  /** One line, with Python's default separators (for JSONL traces). */
  public static String writeCompact(JsonNode node) {
    return PyJson.dumps(node);
  }
}
