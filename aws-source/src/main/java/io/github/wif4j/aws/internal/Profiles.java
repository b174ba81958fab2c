package io.github.wif4j.aws.internal;

import io.github.wif4j.core.Environment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import software.amazon.awssdk.profiles.Profile;
import software.amazon.awssdk.profiles.ProfileFile;

/**
 * The shared config and credentials files ({@code AWS_CONFIG_FILE}, {@code
 * AWS_SHARED_CREDENTIALS_FILE}, else {@code ~/.aws/...}) and the profile in force ({@code
 * AWS_PROFILE}), located through {@link Environment} and handed to the SDK's profile-reading
 * providers as a {@code profileFile} supplier, since the SDK's own locator reads the process
 * environment.
 */
public final class Profiles {
  private final Environment env;

  public Profiles(Environment env) {
    this.env = env;
  }

  /** The profile name in force. */
  public String name() {
    return AwsEnv.read(env, AwsEnv.PROFILE).orElse("default");
  }

  /** The aggregated files; empty (no profiles) when neither exists. Read on every call. */
  public ProfileFile file() {
    ProfileFile.Aggregator a = ProfileFile.aggregator();
    path(AwsEnv.SHARED_CREDENTIALS_FILE, "credentials")
        .ifPresent(p -> a.addFile(read(p, ProfileFile.Type.CREDENTIALS)));
    path(AwsEnv.CONFIG_FILE, "config")
        .ifPresent(p -> a.addFile(read(p, ProfileFile.Type.CONFIGURATION)));
    return a.build();
  }

  /** The profile in force, if the files define it. */
  public Optional<Profile> profile() {
    return file().profile(name());
  }

  /** Why profiles do not apply here, or empty if the profile in force exists. */
  public Optional<String> notApplicable() {
    if (path(AwsEnv.SHARED_CREDENTIALS_FILE, "credentials").isEmpty()
        && path(AwsEnv.CONFIG_FILE, "config").isEmpty()) {
      return Optional.of("no ~/.aws/config or ~/.aws/credentials file");
    }
    return profile().isPresent()
        ? Optional.empty()
        : Optional.of("the files define no profile '" + name() + "'");
  }

  private static ProfileFile read(Path p, ProfileFile.Type type) {
    return ProfileFile.builder().content(p).type(type).build();
  }

  private Optional<Path> path(String variable, String defaultName) {
    Optional<String> explicit = env.get(variable);
    Optional<Path> p =
        explicit.isPresent()
            ? explicit.map(Path::of)
            : env.property("user.home").map(h -> Path.of(h, ".aws", defaultName));
    return p.filter(Files::isRegularFile);
  }
}
