package io.twinrouter.common;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The plain JSON mappers every module shares, one per purpose. Jackson's defaults are what the
 * records, traces and wire formats were written with, so {@link #MAPPER} is an unconfigured
 * mapper; a mapper is thread-safe once configured, and building one is not cheap (each keeps its
 * own serializer caches), so one instance serves every caller. Formats with rules of their own
 * keep their own mapper next to the format (the router protocol's {@code RouterJson}, the bank's
 * loader, the task rows). Never reconfigure these instances: copy one instead.
 */
public final class Json {

  /** Jackson's defaults: trees, maps and records in and out. */
  public static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * Jackson's defaults, but unknown properties are skipped: for reading back what an older or
   * newer version of twinrouter wrote (journalled step payloads).
   */
  public static final ObjectMapper TOLERANT = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private Json() {}
}
