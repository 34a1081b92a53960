package io.twinrouter.bank;

import io.twinrouter.config.InputFormatException;
/** The question-bank file is malformed (bad JSON, a missing or ill-typed field, a duplicate id). */
public final class BankFormatException extends InputFormatException {
  public BankFormatException(String source, int line, String field, String problem) {
    super(source, line, field, problem);
  }
}
