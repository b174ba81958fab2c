package io.github.wif4j.core.internal;

import io.github.wif4j.core.ConfigurationException;
import io.github.wif4j.core.Environment;
import io.github.wif4j.core.FederationSettings;
import io.github.wif4j.core.config.AwsCredentialSource;
import io.github.wif4j.core.config.CredentialSource;
import io.github.wif4j.core.config.UrlCredentialSource;
import io.github.wif4j.core.http.AllowedHosts;
import io.github.wif4j.core.internal.config.Checks;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The endpoint allow-list: where wif4j may send credentials. A configuration copied from elsewhere
 * must not be able to send a subject token, a signed AWS request or an access token to a host of
 * its choosing (stock google-auth sends them anywhere). Internal.
 *
 * <ul>
 *   <li>Google endpoints ({@code token_url}, the impersonation and token-info URLs): https on the
 *       universe domain ({@code googleapis.com} unless opted in), host {@code sts.}, {@code
 *       iamcredentials.}, their {@code .mtls.} and regional {@code .rep.} forms, or Private Service
 *       Connect {@code sts-ENDPOINT.p.} / {@code iamcredentials-ENDPOINT.p.}.
 *   <li>Credential-source URLs ({@code url}, {@code region_url}, {@code imdsv2_session_token_url}):
 *       the metadata addresses 169.254.169.254, fd00:ec2::254, 169.254.170.2, 169.254.170.23,
 *       fd00:ec2::23, or loopback (App Service, local agents). A {@code file} source is local.
 *   <li>Anything else only when its host is named by {@link #AllowedHosts.ENV_ALLOWED_HOSTS} or the
 *       builder's {@code allowEndpointHost}. An entry {@code *.example.com} allows the subdomains.
 * </ul>
 */
public final class Endpoints {
  private static final Set<String> METADATA_HOSTS =
      Set.of("169.254.169.254", "fd00:ec2::254", "169.254.170.2", "169.254.170.23", "fd00:ec2::23");

  private final AllowedHosts allowed;

  private Endpoints(AllowedHosts allowed) {
    this.allowed = allowed;
  }

  /** The allow-list of {@code environment} plus {@code extraHosts} from code. */
  public static Endpoints of(Environment environment, Collection<String> extraHosts) {
    return new Endpoints(AllowedHosts.of(environment, extraHosts));
  }

  /**
   * Checks every URL of {@code settings} and {@code source}.
   *
   * @throws ConfigurationException naming the field, the host and the opt-in
   */
  public void check(FederationSettings settings, CredentialSource source) {
    String universe = settings.universeDomain().toLowerCase(Locale.ROOT);
    if (!Checks.DEFAULT_UNIVERSE.equals(universe) && !allowed.isOptedIn("sts." + universe)) {
      throw ConfigurationException.of(
          "universe_domain",
          "'" + universe + "' is not googleapis.com, and its hosts are not allowed",
          optIn("*." + universe));
    }
    google("token_url", settings.tokenUrl(), universe);
    Optional<URI> impersonation = settings.serviceAccountImpersonationUrl();
    if (impersonation.isPresent()) {
      google("service_account_impersonation_url", impersonation.get(), universe);
    }
    Optional<URI> info = settings.tokenInfoUrl();
    if (info.isPresent()) {
      google("token_info_url", info.get(), universe);
    }
    if (source instanceof UrlCredentialSource url) {
      metadata("credential_source.url", url.url());
    } else if (source instanceof AwsCredentialSource aws) {
      aws.url().ifPresent(u -> metadata("credential_source.url", u));
      aws.regionUrl().ifPresent(u -> metadata("credential_source.region_url", u));
      aws.imdsv2SessionTokenUrl()
          .ifPresent(u -> metadata("credential_source.imdsv2_session_token_url", u));
    }
  }

  /** Whether {@code host} is a Google endpoint host of {@code universe}. */
  private static boolean isGoogleHost(String host, String universe) {
    String h = AllowedHosts.normalize(host);
    String suffix = "." + universe;
    if (!h.endsWith(suffix)) {
      return false;
    }
    String label = h.substring(0, h.length() - suffix.length());
    for (String service : new String[] {"sts", "iamcredentials"}) {
      if (label.equals(service)
          || label.equals(service + ".mtls")
          || (label.startsWith(service + ".") && label.endsWith(".rep"))
          || (label.startsWith(service + "-") && label.endsWith(".p"))) {
        return label.matches("[a-z0-9.-]+");
      }
    }
    return false;
  }

  /** Whether {@code host} is a cloud metadata address or loopback. */
  private static boolean isMetadataHost(String host) {
    String h = AllowedHosts.normalize(host);
    return METADATA_HOSTS.contains(h) || AllowedHosts.isLoopback(h);
  }

  private void google(String field, URI uri, String universe) {
    String host = uri.getHost();
    if (host == null) {
      throw ConfigurationException.of(field, "'" + uri + "' has no host", "an https URL");
    }
    if (allowed.isOptedIn(host)) {
      return;
    }
    if (!"https".equalsIgnoreCase(uri.getScheme())) {
      throw ConfigurationException.of(
          field, "'" + shown(uri) + "' is not https", "an https URL on " + universe);
    }
    if (!isGoogleHost(host, universe)) {
      throw ConfigurationException.of(
          field,
          "host '" + host + "' is not a Google endpoint of " + universe,
          "sts."
              + universe
              + " / iamcredentials."
              + universe
              + " (or their Private Service Connect forms, e.g. sts-ENDPOINT.p."
              + universe
              + "); "
              + optIn(host));
    }
  }

  private void metadata(String field, String url) {
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException e) {
      throw ConfigurationException.of(field, "is not a URL", "e.g. http://169.254.169.254/...");
    }
    String host = uri.getHost();
    if (host == null
        || !("http".equalsIgnoreCase(uri.getScheme())
            || "https".equalsIgnoreCase(uri.getScheme()))) {
      throw ConfigurationException.of(
          field, "'" + shown(uri) + "' is not an http(s) URL", "e.g. http://169.254.169.254/...");
    }
    if (!isMetadataHost(host) && !allowed.isOptedIn(host)) {
      throw ConfigurationException.of(
          field,
          "host '" + host + "' is not a metadata endpoint",
          "169.254.169.254, [fd00:ec2::254], 169.254.170.2, 169.254.170.23, [fd00:ec2::23] or"
              + " loopback; "
              + optIn(host));
    }
  }

  private static String optIn(String host) {
    return ("if you trust this configuration and '%1$s', allow it explicitly: %2$s=%1$s or"
            + " FederatedCredentials.Builder.allowEndpointHost(\"%1$s\")")
        .formatted(host, AllowedHosts.ENV_ALLOWED_HOSTS);
  }

  /** The URL without query or user info: they may hold secrets. */
  private static String shown(URI uri) {
    return uri.getScheme()
        + "://"
        + uri.getHost()
        + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
        + Optional.ofNullable(uri.getRawPath()).orElse("");
  }
}
