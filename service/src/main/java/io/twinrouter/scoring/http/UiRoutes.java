package io.twinrouter.scoring.http;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathEnd;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;
import static org.apache.pekko.http.javadsl.server.Directives.pathSingleSlash;
import static org.apache.pekko.http.javadsl.server.Directives.redirect;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The web page ({@code GET /ui/}): plain HTML, JS and CSS from the jar, no external resource. The
 * files hold no data, so they are served without the bearer token; the page reads the JSON
 * routes, sending the token given in its address ({@code /ui/#token=...}) when there is one.
 */
public final class UiRoutes {
  public static final List<ApiRoutes.Endpoint> ENDPOINTS = List.of(
      new ApiRoutes.Endpoint("GET", "/ui"),
      new ApiRoutes.Endpoint("GET", "/ui/"),
      new ApiRoutes.Endpoint("GET", "/ui/app.js"),
      new ApiRoutes.Endpoint("GET", "/ui/app.css"));

  private static final String DIR = "/io/twinrouter/scoring/ui/";

  private final byte[] html = load("index.html");
  private final byte[] js = load("app.js");
  private final byte[] css = load("app.css");

  public Route routes() {
    ContentType.WithCharset javascript =
        MediaTypes.applicationWithOpenCharset("javascript").toContentType(HttpCharsets.UTF_8);
    return pathPrefix("ui", () -> get(() -> concat(
        pathEnd(() -> redirect(org.apache.pekko.http.javadsl.model.Uri.create("/ui/"), StatusCodes.PERMANENT_REDIRECT)),
        pathSingleSlash(() -> complete(HttpEntities.create(ContentTypes.TEXT_HTML_UTF8, html))),
        path("app.js", () -> complete(HttpEntities.create(javascript, js))),
        path("app.css", () -> complete(HttpEntities.create(
            MediaTypes.TEXT_CSS.toContentType(HttpCharsets.UTF_8), css))))));
  }

  static byte[] load(String name) {
    try (InputStream in = UiRoutes.class.getResourceAsStream(DIR + name)) {
      if (in == null) {
        throw new IllegalStateException("resource " + DIR + name + " is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
