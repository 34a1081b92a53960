package io.twinrouter.bank;

/** A problem in one field of a row; the loader adds the file and line. */
final class FieldProblem extends RuntimeException {
  final String field;

  FieldProblem(String field, String message) {
    super(message, null, false, false);
    this.field = field;
  }
}
