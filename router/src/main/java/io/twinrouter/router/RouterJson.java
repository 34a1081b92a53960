package io.twinrouter.router;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The one JSON mapper of the router protocol: tiers by public name, unknown fields ignored. */
public final class RouterJson {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(TierJson.module())
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();
  private static final ObjectWriter CONTEXT_WRITER = MAPPER.writerFor(RouterContext.class);

  private RouterJson() {}

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** The request body of one router call. */
  public static byte[] contextBytes(RouterContext ctx) {
    try {
      return CONTEXT_WRITER.writeValueAsBytes(ctx);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a router context: " + e.getMessage(), e);
    }
  }

  public static RouterContext readContext(byte[] json) throws java.io.IOException {
    return MAPPER.readValue(json, RouterContext.class);
  }
}
