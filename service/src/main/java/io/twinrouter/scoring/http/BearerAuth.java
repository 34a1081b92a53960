package io.twinrouter.scoring.http;

import static org.apache.pekko.http.javadsl.server.Directives.optionalHeaderValueByName;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.HttpChallenge;
import org.apache.pekko.http.javadsl.model.headers.WWWAuthenticate;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code Authorization: Bearer <token>} when the service has a token ({@code
 * TWINROUTER_API_TOKEN}); without one every request passes. The token is never logged.
 */
final class BearerAuth {
  private final Optional<byte[]> token;

  BearerAuth(Optional<String> token) {
    this.token = token.map(t -> t.getBytes(StandardCharsets.UTF_8));
  }

  Route authenticated(Supplier<Route> inner) {
    if (token.isEmpty()) {
      return inner.get();
    }
    return optionalHeaderValueByName(
        "Authorization", header -> accepts(header) ? inner.get() : Directives.complete(unauthorized()));
  }

  private boolean accepts(Optional<String> header) {
    if (header.isEmpty() || !header.get().regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    byte[] given = header.get().substring(7).trim().getBytes(StandardCharsets.UTF_8);
    // constant time, so the comparison does not leak how much of a guess was right
    return MessageDigest.isEqual(given, token.get());
  }

  private static HttpResponse unauthorized() {
    return ApiErrors.response(
            StatusCodes.UNAUTHORIZED,
            "unauthorized",
            "this service requires the header 'Authorization: Bearer <token>' "
                + "(the token set in " + HttpSettings.TOKEN_ENV + ")")
        .addHeader(WWWAuthenticate.create(HttpChallenge.create("Bearer", "twinrouter")));
  }
}
