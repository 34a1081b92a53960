package io.twinrouter.scoring.http;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.marshalling.Marshaller;
import org.apache.pekko.http.javadsl.model.RequestEntity;

/**
 * The one ObjectMapper of the service and the marshaller built on it. NaN is written as the bare
 * token {@code NaN}, as the reference scorer's summary JSON does (spec section 14.4).
 */
public final class JsonSupport {
  private JsonSupport() {}

  public static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .build();

  private static final Marshaller<Object, RequestEntity> MARSHALLER = Jackson.marshaller(MAPPER);

  @SuppressWarnings("unchecked")
  public static <T> Marshaller<T, RequestEntity> json() {
    return (Marshaller<T, RequestEntity>) (Marshaller<?, RequestEntity>) MARSHALLER;
  }
}
