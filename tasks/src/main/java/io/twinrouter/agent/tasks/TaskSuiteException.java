package io.twinrouter.agent.tasks;

/** A task file or an instance selection that cannot be used; the message names file, line, field. */
public final class TaskSuiteException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public TaskSuiteException(String message) {
    super(message);
  }

  public TaskSuiteException(String message, Throwable cause) {
    super(message, cause);
  }
}
