package io.github.wif4j.spring;

import io.github.wif4j.gcp2aws.GoogleToAwsCredentialsProvider;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * An {@link AwsCredentialsProvider} for Google workloads that call AWS, when wif4j-gcp-to-aws is on
 * the class path and {@code wif4j.aws.role-arn} is set: Google ID tokens exchanged at AWS STS
 * {@code AssumeRoleWithWebIdentity}. Spring Cloud AWS and any AWS SDK client bean pick it up.
 * Closed with the context.
 */
@AutoConfiguration(
    after = Wif4jAutoConfiguration.class,
    beforeName = "io.awspring.cloud.autoconfigure.core.CredentialsProviderAutoConfiguration")
@ConditionalOnClass({GoogleToAwsCredentialsProvider.class, AwsCredentialsProvider.class})
@ConditionalOnProperty(prefix = "wif4j.aws", name = "role-arn")
public class Wif4jAwsAutoConfiguration {

  /** The AWS credentials; the application's own {@link AwsCredentialsProvider} bean wins. */
  @Bean
  @ConditionalOnMissingBean(AwsCredentialsProvider.class)
  public GoogleToAwsCredentialsProvider wif4jAwsCredentialsProvider(
      Wif4jProperties properties,
      Wif4jRefreshMonitor monitor,
      @Qualifier(Wif4jAutoConfiguration.CLOCK_BEAN) ObjectProvider<Clock> clock,
      ObjectProvider<GoogleToAwsCustomizer> customizers) {
    Wif4jProperties.Aws aws = properties.aws();
    GoogleToAwsCredentialsProvider.Builder b =
        GoogleToAwsCredentialsProvider.builder()
            .roleArn(aws.roleArn())
            .environment(Wif4jAutoConfiguration.environment(properties))
            .refreshListener(monitor)
            // unset properties are null, the builder's own defaults
            .audience(aws.audience())
            .roleSessionName(aws.roleSessionName())
            .duration(aws.duration())
            .stsRegion(aws.region())
            .stsEndpoint(aws.stsEndpoint());
    clock.ifAvailable(b::clock);
    customizers.orderedStream().forEach(c -> c.customize(b));
    return b.build();
  }
}
