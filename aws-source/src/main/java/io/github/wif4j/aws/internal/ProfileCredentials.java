package io.github.wif4j.aws.internal;

import io.github.wif4j.core.Environment;
import io.github.wif4j.core.FederationException;
import io.github.wif4j.core.FederationException.Step;
import io.github.wif4j.core.internal.Redaction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.profiles.Profile;
import software.amazon.awssdk.profiles.ProfileFile;

/**
 * A named profile of the shared AWS config and credentials files ({@code AWS_PROFILE}, {@code
 * AWS_CONFIG_FILE}, {@code AWS_SHARED_CREDENTIALS_FILE}), resolved by the SDK's {@link
 * ProfileCredentialsProvider}: static keys, {@code credential_process}, {@code role_arn} with a
 * source profile or {@code web_identity_token_file}, and SSO when the SDK's sso module is present.
 */
public final class ProfileCredentials implements CredentialResolver, AutoCloseable {
  private final Environment env;
  private volatile ProfileCredentialsProvider provider;

  public ProfileCredentials(Environment env) {
    this.env = env;
  }

  /** The profile name in force. */
  public String profileName() {
    return AwsEnv.read(env, AwsEnv.PROFILE).orElse("default");
  }

  /** The aggregated profile files, if any exists. */
  public Optional<ProfileFile> profileFile() {
    Optional<Path> config = path(AwsEnv.CONFIG_FILE, "config");
    Optional<Path> credentials = path(AwsEnv.SHARED_CREDENTIALS_FILE, "credentials");
    if (config.isEmpty() && credentials.isEmpty()) {
      return Optional.empty();
    }
    ProfileFile.Aggregator a = ProfileFile.aggregator();
    credentials.ifPresent(
        p ->
            a.addFile(ProfileFile.builder().content(p).type(ProfileFile.Type.CREDENTIALS).build()));
    config.ifPresent(
        p ->
            a.addFile(
                ProfileFile.builder().content(p).type(ProfileFile.Type.CONFIGURATION).build()));
    return Optional.of(a.build());
  }

  /** The profile in force, if the files define it. */
  public Optional<Profile> profile() {
    return profileFile().flatMap(f -> f.profile(profileName()));
  }

  @Override
  public String name() {
    return "profile '" + profileName() + "' (shared config and credentials files)";
  }

  @Override
  public Optional<String> notApplicable() {
    Optional<ProfileFile> file = profileFile();
    if (file.isEmpty()) {
      return Optional.of("no ~/.aws/config or ~/.aws/credentials file");
    }
    if (file.get().profile(profileName()).isEmpty()) {
      return Optional.of("the files define no profile '" + profileName() + "'");
    }
    return Optional.empty();
  }

  @Override
  public AwsCredentials resolve() throws IOException {
    try {
      return provider().resolveCredentials();
    } catch (SdkException | IllegalStateException e) {
      throw FederationException.builder(
              Step.SOURCE,
              "AWS profile '"
                  + profileName()
                  + "' gave no credentials: "
                  + Redaction.scrub(String.valueOf(e.getMessage())))
          .fix("Check the profile with: aws sts get-caller-identity --profile " + profileName())
          .cause(e)
          .build();
    }
  }

  private ProfileCredentialsProvider provider() {
    ProfileCredentialsProvider p = provider;
    if (p == null) {
      synchronized (this) {
        if (provider == null) {
          ProfileFile file = profileFile().orElseThrow();
          provider =
              ProfileCredentialsProvider.builder()
                  .profileFile(file)
                  .profileName(profileName())
                  .build();
        }
        p = provider;
      }
    }
    return p;
  }

  private Optional<Path> path(String variable, String defaultName) {
    Optional<String> explicit = env.get(variable);
    Path p;
    if (explicit.isPresent()) {
      p = Path.of(explicit.get());
    } else {
      Optional<String> home = env.property("user.home");
      if (home.isEmpty()) {
        return Optional.empty();
      }
      p = Path.of(home.get(), ".aws", defaultName);
    }
    return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
  }

  @Override
  public void close() {
    ProfileCredentialsProvider p = provider;
    if (p != null) {
      p.close();
    }
  }
}
