package io.twinrouter.orchestrator.cli;

import io.twinrouter.config.RouterTiming;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.console.InputException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/**
 * {@code --router-timeout}: how long one router call may take, overriding {@code
 * twinrouter.live.select-timeout} for this command (the HTTP router client, the live step's
 * deadline and the {@code select_timeout_sec} routers are told all read it).
 */
final class RouterTimeoutOption {
  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m)");

  @Option(names = "--router-timeout", paramLabel = "DURATION",
      description = "How long one router call may take: 500ms, 10s, 2m (default"
          + " twinrouter.live.select-timeout, 30s).")
  String timeout;

  /** The timeout given, in milliseconds, or null. */
  Long millis() {
    return timeout == null ? null : parse(timeout).toMillis();
  }

  /** {@code settings} with the timeout given, or unchanged. */
  TwinrouterSettings apply(TwinrouterSettings settings) {
    return new RouterTiming(millis(), null).applyTo(settings);
  }

  /** A positive duration with its unit; exit 2 naming the option otherwise. */
  static Duration parse(String text) {
    Matcher m = DURATION.matcher(text.strip());
    if (!m.matches()) {
      throw new InputException("--router-timeout: '" + text + "' is not a duration; give a"
          + " positive number with ms, s or m (500ms, 10s, 2m)");
    }
    BigDecimal perUnit = switch (m.group(2)) {
      case "ms" -> BigDecimal.ONE;
      case "s" -> BigDecimal.valueOf(1_000);
      default -> BigDecimal.valueOf(60_000);
    };
    long ms = new BigDecimal(m.group(1)).multiply(perUnit).longValue();
    if (ms < 1) {
      throw new InputException("--router-timeout: must be at least 1ms, got '" + text + "'");
    }
    return Duration.ofMillis(ms);
  }
}
