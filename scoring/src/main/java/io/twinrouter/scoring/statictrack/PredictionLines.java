package io.twinrouter.scoring.statictrack;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinrouter.bank.LoadedBank;
import io.twinrouter.scoring.json.PythonJsonWriter;
import java.nio.charset.StandardCharsets;

/**
 * The prediction file a router's answers make, one JSON object a line in bank row order, as
 * {@code static score} reads it: {@code {"id", "tier"}} (with {@code "rationale"} when the router
 * gave one, as docs/router-protocol.md promises) or {@code {"id", "error"}}. {@code static route}
 * writes it and an evaluation job serves it, so the two are the same bytes.
 */
public final class PredictionLines {
  private PredictionLines() {}

  /** One line, without its newline. */
  public static String line(String id, Prediction p) {
    ObjectNode line = JsonNodeFactory.instance.objectNode().put("id", id);
    if (p instanceof Prediction.Routed r) {
      line.put("tier", r.tier().wireName());
      if (r.rationale() != null) {
        line.put("rationale", r.rationale());
      }
    } else if (p instanceof Prediction.Failed f) {
      line.put("error", f.error());
    }
    return PythonJsonWriter.writeCompact(line);
  }

  /** The whole file for answers in bank row order, UTF-8. */
  public static byte[] jsonl(LoadedBank bank, Prediction[] answers) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < answers.length; i++) {
      out.append(line(bank.row(i).id(), answers[i])).append('\n');
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** How many answers are error rows. */
  public static int errors(Prediction[] answers) {
    int n = 0;
    for (Prediction p : answers) {
      if (p instanceof Prediction.Failed) {
        n++;
      }
    }
    return n;
  }
}
