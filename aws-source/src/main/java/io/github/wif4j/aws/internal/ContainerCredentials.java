package io.github.wif4j.aws.internal;

import io.github.wif4j.core.ConfigurationException;
import io.github.wif4j.core.Environment;
import io.github.wif4j.core.FederationException;
import io.github.wif4j.core.FederationException.Step;
import io.github.wif4j.core.http.HttpExecutor;
import io.github.wif4j.core.http.TransportPolicy;
import io.github.wif4j.core.internal.Redaction;
import io.github.wif4j.core.spi.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsCredentials;

/**
 * The container credentials endpoint: ECS task roles ({@code
 * AWS_CONTAINER_CREDENTIALS_RELATIVE_URI}), EKS Pod Identity and Lambda SnapStart ({@code
 * AWS_CONTAINER_CREDENTIALS_FULL_URI} with {@code AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE} or {@code
 * AWS_CONTAINER_AUTHORIZATION_TOKEN}). Variables and the token file are read on every call (the Pod
 * Identity token rotates).
 *
 * <p>Written here rather than using the SDK's {@code ContainerCredentialsProvider}, which reads
 * these variables from the process only; the {@link Environment} seam is what lets one test drive
 * ECS, EKS and SnapStart side by side. The URI rules are the SDK's: any https URI, else a loopback
 * host or one of the link-local agents 169.254.170.2 and 169.254.170.23.
 */
public final class ContainerCredentials implements CredentialResolver {
  static final String ECS_ENDPOINT = "http://169.254.170.2";
  private static final Set<String> LINK_LOCAL_AGENTS =
      Set.of("169.254.170.2", "169.254.170.23", "[fd00:ec2::23]", "fd00:ec2::23");

  private final Environment env;
  private final HttpExecutor http;

  public ContainerCredentials(Environment env, TransportPolicy policy) {
    this.env = env;
    this.http = HttpExecutor.create(policy);
  }

  @Override
  public String name() {
    return "container credentials (ECS task role, EKS Pod Identity, Lambda SnapStart)";
  }

  @Override
  public Optional<String> notApplicable() {
    if (AwsEnv.read(env, AwsEnv.CONTAINER_RELATIVE_URI).isEmpty()
        && AwsEnv.read(env, AwsEnv.CONTAINER_FULL_URI).isEmpty()) {
      return Optional.of(
          AwsEnv.CONTAINER_RELATIVE_URI + " and " + AwsEnv.CONTAINER_FULL_URI + " are not set");
    }
    return Optional.empty();
  }

  /** The endpoint the variables name, validated. */
  public URI endpoint() {
    Optional<String> relative = AwsEnv.read(env, AwsEnv.CONTAINER_RELATIVE_URI);
    if (relative.isPresent()) {
      String base = AwsEnv.read(env, AwsEnv.CONTAINER_SERVICE_ENDPOINT).orElse(ECS_ENDPOINT);
      String path = relative.get().startsWith("/") ? relative.get() : "/" + relative.get();
      return parse(AwsEnv.CONTAINER_RELATIVE_URI, stripSlash(base) + path);
    }
    String full =
        AwsEnv.read(env, AwsEnv.CONTAINER_FULL_URI)
            .orElseThrow(
                () ->
                    ConfigurationException.missing(
                        AwsEnv.CONTAINER_FULL_URI, "the container credentials endpoint URI"));
    URI uri = parse(AwsEnv.CONTAINER_FULL_URI, full);
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
  public AwsCredentials resolve() throws IOException {
    URI uri = endpoint();
    HttpExecutor.Request.Builder request =
        HttpExecutor.Request.get(uri)
            .header("Accept", "application/json")
            .step(Step.SOURCE)
            .endpointName("AWS container credentials endpoint")
            .validate(resp -> Json.flatObject(resp.body()).isPresent());
    authorization().ifPresent(a -> request.header("Authorization", a));
    HttpExecutor.Response r = http.send(request.build());
    if (r.status() == 200) {
      return CredentialsJson.parse(
          r.body(), "the AWS container credentials endpoint", "wif4j-container");
    }
    String message =
        Json.text(r.body(), "message")
            .or(() -> Json.text(r.body(), "Message"))
            .map(Redaction::scrub)
            .orElse(Redaction.excerpt(Redaction.scrub(r.body()), 120));
    FederationException.Builder error =
        FederationException.builder(
                Step.SOURCE,
                "The AWS container credentials endpoint answered HTTP "
                    + r.status()
                    + ": "
                    + message)
            .httpStatus(r.status())
            .retryable(r.status() >= 500);
    if (r.status() == 401 || r.status() == 403) {
      error.fix(
          "The endpoint refused the authorization token. On EKS, check the Pod Identity"
              + " association (aws eks list-pod-identity-associations --cluster-name <cluster>)"
              + " and that "
              + AwsEnv.CONTAINER_AUTH_TOKEN_FILE
              + " is mounted; on Lambda SnapStart, pass "
              + AwsEnv.CONTAINER_AUTH_TOKEN
              + " through unchanged.");
    } else if (r.status() == 404) {
      error.fix("On ECS, check that the task definition has a task role (taskRoleArn).");
    }
    throw error.build();
  }

  private Optional<String> authorization() throws FederationException {
    Optional<String> file = AwsEnv.read(env, AwsEnv.CONTAINER_AUTH_TOKEN_FILE);
    String value;
    if (file.isPresent()) {
      try {
        value = Files.readString(Path.of(file.get()), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw FederationException.builder(
                Step.SOURCE,
                "Cannot read " + AwsEnv.CONTAINER_AUTH_TOKEN_FILE + " (" + file.get() + ")")
            .fix("On EKS, check the Pod Identity token volume is mounted in the pod.")
            .cause(e)
            .build();
      }
    } else {
      Optional<String> token = AwsEnv.read(env, AwsEnv.CONTAINER_AUTH_TOKEN);
      if (token.isEmpty()) {
        return Optional.empty();
      }
      value = token.get();
    }
    if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
      throw ConfigurationException.of(
          file.isPresent() ? AwsEnv.CONTAINER_AUTH_TOKEN_FILE : AwsEnv.CONTAINER_AUTH_TOKEN,
          "the authorization token contains a line break",
          "the token exactly as the platform provides it");
    }
    return Optional.of(value);
  }

  private static boolean isAllowedHttpHost(String host) {
    if (host == null) {
      return false;
    }
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

  private static URI parse(String field, String value) {
    try {
      URI uri = URI.create(value);
      if (uri.getHost() == null
          || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
        throw new IllegalArgumentException("not an absolute http(s) URI");
      }
      return uri;
    } catch (IllegalArgumentException e) {
      throw ConfigurationException.of(
          field,
          "'" + value + "' is not an absolute http(s) URI",
          "e.g. http://169.254.170.2/v2/...");
    }
  }

  private static String stripSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }
}
