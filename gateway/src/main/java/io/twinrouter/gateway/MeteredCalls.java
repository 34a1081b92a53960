package io.twinrouter.gateway;

import io.twinrouter.common.Json;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * The gateway's book: the steps waiting for a routing proxy (each under its marker token), the
 * calls attributed to each, and a log of every call. Plain concurrent structures rather than an
 * actor: every forwarded call passes here twice, on the gateway's request threads, and the
 * gateway's whole overhead per call is meant to stay under a millisecond.
 */
public final class MeteredCalls implements AutoCloseable {

  /** Whether a call without a step marker is refused (inside a run) or forwarded unattributed. */
  public enum Attribution { REQUIRED, OPTIONAL }

  /** A step waiting for its proxy's answer, and the upstream calls made for it so far. */
  static final class OpenStep {
    final String caseId;
    final int stepIndex;
    private final List<GatewayCall> calls = new ArrayList<>();

    OpenStep(String caseId, int stepIndex) {
      this.caseId = caseId;
      this.stepIndex = stepIndex;
    }
  }

  private final Map<String, OpenStep> open = new ConcurrentHashMap<>();
  private final Attribution attribution;
  private final BufferedWriter log;
  private final LongAdder calls = new LongAdder();
  private final DoubleAdder costUsd = new DoubleAdder();

  private MeteredCalls(Attribution attribution, BufferedWriter log) {
    this.attribution = attribution;
    this.log = log;
  }

  /** A ledger that keeps no log file. */
  public static MeteredCalls inMemory(Attribution attribution) {
    return new MeteredCalls(attribution, null);
  }

  /** A ledger appending one JSON line per call to {@code file} (a resumed run appends). */
  public static MeteredCalls logging(Attribution attribution, Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      return new MeteredCalls(attribution, Files.newBufferedWriter(file, StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the gateway's call log " + file, e);
    }
  }

  public Attribution attribution() {
    return attribution;
  }

  /** Opens a step whose upstream calls are to be attributed; returns its marker token. */
  public String open(String caseId, int stepIndex) {
    String token = StepMarker.newToken();
    open.put(token, new OpenStep(caseId, stepIndex));
    return token;
  }

  /** The waiting step of {@code token}: empty once closed, or for a token never issued. */
  Optional<OpenStep> find(String token) {
    return Optional.ofNullable(open.get(token));
  }

  /** Records a call, in its step (when it has one) and in the log. */
  void record(OpenStep step, GatewayCall call) {
    if (step != null) {
      synchronized (step) {
        step.calls.add(call);
      }
    }
    calls.increment();
    costUsd.add(call.costUsd());
    if (log != null) {
      String line = Json.MAPPER.valueToTree(call.toJson()).toString();
      synchronized (log) {
        try {
          log.write(line);
          log.write('\n');
          log.flush();
        } catch (IOException e) {
          throw new UncheckedIOException("cannot append to the gateway's call log", e);
        }
      }
    }
  }

  /**
   * Closes the step: its calls in the order they were recorded. A call arriving later for the
   * same token is refused.
   */
  public List<GatewayCall> close(String token) {
    OpenStep step = open.remove(token);
    if (step == null) {
      return List.of();
    }
    synchronized (step) {
      return List.copyOf(step.calls);
    }
  }

  /** Calls recorded since the ledger opened. */
  public long calls() {
    return calls.sum();
  }

  /** The sum of every recorded call's cost. */
  public double costUsd() {
    return costUsd.sum();
  }

  @Override
  public void close() {
    if (log != null) {
      synchronized (log) {
        try {
          log.close();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
  }
}
