package io.github.wif4j.aws.internal;

import io.github.wif4j.aws.AwsSource;
import io.github.wif4j.core.Environment;
import io.github.wif4j.core.SourceDetector;
import io.github.wif4j.core.SourceUnavailableException;
import io.github.wif4j.core.spi.Source;
import io.github.wif4j.core.spi.SourceProvider;
import java.util.List;

/**
 * Detects AWS by the environment variables AWS runtimes set (Lambda, ECS, EKS IRSA and Pod
 * Identity, explicit keys, a named profile). Runs early: it does no I/O. EC2 and AgentCore have no
 * such marker; {@link AwsImdsSourceProvider} probes for them later.
 */
public final class AwsSourceProvider implements SourceProvider {
  static final List<String> MARKERS =
      List.of(
          AwsEnv.ACCESS_KEY_ID,
          AwsEnv.WEB_IDENTITY_TOKEN_FILE,
          AwsEnv.CONTAINER_RELATIVE_URI,
          AwsEnv.CONTAINER_FULL_URI,
          AwsEnv.LAMBDA_FUNCTION_NAME,
          AwsEnv.PROFILE);

  @Override
  public String id() {
    return "aws";
  }

  @Override
  public int order() {
    return 100;
  }

  @Override
  public Source create(Environment environment) {
    return AwsSource.fromEnvironment(environment);
  }

  @Override
  public Source detect(Environment environment) throws SourceUnavailableException {
    if (id().equalsIgnoreCase(environment.get(SourceDetector.SOURCE_ENV).orElse(""))
        || MARKERS.stream().anyMatch(m -> AwsEnv.read(environment, m).isPresent())) {
      return create(environment);
    }
    throw new SourceUnavailableException(
        "none of " + String.join(", ", MARKERS) + " is set (EC2 and AgentCore are probed later)");
  }
}
