package io.twinrouter.orchestrator.live;

import java.util.ArrayList;
import java.util.List;

/** Reads a finished server-sent event stream, as the service's tests follow it. */
public final class ServerSentEvents {

  private ServerSentEvents() {}

  /** {@code [event, data]} of each event, heartbeats (comment lines) left out. */
  public static List<String[]> parse(String body) {
    List<String[]> out = new ArrayList<>();
    for (String block : body.split("\n\n")) {
      String event = null;
      String data = null;
      for (String line : block.split("\n")) {
        if (line.startsWith("event:")) {
          event = line.substring(6).trim();
        } else if (line.startsWith("data:")) {
          data = line.substring(5).trim();
        }
      }
      if (data != null && !data.isEmpty()) {
        out.add(new String[] {event, data});
      }
    }
    return out;
  }
}
