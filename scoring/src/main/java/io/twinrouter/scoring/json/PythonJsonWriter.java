package io.twinrouter.scoring.json;

import com.fasterxml.jackson.databind.JsonNode;
import io.twinrouter.bank.json.PyFloat;
import io.twinrouter.bank.json.PyJson;
import java.util.Iterator;
import java.util.Map;

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
    StringBuilder out = new StringBuilder(8192);
    write(node, 0, out);
    return out.append('\n').toString();
  }

  /** One line, with Python's default separators (for JSONL traces). */
  public static String writeCompact(JsonNode node) {
    return PyJson.dumps(node);
  }

  private static void write(JsonNode node, int depth, StringBuilder out) {
    switch (node.getNodeType()) {
      case OBJECT -> {
        if (node.isEmpty()) {
          out.append("{}");
          return;
        }
        out.append("{\n");
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
          Map.Entry<String, JsonNode> e = it.next();
          indent(depth + 1, out);
          PyJson.writeString(e.getKey(), out);
          out.append(": ");
          write(e.getValue(), depth + 1, out);
          out.append(it.hasNext() ? ",\n" : "\n");
        }
        indent(depth, out);
        out.append('}');
      }
      case ARRAY -> {
        if (node.isEmpty()) {
          out.append("[]");
          return;
        }
        out.append("[\n");
        for (int i = 0; i < node.size(); i++) {
          indent(depth + 1, out);
          write(node.get(i), depth + 1, out);
          out.append(i + 1 < node.size() ? ",\n" : "\n");
        }
        indent(depth, out);
        out.append(']');
      }
      case NUMBER -> {
        if (node.isIntegralNumber()) {
          out.append(node.bigIntegerValue());
        } else {
          out.append(PyFloat.json(node.doubleValue()));
        }
      }
      default -> PyJson.write(node, false, out);
    }
  }

  private static void indent(int depth, StringBuilder out) {
    for (int i = 0; i < depth; i++) {
      out.append("  ");
    }
  }
}
