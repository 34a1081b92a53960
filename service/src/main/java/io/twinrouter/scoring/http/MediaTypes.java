package io.twinrouter.scoring.http;

import io.twinrouter.scoring.service.StaticEvaluations.BodyFormat;
import java.util.Set;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/** The request content types the service reads; anything else is a 415. */
final class MediaTypes {
  private MediaTypes() {}

  static final String JSON = "application/json";
  static final String NDJSON = "application/x-ndjson";
  /** Other names JSON Lines goes by; accepted as JSONL. */
  private static final Set<String> JSONL_ALIASES = Set.of(NDJSON, "application/jsonl", "application/jsonlines", "application/x-jsonlines");

  static BodyFormat predictionFormat(ContentType type) {
    String media = type.mediaType().toString();
    if (JSONL_ALIASES.contains(media)) {
      return BodyFormat.JSONL;
    }
    if (JSON.equals(media)) {
      return BodyFormat.JSON_ARRAY;
    }
    throw unsupported(media, NDJSON + " (JSONL) or " + JSON + " (a JSON array)");
  }

  static void requireJson(ContentType type) {
    String media = type.mediaType().toString();
    if (!JSON.equals(media)) {
      throw unsupported(media, JSON);
    }
  }

  private static ApiException unsupported(String media, String expected) {
    return new ApiException(StatusCodes.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
        "content type '" + media + "' is not supported here; send " + expected);
  }
}
