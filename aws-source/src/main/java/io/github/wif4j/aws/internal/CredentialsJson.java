package io.github.wif4j.aws.internal;

import io.github.wif4j.core.FederationException;
import io.github.wif4j.core.FederationException.Step;
import io.github.wif4j.core.internal.Redaction;
import io.github.wif4j.core.spi.Json;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * Parses the credentials JSON that EC2 IMDS and the container credentials endpoints serve ({@code
 * AccessKeyId}, {@code SecretAccessKey}, {@code Token}, {@code Expiration}).
 */
public final class CredentialsJson {
  private static final DateTimeFormatter OFFSET_NO_COLON =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss[.SSS]xx");

  private CredentialsJson() {}

  /** Parses {@code body} from {@code endpoint}; names the missing field when one is absent. */
  public static AwsCredentials parse(String body, String endpoint, String providerName)
      throws FederationException {
    Map<String, String> node =
        Json.flatObject(body)
            .orElseThrow(
                () ->
                    FederationException.builder(
                            Step.SOURCE,
                            endpoint
                                + " answered 200 with a body that is not a credentials JSON object"
                                + " (starts: "
                                + Redaction.excerpt(Redaction.scrub(body), 40)
                                + ")")
                        .fix("Check that the endpoint is the AWS credentials endpoint.")
                        .retryable(true)
                        .build());
    Optional<String> code = Optional.ofNullable(node.get("Code"));
    if (code.isPresent() && !"Success".equals(code.get())) {
      throw FederationException.builder(
              Step.SOURCE,
              endpoint
                  + " reported Code="
                  + code.get()
                  + Optional.ofNullable(node.get("Message"))
                      .map(m -> ": " + Redaction.scrub(m))
                      .orElse(""))
          .fix("The instance profile or task role could not be assumed; check the role's trust.")
          .build();
    }
    String accessKeyId = required(node, "AccessKeyId", endpoint);
    String secret = required(node, "SecretAccessKey", endpoint);
    Optional<String> token = Optional.ofNullable(node.get("Token")).filter(t -> !t.isBlank());
    Optional<String> exp = Optional.ofNullable(node.get("Expiration"));
    Instant expiration = exp.isPresent() ? instant(exp.get(), endpoint) : null;
    if (token.isEmpty()) {
      // long-term keys from a custom endpoint: no session token, no expiry to track
      AwsBasicCredentials.Builder basic =
          AwsBasicCredentials.builder()
              .accessKeyId(accessKeyId)
              .secretAccessKey(secret)
              .providerName(providerName);
      Optional.ofNullable(node.get("AccountId")).ifPresent(basic::accountId);
      return basic.build();
    }
    AwsSessionCredentials.Builder b =
        AwsSessionCredentials.builder()
            .accessKeyId(accessKeyId)
            .secretAccessKey(secret)
            .sessionToken(token.get())
            .providerName(providerName)
            .expirationTime(expiration);
    Optional.ofNullable(node.get("AccountId")).ifPresent(b::accountId);
    return b.build();
  }

  private static String required(Map<String, String> node, String field, String endpoint)
      throws FederationException {
    return Optional.ofNullable(node.get(field))
        .filter(s -> !s.isBlank())
        .orElseThrow(
            () ->
                FederationException.builder(
                        Step.SOURCE, endpoint + " answered without the field \"" + field + "\"")
                    .fix("Check that the endpoint is the AWS credentials endpoint.")
                    .retryable(true)
                    .build());
  }

  private static Instant instant(String value, String endpoint) throws FederationException {
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      try {
        return OffsetDateTime.parse(value, OFFSET_NO_COLON).toInstant();
      } catch (DateTimeParseException e2) {
        throw FederationException.builder(
                Step.SOURCE,
                endpoint
                    + " answered an Expiration that is not an ISO-8601 instant: "
                    + Redaction.excerpt(value, 40))
            .fix("Check that the endpoint is the AWS credentials endpoint.")
            .retryable(true)
            .cause(e2)
            .build();
      }
    }
  }
}
