package io.github.wif4j.benchmarks;

import com.google.auth.oauth2.ComputeEngineCredentials;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.IdTokenCredentials;
import io.github.wif4j.core.FederatedCredentials;
import io.github.wif4j.gcp2aws.GoogleToAwsCredentialsProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleWithWebIdentityCredentialsProvider;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityRequest;

/**
 * One fresh JVM of {@link ColdStart}: user code as each library's documentation writes it, one
 * class per library so that neither loads (or verifies against) the other's types. Prints {@code
 * TOKEN_OK main built first cpu}: milliseconds since the parent started the JVM, and the CPU time
 * of all the JVM's threads up to the first token.
 */
final class ColdStartChild {
  private ColdStartChild() {}

  /** {@code LIB PATH T0_NANOS [AWS_STS_ENDPOINT]}. */
  public static void main(String[] args) throws Exception {
    long main = System.nanoTime();
    String lib = args[0];
    String path = args[1];
    long t0 = Long.parseLong(args[2]);
    String awsSts = args.length > 3 ? args[3] : null;
    long built;
    if (lib.equals("bare")) {
      built = System.nanoTime();
    } else if (lib.equals("stock")) {
      built = Stock.run(path, awsSts);
    } else { // wif4j, or its baseline build
      built = Wif4j.run(path, awsSts);
    }
    long first = System.nanoTime();
    long cpu = ProcessHandle.current().info().totalCpuDuration().map(d -> d.toMillis()).orElse(-1L);
    System.out.println(
        "TOKEN_OK "
            + (main - t0) / 1_000_000
            + " "
            + (built - t0) / 1_000_000
            + " "
            + (first - t0) / 1_000_000
            + " "
            + cpu);
    System.exit(0);
  }

  /** google-auth, and for Google to AWS the AWS SDK's web identity provider. */
  static final class Stock {
    private Stock() {}

    /** Builds, gets the first token; returns when it was built. */
    static long run(String path, String awsSts) throws IOException {
      if (!path.equals("gcp2aws")) {
        GoogleCredentials c = GoogleCredentials.getApplicationDefault();
        long built = System.nanoTime();
        c.getRequestMetadata(URI.create("https://aiplatform.googleapis.com/"));
        return built;
      }
      IdTokenCredentials idTokens =
          IdTokenCredentials.newBuilder()
              .setIdTokenProvider(ComputeEngineCredentials.create())
              .setTargetAudience(ColdStart.ROLE)
              .build();
      StsClient sts =
          StsClient.builder().region(Region.US_EAST_1).endpointOverride(URI.create(awsSts)).build();
      StsAssumeRoleWithWebIdentityCredentialsProvider provider =
          StsAssumeRoleWithWebIdentityCredentialsProvider.builder()
              .stsClient(sts)
              .refreshRequest(
                  () -> {
                    try {
                      idTokens.refresh();
                    } catch (IOException e) {
                      throw new UncheckedIOException(e);
                    }
                    return AssumeRoleWithWebIdentityRequest.builder()
                        .roleArn(ColdStart.ROLE)
                        .roleSessionName("app")
                        .webIdentityToken(idTokens.getIdToken().getTokenValue())
                        .build();
                  })
              .build();
      long built = System.nanoTime();
      check(provider.resolveCredentials());
      return built;
    }
  }

  /** wif4j. */
  static final class Wif4j {
    private Wif4j() {}

    /** Builds, gets the first token; returns when it was built. */
    static long run(String path, String awsSts) throws IOException {
      if (!path.equals("gcp2aws")) {
        GoogleCredentials c = FederatedCredentials.fromEnvironment();
        long built = System.nanoTime();
        c.getRequestMetadata(URI.create("https://aiplatform.googleapis.com/"));
        return built;
      }
      GoogleToAwsCredentialsProvider provider =
          GoogleToAwsCredentialsProvider.builder()
              .roleArn(ColdStart.ROLE)
              .stsEndpoint(URI.create(awsSts))
              .build();
      long built = System.nanoTime();
      check(provider.resolveCredentials());
      return built;
    }
  }

  static void check(AwsCredentials c) {
    if (c.accessKeyId().isEmpty()) {
      throw new IllegalStateException("no AWS credentials");
    }
  }
}
