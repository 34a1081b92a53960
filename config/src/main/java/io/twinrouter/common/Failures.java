package io.twinrouter.common;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** What went wrong behind the wrappers that futures put around a failure. */
public final class Failures {

  private Failures() {}

  /**
   * The failure inside any {@link CompletionException} and {@link ExecutionException} layers (a
   * stage completed by another stage's failure wraps it once more at each step); the wrapper
   * itself when it carries no cause.
   */
  public static Throwable cause(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
