package io.github.wif4j.aws.internal;

import io.github.wif4j.core.ConfigurationException;
import io.github.wif4j.core.Environment;
import io.github.wif4j.core.FederationException;
import io.github.wif4j.core.FederationException.Step;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.internal.ContainerCredentialsRetryPolicy;
import software.amazon.awssdk.auth.credentials.internal.HttpCredentialsLoader;
import software.amazon.awssdk.regions.util.ResourcesEndpointProvider;
import software.amazon.awssdk.regions.util.ResourcesEndpointRetryPolicy;

/**
 * Where the container credentials endpoint is (ECS task roles, EKS Pod Identity, Lambda SnapStart)
 * and what {@code Authorization} it wants, read through {@link Environment} on every fetch (the Pod
 * Identity token file rotates), for the SDK's own credentials loader, retry policy and JSON
 * parsing.
 *
 * <p>Why not the SDK's {@code ContainerCredentialsProvider} itself: in 2.57 it reads {@code
 * AWS_CONTAINER_CREDENTIALS_RELATIVE_URI}, {@code ..._FULL_URI}, {@code
 * AWS_CONTAINER_AUTHORIZATION_TOKEN[_FILE]} from the process only; its builder's {@code
 * endpoint(...)} replaces only the ECS host. The URI rules here are the SDK's: any https URI, else
 * a loopback host or the link-local agents 169.254.170.2 (ECS) and 169.254.170.23 (EKS).
 */
public final class ContainerEndpoint implements ResourcesEndpointProvider {
  private static final String ECS_ENDPOINT = "http://169.254.170.2";
  private static final Set<String> LINK_LOCAL_AGENTS =
      Set.of("169.254.170.2", "169.254.170.23", "[fd00:ec2::23]", "fd00:ec2::23");
  private static final ResourcesEndpointRetryPolicy SDK_RETRIES =
      new ContainerCredentialsRetryPolicy();

  private final Environment env;
  private final Duration timeout;

  /** {@code timeout}: connect and read timeout of each attempt (the SDK's default is 1 s). */
  public ContainerEndpoint(Environment env, Duration timeout) {
    this.env = env;
    this.timeout = timeout;
  }

  /** Why the container endpoint does not apply here, or empty if it does. */
  public Optional<String> notApplicable() {
    if (AwsEnv.read(env, AwsEnv.CONTAINER_RELATIVE_URI).isEmpty()
        && AwsEnv.read(env, AwsEnv.CONTAINER_FULL_URI).isEmpty()) {
      return Optional.of(
          AwsEnv.CONTAINER_RELATIVE_URI + " and " + AwsEnv.CONTAINER_FULL_URI + " are not set");
    }
    return Optional.empty();
  }

  /** An SDK provider loading from this endpoint with the SDK's loader (no caching of its own). */
  public AwsCredentialsProvider provider() {
    HttpCredentialsLoader loader = HttpCredentialsLoader.create("wif4j-container");
    return () -> loader.loadCredentials(this).getAwsCredentials();
  }

  @Override
  public URI endpoint() {
    Optional<String> relative = AwsEnv.read(env, AwsEnv.CONTAINER_RELATIVE_URI);
    if (relative.isPresent()) {
      String base = AwsEnv.read(env, AwsEnv.CONTAINER_SERVICE_ENDPOINT).orElse(ECS_ENDPOINT);
      String path = relative.get().startsWith("/") ? relative.get() : "/" + relative.get();
      return ImdsClient.checkHttp(AwsEnv.CONTAINER_RELATIVE_URI, base + path, ECS_ENDPOINT);
    }
    String full =
        AwsEnv.read(env, AwsEnv.CONTAINER_FULL_URI)
            .orElseThrow(() -> ConfigurationException.missing(AwsEnv.CONTAINER_FULL_URI, "a URI"));
    URI uri = ImdsClient.checkHttp(AwsEnv.CONTAINER_FULL_URI, full, "http://169.254.170.23/v1");
    if ("https".equals(uri.getScheme()) || isAllowedHttpHost(uri.getHost())) {
      return uri;
    }
    throw ConfigurationException.of(
        AwsEnv.CONTAINER_FULL_URI,
        "http URI on host '"
            + uri.getHost()
            + "' is not allowed: credentials would travel in clear",
        "https://..., or http on a loopback host, 169.254.170.2 (ECS) or 169.254.170.23 (EKS Pod"
            + " Identity)");
  }

  @Override
  public Map<String, String> headers() {
    Map<String, String> headers = new HashMap<>();
    headers.put("Accept", "application/json");
    authorization().ifPresent(a -> headers.put("Authorization", a));
    return headers;
  }

  @Override
  public Optional<Duration> connectionTimeout() {
    return Optional.of(timeout);
  }

  @Override
  public ResourcesEndpointRetryPolicy retryPolicy() {
    return SDK_RETRIES;
  }

  private Optional<String> authorization() {
    Optional<String> file = AwsEnv.read(env, AwsEnv.CONTAINER_AUTH_TOKEN_FILE);
    Optional<String> value;
    if (file.isPresent()) {
      try {
        value = Optional.of(Files.readString(Path.of(file.get()), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(
            FederationException.builder(
                    Step.SOURCE,
                    "Cannot read " + AwsEnv.CONTAINER_AUTH_TOKEN_FILE + " (" + file.get() + ")")
                .fix("On EKS, check the Pod Identity token volume is mounted in the pod.")
                .cause(e)
                .build());
      }
    } else {
      value = AwsEnv.read(env, AwsEnv.CONTAINER_AUTH_TOKEN);
    }
    if (value.isPresent() && (value.get().contains("\r") || value.get().contains("\n"))) {
      throw ConfigurationException.of(
          file.isPresent() ? AwsEnv.CONTAINER_AUTH_TOKEN_FILE : AwsEnv.CONTAINER_AUTH_TOKEN,
          "the authorization token contains a line break",
          "the token exactly as the platform provides it");
    }
    return value;
  }

  private static boolean isAllowedHttpHost(String host) {
    if (LINK_LOCAL_AGENTS.contains(host)) {
      return true;
    }
    try {
      InetAddress[] all = InetAddress.getAllByName(host);
      for (InetAddress a : all) {
        if (!a.isLoopbackAddress()) {
          return false;
        }
      }
      return all.length > 0;
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
