package io.twinrouter.orchestrator.live;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.twinrouter.config.ModelPool;
import io.twinrouter.config.SettingsException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Pool files: HOCON or JSON with a {@code models} list (top level or under {@code twinrouter.pool}). */
public final class PoolFiles {
  private PoolFiles() {}

  /** @throws IllegalArgumentException naming the file and the entry or field at fault */
  public static ModelPool load(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("pool file " + file + " does not exist");
    }
    try {
      Config c = parse(file);
      ModelPool pool = ModelPool.from(c.hasPath("twinrouter.pool") ? c.getConfig("twinrouter.pool") : c);
      for (var m : pool.models()) {
        if (m.baseUrl() == null || m.baseUrl().isBlank()) {
          throw new IllegalArgumentException("model " + m.modelId() + " has no base-url");
        }
      }
      return pool;
    } catch (ConfigException | SettingsException | IllegalArgumentException e) {
      throw new IllegalArgumentException("pool file " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * A HOCON or JSON file, resolved. The parser recurses once per level of nesting, so a file
   * nested thousands deep overflows the stack: that is a bad file too, not a crash.
   *
   * @throws IllegalArgumentException for such a file
   */
  public static Config parse(Path file) {
    try {
      return ConfigFactory.parseFile(file.toFile()).resolve();
    } catch (StackOverflowError e) {
      throw new IllegalArgumentException(file + ": nested too deeply to parse");
    }
  }
}
