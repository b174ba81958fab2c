package io.github.wif4j.aws.internal;

import io.github.wif4j.aws.AwsSource;
import io.github.wif4j.core.Environment;
import io.github.wif4j.core.config.AwsCredentialSource;
import io.github.wif4j.core.config.ConfigSourceProvider;
import io.github.wif4j.core.config.CredentialSource;
import io.github.wif4j.core.http.TransportPolicy;
import io.github.wif4j.core.spi.Source;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Serves a configuration file's AWS {@code credential_source} ({@code environment_id: aws1}, as
 * gcloud's {@code create-cred-config --aws} writes it) with {@link AwsSource}, against the file's
 * own metadata host: credentials and region cached to their expiry, IMDSv2 with the SDK's IMDSv1
 * fallback, retries and explained errors, where google-auth's reader makes a token request before
 * each of its metadata reads on every refresh and never retries. Declines (google-auth then reads
 * the file) when the file's URLs do not share one host or use non-standard paths.
 */
public final class AwsConfigSourceProvider implements ConfigSourceProvider {
  private static final System.Logger LOG =
      System.getLogger(AwsConfigSourceProvider.class.getName());

  @Override
  public Optional<Source> serve(
      CredentialSource credentialSource, Environment environment, TransportPolicy policy) {
    if (!(credentialSource instanceof AwsCredentialSource)) {
      return Optional.empty();
    }
    AwsCredentialSource aws = (AwsCredentialSource) credentialSource;
    Map<String, String> urls = new LinkedHashMap<>();
    aws.url().ifPresent(u -> urls.put("url", u));
    aws.regionUrl().ifPresent(u -> urls.put("region_url", u));
    aws.imdsv2SessionTokenUrl().ifPresent(u -> urls.put("imdsv2_session_token_url", u));
    URI base = null;
    for (Map.Entry<String, String> e : urls.entrySet()) {
      URI u;
      try {
        u = URI.create(e.getValue());
      } catch (IllegalArgumentException bad) {
        return decline(e.getKey() + " is not a URI");
      }
      String path = u.getPath() == null ? "" : u.getPath().replaceAll("/+$", "");
      if (!path.equals(standardPath(e.getKey())) && !isRegionPath(e.getKey(), path)) {
        return decline(e.getKey() + " has the path '" + path + "', not the IMDS one");
      }
      URI b = URI.create(u.getScheme() + "://" + u.getRawAuthority());
      if (base != null && !base.equals(b)) {
        return decline("the metadata URLs name two hosts, " + base + " and " + b);
      }
      base = b;
    }
    AwsSource.Builder b = AwsSource.builder().environment(environment).transportPolicy(policy);
    if (base != null) {
      b.imdsEndpoint(base);
    }
    return Optional.of(b.build());
  }

  private static String standardPath(String field) {
    return switch (field) {
      case "url" -> "/latest/meta-data/iam/security-credentials";
      case "region_url" -> "/latest/meta-data/placement/availability-zone";
      default -> "/latest/api/token";
    };
  }

  private static boolean isRegionPath(String field, String path) {
    return field.equals("region_url") && path.equals("/latest/meta-data/placement/region");
  }

  private static Optional<Source> decline(String why) {
    LOG.log(
        System.Logger.Level.INFO,
        "The configuration''s AWS credential_source is read by google-auth, not wif4j''s AwsSource:"
            + " {0}",
        why);
    return Optional.empty();
  }
}
