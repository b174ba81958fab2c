package io.github.wif4j.aws.internal;

import io.github.wif4j.core.FederationException;
import io.github.wif4j.core.FederationException.Step;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentials;

/**
 * Tries credential places in order, like the SDK's default chain, remembering the one that worked.
 * When none yields credentials, one {@link FederationException} lists every place with the reason
 * it did not apply or the way it failed.
 */
public final class CredentialChain implements CredentialResolver {
  private final List<CredentialResolver> links;
  private volatile CredentialResolver last;

  public CredentialChain(List<CredentialResolver> links) {
    this.links = List.copyOf(links);
  }

  /** The place that gave the last credentials, if any did. */
  public Optional<CredentialResolver> lastUsed() {
    return Optional.ofNullable(last);
  }

  @Override
  public String name() {
    CredentialResolver l = last;
    return l == null ? "AWS credential chain" : l.name();
  }

  @Override
  public Optional<String> notApplicable() {
    return Optional.empty();
  }

  @Override
  public void reset() {
    last = null;
    links.forEach(CredentialResolver::reset);
  }

  @Override
  public AwsCredentials resolve() throws IOException {
    CredentialResolver previous = last;
    if (previous != null && previous.notApplicable().isEmpty()) {
      try {
        return previous.resolve();
      } catch (FederationException e) {
        last = null; // walk the chain again below
      }
    }
    List<String> tried = new ArrayList<>();
    List<FederationException> failures = new ArrayList<>();
    for (CredentialResolver link : links) {
      Optional<String> skip = link.notApplicable();
      if (skip.isPresent()) {
        tried.add(link.name() + ": " + skip.get());
        continue;
      }
      try {
        AwsCredentials c = link.resolve();
        last = link;
        return c;
      } catch (FederationException e) {
        tried.add(link.name() + ": " + firstLine(e.getMessage()));
        failures.add(e);
      }
    }
    StringBuilder message = new StringBuilder("No AWS credentials found. Tried, in order:");
    for (String t : tried) {
      message.append("\n  - ").append(t);
    }
    StringBuilder fix =
        new StringBuilder(
            "Give this workload an AWS identity: an instance profile (EC2), an execution role"
                + " (Lambda, AgentCore), a task role (ECS), IRSA or Pod Identity (EKS), or set "
                + AwsEnv.ACCESS_KEY_ID
                + "/"
                + AwsEnv.SECRET_ACCESS_KEY
                + "; or pass AwsSource.builder().credentialsProvider(...).");
    for (FederationException f : failures) {
      f.fix().ifPresent(x -> fix.append("\n").append(x));
    }
    FederationException.Builder b =
        FederationException.builder(Step.SOURCE, message.toString()).fix(fix.toString());
    if (!failures.isEmpty()) {
      b.cause(failures.get(0)).retryable(failures.stream().anyMatch(f -> f.isRetryable()));
    }
    throw b.build();
  }

  private static String firstLine(String message) {
    String m =
        message.startsWith("[") ? message.substring(message.indexOf(']') + 1).trim() : message;
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
