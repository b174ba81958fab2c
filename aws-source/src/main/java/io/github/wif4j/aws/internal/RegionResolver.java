package io.github.wif4j.aws.internal;

import io.github.wif4j.core.ConfigurationException;
import io.github.wif4j.core.Environment;
import io.github.wif4j.core.FederationException;
import io.github.wif4j.core.FederationException.Step;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.providers.AwsProfileRegionProvider;

/**
 * Finds the AWS region once, in the order of the SDK's {@code DefaultAwsRegionProviderChain}:
 * explicit, {@code aws.region} / {@code AWS_REGION} (and {@code AWS_DEFAULT_REGION}, which
 * google-auth reads), the profile's {@code region} through the SDK's {@link
 * AwsProfileRegionProvider}, then instance metadata ({@link ImdsClient#region()}). Every value is
 * checked to be a region name, so a typo is named instead of surfacing as an unknown STS host.
 */
public final class RegionResolver {
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d{1,2}");

  private final String explicit;
  private final Environment env;
  private final Profiles profiles;
  private final ImdsClient imds;
  private volatile String resolved;
  private volatile String origin;

  /** {@code imds} may be null when the metadata service is disabled. */
  public RegionResolver(String explicit, Environment env, Profiles profiles, ImdsClient imds) {
    this.explicit = explicit;
    this.env = env;
    this.profiles = profiles;
    this.imds = imds;
  }

  /** Checks that {@code value} looks like an AWS region name. */
  public static String validate(String field, String value) {
    if (!REGION.matcher(value).matches()) {
      throw ConfigurationException.of(
          field,
          "'" + value + "' is not an AWS region name",
          "a region such as us-east-1, eu-west-3 or ap-southeast-2");
    }
    return value;
  }

  /** Where the region came from, once resolved. */
  public Optional<String> origin() {
    return Optional.ofNullable(origin);
  }

  /** The region; resolved on the first call and then reused. */
  public String resolve() throws IOException {
    String r = resolved;
    if (r != null) {
      return r;
    }
    synchronized (this) {
      if (resolved == null) {
        resolveOnce();
      }
      return resolved;
    }
  }

  private void resolveOnce() throws IOException {
    List<String> tried = new ArrayList<>();
    if (explicit != null) {
      set(validate("AwsSource.Builder.region", explicit), "builder");
      return;
    }
    for (String variable : List.of(AwsEnv.REGION, AwsEnv.DEFAULT_REGION)) {
      Optional<String> v = AwsEnv.read(env, variable);
      if (v.isPresent()) {
        set(validate(variable, v.get().trim()), variable);
        return;
      }
      tried.add(variable + " is not set");
    }
    try {
      String fromProfile =
          new AwsProfileRegionProvider(profiles::file, profiles.name()).getRegion().id();
      set(
          validate("region of profile '" + profiles.name() + "'", fromProfile),
          "profile " + profiles.name());
      return;
    } catch (SdkClientException e) {
      tried.add("profile '" + profiles.name() + "' has no region");
    }
    if (imds != null) {
      try {
        set(validate("EC2 instance metadata region", imds.region()), "instance metadata");
        return;
      } catch (FederationException e) {
        if (e.httpStatus() == 401 || e.getMessage().contains(AwsEnv.IMDS_V1_DISABLED)) {
          // IMDSv2 required and no session token (the hop limit): setting a region would not help,
          // the credentials come from the same place
          throw e;
        }
        tried.add("instance metadata: " + e.getMessage().replace('\n', ' '));
      }
    } else {
      tried.add("instance metadata is disabled (" + AwsEnv.IMDS_DISABLED + ")");
    }
    throw FederationException.builder(
            Step.SOURCE, "Cannot tell which AWS region this runs in: " + String.join("; ", tried))
        .fix("Set AWS_REGION (e.g. AWS_REGION=us-east-1) or AwsSource.builder().region(...).")
        .build();
  }

  private void set(String region, String from) {
    this.origin = from;
    this.resolved = region;
  }
}
