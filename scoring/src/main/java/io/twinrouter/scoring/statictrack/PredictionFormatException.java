package io.twinrouter.scoring.statictrack;

import io.twinrouter.config.InputFormatException;

/** A prediction file or body is malformed, or names a row the bank does not have. */
public final class PredictionFormatException extends InputFormatException {
  public PredictionFormatException(String source, int line, String field, String problem) {
    super(source, line, field, problem);
  }
}
