package io.github.wif4j.aws.internal;

import io.github.wif4j.core.ConfigurationException;
import io.github.wif4j.core.FederationException;
import io.github.wif4j.core.FederationException.Step;
import io.github.wif4j.core.http.TransportPolicy;
import io.github.wif4j.core.spi.Redaction;
import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * Reads one value from Parameter Store or Secrets Manager with the SDK's client, and turns AWS's
 * refusals into the IAM permission to grant. The service modules are optional dependencies: the
 * classes that name them are only loaded when asked for. Internal.
 */
public final class ConfigStoreReader {
  private static final Pattern RESOURCE = Pattern.compile("on resource: (\\S+?)(?: because|$)");

  private ConfigStoreReader() {}

  /** The value, or an explained failure. */
  public static String read(
      boolean parameterStore,
      String name,
      String region,
      URI endpoint,
      AwsCredentialsProvider credentials,
      TransportPolicy policy)
      throws FederationException {
    String artifact = parameterStore ? "ssm" : "secretsmanager";
    String probe =
        parameterStore
            ? "software.amazon.awssdk.services.ssm.SsmClient"
            : "software.amazon.awssdk.services.secretsmanager.SecretsManagerClient";
    try {
      Class.forName(probe, false, ConfigStoreReader.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw ConfigurationException.of(
          parameterStore ? "AwsConfigStore.parameterStore" : "AwsConfigStore.secretsManager",
          "needs the AWS SDK module software.amazon.awssdk:"
              + artifact
              + ", which is not on the"
              + " class path",
          "the dependency software.amazon.awssdk:"
              + artifact
              + " (version from the AWS SDK BOM wif4j uses; exclude netty-nio-client and"
              + " apache-client to keep the light url-connection client)");
    }
    AwsCredentialsProvider creds =
        credentials != null ? credentials : DefaultCredentialsProvider.builder().build();
    Clients clients = new Clients(Region.of(region), endpoint, creds, policy);
    try {
      return parameterStore ? SsmRead.read(name, clients) : SecretsRead.read(name, clients);
    } catch (AwsServiceException e) {
      throw explain(parameterStore, name, region, e);
    } catch (SdkClientException e) {
      throw FederationException.builder(
              Step.SOURCE,
              (parameterStore ? "Parameter Store" : "Secrets Manager")
                  + " in "
                  + region
                  + " could not be reached for "
                  + name
                  + ": "
                  + Redaction.excerpt(String.valueOf(e.getMessage()), 200))
          .fix(
              "Check that this host reaches "
                  + (parameterStore ? "ssm." : "secretsmanager.")
                  + region
                  + ".amazonaws.com (a Lambda in a VPC without NAT needs an interface VPC"
                  + " endpoint for "
                  + (parameterStore ? "ssm" : "secretsmanager")
                  + "), and that AWS credentials are available.")
          .retryable(true)
          .build();
    }
  }

  /** How the Parameter Store and Secrets Manager clients are built: the same for both. */
  record Clients(
      Region region, URI endpoint, AwsCredentialsProvider credentials, TransportPolicy policy) {
    <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(B b) {
      b.region(region)
          .credentialsProvider(credentials)
          .overrideConfiguration(
              o ->
                  o.apiCallTimeout(policy.deadline())
                      .retryStrategy(r -> r.maxAttempts(policy.maxAttempts())));
      b.httpClientBuilder(
          UrlConnectionHttpClient.builder()
              .connectionTimeout(policy.connectTimeout())
              .socketTimeout(policy.readTimeout()));
      if (endpoint != null) {
        b.endpointOverride(endpoint);
      }
      return b.build();
    }
  }

  static FederationException explain(
      boolean parameterStore, String name, String region, AwsServiceException e) {
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    String message =
        e.awsErrorDetails() == null || e.awsErrorDetails().errorMessage() == null
            ? ""
            : e.awsErrorDetails().errorMessage();
    String what = parameterStore ? "parameter " + name : "secret " + name;
    String action = parameterStore ? "ssm:GetParameter" : "secretsmanager:GetSecretValue";
    String resource =
        parameterStore
            ? "arn:aws:ssm:"
                + region
                + ":<ACCOUNT_ID>:parameter"
                + (name.startsWith("/") ? "" : "/")
                + name
            : "arn:aws:secretsmanager:" + region + ":<ACCOUNT_ID>:secret:" + name + "-*";
    Matcher named = RESOURCE.matcher(message);
    String fix;
    if ("AccessDeniedException".equals(code) && message.contains("kms:Decrypt")) {
      String key = named.find() ? named.group(1) : "the key that encrypts the " + what;
      fix =
          "The role may read the "
              + what
              + " but not decrypt it. Allow kms:Decrypt on "
              + key
              + " (for a SecureString under the AWS managed key alias/aws/ssm, "
              + action
              + " alone suffices):\n  {\"Effect\": \"Allow\", \"Action\": \"kms:Decrypt\","
              + " \"Resource\": \""
              + key
              + "\"}";
    } else if ("AccessDeniedException".equals(code)) {
      String arn = named.find() ? named.group(1) : resource;
      fix =
          "Allow "
              + action
              + " on the "
              + what
              + " for the role this runs as"
              + (parameterStore
                  ? " (and kms:Decrypt on its key when it is a SecureString under a customer"
                      + " managed key)"
                  : " (and kms:Decrypt when the secret uses a customer managed key)")
              + ":\n  {\"Effect\": \"Allow\", \"Action\": \""
              + action
              + "\", \"Resource\": \""
              + arn
              + "\"}";
    } else if ("ParameterNotFound".equals(code) || "ResourceNotFoundException".equals(code)) {
      fix =
          "No "
              + what
              + " in "
              + region
              + ". Check the name (Parameter Store names are case-sensitive and hierarchical,"
              + " e.g. /wif4j/credential-config) and the region; list with: "
              + (parameterStore
                  ? "aws ssm get-parameter --name " + name + " --with-decryption --region " + region
                  : "aws secretsmanager describe-secret --secret-id "
                      + name
                      + " --region "
                      + region);
    } else if ("ExpiredTokenException".equals(code)
        || "UnrecognizedClientException".equals(code)
        || "InvalidSignatureException".equals(code)) {
      fix =
          "AWS did not accept the credentials used to read the "
              + what
              + ": check the AWS credentials in the environment (aws sts get-caller-identity).";
    } else {
      fix = null;
    }
    return FederationException.builder(
            Step.SOURCE,
            (parameterStore ? "Parameter Store" : "Secrets Manager")
                + " refused to return the "
                + what
                + ": "
                + (code == null ? "HTTP " + e.statusCode() : code)
                + (message.isEmpty() ? "" : ": " + Redaction.excerpt(message, 300)))
        .fix(fix)
        .httpStatus(e.statusCode())
        .errorCode(code)
        .retryable(e.isThrottlingException() || e.statusCode() >= 500)
        .build();
  }
}
