package io.github.wif4j.core.http;

import io.github.wif4j.core.Environment;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The hosts a user explicitly allowed wif4j to send credentials to, beyond Google's endpoints and
 * the cloud metadata addresses: the comma-separated {@value #ENV_ALLOWED_HOSTS} variable plus the
 * hosts given in code ({@code FederatedCredentials.Builder.allowEndpointHost}). An entry {@code
 * *.example.com} allows the subdomains. Sources check a configured URL against it before they send
 * a token, a header or a signed request there.
 *
 * <pre>{@code
 * if (!AllowedHosts.isLoopback(host) && !AllowedHosts.of(env, List.of()).isOptedIn(host)) {
 *   throw ConfigurationException.of(field, "host '" + host + "' is not loopback", fix);
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class AllowedHosts {
  /** Comma-separated extra hosts (e.g. a proxy, a test fake: {@code 127.0.0.1}). */
  public static final String ENV_ALLOWED_HOSTS = "WIF4J_ALLOWED_ENDPOINT_HOSTS";

  private final Set<String> allowed;

  private AllowedHosts(Set<String> allowed) {
    this.allowed = allowed;
  }

  /** The hosts named by {@code environment}'s {@value #ENV_ALLOWED_HOSTS} plus {@code extra}. */
  public static AllowedHosts of(Environment environment, Collection<String> extra) {
    Set<String> hosts = new LinkedHashSet<>();
    environment
        .get(ENV_ALLOWED_HOSTS)
        .ifPresent(
            v -> {
              for (String h : v.split(",")) {
                if (!h.isBlank()) {
                  hosts.add(normalize(h));
                }
              }
            });
    for (String h : extra) {
      hosts.add(normalize(h));
    }
    return new AllowedHosts(Set.copyOf(hosts));
  }

  /** Whether {@code host} (of any URL; brackets, case and a trailing dot ignored) was allowed. */
  public boolean isOptedIn(String host) {
    String h = normalize(host);
    for (String a : allowed) {
      if (a.equals(h) || (a.startsWith("*.") && h.endsWith(a.substring(1)))) {
        return true;
      }
    }
    return false;
  }

  /** Loopback by name or literal: {@code localhost}, {@code 127.x.y.z}, {@code ::1}. */
  public static boolean isLoopback(String host) {
    String h = normalize(host);
    return h.equals("localhost")
        || h.equals("::1")
        || h.equals("0:0:0:0:0:0:0:1")
        || h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
  }

  /** {@code host} in lower case, without IPv6 brackets or a trailing dot. */
  public static String normalize(String host) {
    String h = host.strip().toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    return h;
  }
}
