package io.twinrouter.scoring.http;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.path;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;

/** {@code GET /openapi.yaml}: the OpenAPI 3.1 document of every route, from the classpath. */
public final class OpenApiRoutes {
  public static final String RESOURCE = "/openapi.yaml";

  private final byte[] document = load();

  public Route routes() {
    return path("openapi.yaml", () -> get(() -> complete(StatusCodes.OK, HttpEntities.create(
        MediaTypes.applicationWithFixedCharset("yaml", HttpCharsets.UTF_8).toContentType(), document))));
  }

  public static byte[] load() {
    try (InputStream in = OpenApiRoutes.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("resource " + RESOURCE + " is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
