package io.twinrouter.scoring.http;

import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.sse.ServerSentEvent;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * Server-sent events in the common form ({@code event: progress}, then {@code data: ...}, a space
 * after each colon), as the WHATWG examples, browsers' devtools and most client libraries write
 * them. Pekko's own marshaller writes {@code data:} first and no space; that is valid, but reads
 * oddly in {@code curl -N} and trips hand-written parsers. A heartbeat is a comment line.
 */
final class EventStream {
  private EventStream() {}

  static final org.apache.pekko.http.javadsl.model.ContentType TYPE =
      org.apache.pekko.http.javadsl.model.ContentTypes.create(
          org.apache.pekko.http.javadsl.model.MediaTypes.TEXT_EVENT_STREAM);

  /** A 200 response streaming {@code events}. */
  static HttpResponse response(Source<ServerSentEvent, NotUsed> events) {
    return HttpResponse.create().withStatus(StatusCodes.OK)
        .withEntity(HttpEntities.create(TYPE, events.map(EventStream::encode)));
  }

  static ByteString encode(ServerSentEvent e) {
    if (e.getData().isEmpty() && e.getEventType().isEmpty()) {
      return ByteString.fromString(":\n\n"); // heartbeat: a comment keeps the connection alive
    }
    StringBuilder s = new StringBuilder();
    e.getEventType().ifPresent(t -> s.append("event: ").append(t).append('\n'));
    e.getId().ifPresent(id -> s.append("id: ").append(id).append('\n'));
    for (String line : e.getData().split("\r\n|\r|\n", -1)) {
      s.append("data: ").append(line).append('\n');
    }
    e.getRetry().ifPresent(r -> s.append("retry: ").append(r).append('\n'));
    return ByteString.fromString(s.append('\n').toString());
  }
}
