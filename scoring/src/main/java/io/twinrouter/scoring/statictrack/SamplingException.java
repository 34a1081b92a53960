package io.twinrouter.scoring.statictrack;

import io.twinrouter.config.InputFormatException;

/** A sample cannot be drawn: a bad size, a bad manifest, or too few rows of a benchmark. */
public final class SamplingException extends InputFormatException {
  public SamplingException(String source, String field, String problem) {
    super(source, 0, field, problem);
  }
}
