package io.twinrouter.agent.loop;

/**
 * How a case's loop ended. The reference writes {@code Submitted}, {@code LimitsExceeded}, or the
 * class name of the error that ended the loop; {@link LoopExit#finishedBy()} carries that exact
 * string, this enum the kind.
 */
public enum ExitStatus {
  /** The model ran the submission sentinel. */
  SUBMITTED,
  /** Step, cost or consecutive-format-error limit reached before a call. */
  LIMITS_EXCEEDED,
  /** The router raised, timed out or returned an invalid decision. */
  ROUTER_ERROR,
  /** The provider refused the request for good (a non-retryable 4xx). */
  MODEL_REFUSED,
  /** The provider answered, but without a usable usage object. */
  PROVIDER_ERROR,
  /** The sandbox or the model endpoint failed; the case actor throws to its supervisor. */
  INFRASTRUCTURE_ERROR,
  /** A branch's replayed command exited otherwise than recorded: the branch is void. */
  REPLAY_DIVERGED
}
