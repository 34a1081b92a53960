package io.twinrouter.scoring.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/**
 * The allowlist of hosts a router URL sent to the service may name ({@value #SETTING}). The
 * service would otherwise post to any address a client names, from wherever it runs: with
 * {@code --host 0.0.0.0}, a way into the user's network. Hosts are compared as written, never
 * resolved, so a name cannot be made to point elsewhere between the check and the call; the router
 * client follows no redirect, so an allowed router cannot pass the request on either.
 */
public final class RouterHosts {
  public static final String SETTING = "twinrouter.http.router-hosts";
  /** The entry that stands for this machine's loopback addresses. */
  static final String LOOPBACK = "loopback";

  private RouterHosts() {}

  /** Refuses (400, naming the setting) an http(s) router URL whose host is not allowed. */
  static void check(String router, List<String> allowed) {
    String lower = router.toLowerCase(Locale.ROOT);
    if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
      return; // a built-in router's name
    }
    String host;
    try {
      host = new URI(router).getHost();
    } catch (URISyntaxException e) {
      throw ApiException.badRequest("field 'router': not a URL: " + e.getReason());
    }
    if (host == null || host.isEmpty()) {
      throw ApiException.badRequest("field 'router': the URL names no host");
    }
    if (!allowed(host, allowed)) {
      throw ApiException.badRequest("field 'router': host '" + (host.length() > 100 ? host.substring(0, 100) + "..." : host)
          + "' is not in " + SETTING
          + " " + allowed + "; the service calls only routers on the hosts listed there");
    }
  }

  static boolean allowed(String host, List<String> allowed) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    for (String entry : allowed) {
      String e = entry.toLowerCase(Locale.ROOT);
      if (e.equals(LOOPBACK) ? isLoopback(h) : e.equals(h)) {
        return true;
      }
    }
    return false;
  }

  /** localhost, an IPv4 literal in 127.0.0.0/8, or the IPv6 loopback literal. */
  private static boolean isLoopback(String h) {
    if (h.equals("localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")) {
      return true;
    }
    String[] parts = h.split("\\.", -1);
    if (parts.length != 4 || !parts[0].equals("127")) {
      return false;
    }
    for (String p : parts) {
      if (!p.matches("\\d{1,3}") || Integer.parseInt(p) > 255) {
        return false;
      }
    }
    return true;
  }
}
