package io.github.wif4j.aws.internal;

import io.github.wif4j.core.FederationException;
import io.github.wif4j.core.FederationException.Step;
import io.github.wif4j.core.spi.Json;
import java.io.IOException;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentials;

/**
 * Instance profile credentials from EC2 IMDS (or AgentCore's MMDS): the role name, then the role's
 * credentials, through the shared {@link ImdsClient} session.
 */
public final class ImdsCredentials implements CredentialResolver {
  static final String ROLE_PATH = "/latest/meta-data/iam/security-credentials/";
  private static final int ROLE_ATTEMPTS = 3;

  private final ImdsClient imds;
  private final String disabledReason;

  /** {@code disabledReason} non-null when {@code AWS_EC2_METADATA_DISABLED} turns IMDS off. */
  public ImdsCredentials(ImdsClient imds, String disabledReason) {
    this.imds = imds;
    this.disabledReason = disabledReason;
  }

  @Override
  public String name() {
    return "instance profile (EC2 / AgentCore metadata service at " + imds.endpoint() + ")";
  }

  @Override
  public Optional<String> notApplicable() {
    return Optional.ofNullable(disabledReason);
  }

  @Override
  public AwsCredentials resolve() throws IOException {
    // like the AWS SDK: a 404 on the role's credentials means the role list was stale (role
    // replaced) or garbled in transit, so the role is discovered again, a few times
    FederationException last = null;
    for (int attempt = 0; attempt < ROLE_ATTEMPTS; attempt++) {
      try {
        return resolveOnce();
      } catch (FederationException e) {
        if (e.httpStatus() != 404 || !e.isRetryable()) {
          throw e;
        }
        last = e;
      }
    }
    throw last;
  }

  private AwsCredentials resolveOnce() throws IOException {
    String roles;
    try {
      roles = imds.get(ROLE_PATH);
    } catch (FederationException e) {
      if (e.httpStatus() == 404) {
        throw FederationException.builder(
                Step.SOURCE, "No IAM role is attached to this instance (" + ROLE_PATH + " is 404)")
            .fix(
                "Attach an instance profile: aws ec2 associate-iam-instance-profile --instance-id"
                    + " <id> --iam-instance-profile Name=<profile>; on AgentCore, set the runtime's"
                    + " execution role.")
            .httpStatus(404)
            .cause(e)
            .build();
      }
      throw e;
    }
    String role = roles.trim().split("\n", 2)[0].trim();
    if (role.isEmpty()) {
      throw FederationException.builder(Step.SOURCE, "The instance metadata role list is empty")
          .fix("Attach an instance profile with a role to the instance.")
          .build();
    }
    String body;
    try {
      body = imds.get(ROLE_PATH + role, r -> Json.flatObject(r.body()).isPresent());
    } catch (FederationException e) {
      if (e.httpStatus() == 404) {
        throw FederationException.builder(
                Step.SOURCE,
                "The instance profile role '"
                    + role
                    + "' has no credentials (404); it was"
                    + " probably detached or replaced a moment ago")
            .fix(
                "Retry; if it persists, check the instance profile: aws ec2"
                    + " describe-iam-instance-profile-associations")
            .httpStatus(404)
            .retryable(true)
            .cause(e)
            .build();
      }
      throw e;
    }
    return CredentialsJson.parse(body, "EC2 instance metadata", "wif4j-instance-profile");
  }
}
