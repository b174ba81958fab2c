package io.github.wif4j.core.config;

import io.github.wif4j.core.internal.config.Checks;
import java.util.Objects;

/**
 * A subject token read from a file on every exchange (e.g. a Kubernetes projected service account
 * token): {@code "credential_source": {"file": "/var/run/secrets/token", "format": {"type":
 * "text"}}}. Immutable.
 */
public final class FileCredentialSource implements CredentialSource {
  private final String path;
  private final Format format;

  private FileCredentialSource(String path, Format format) {
    this.path = path;
    this.format = format;
  }

  /**
   * A file source; {@code format} null means {@link Format#text()}.
   *
   * @throws io.github.wif4j.core.ConfigurationException naming {@code credential_source.file} when
   *     the path is blank
   */
  public static FileCredentialSource of(String path, Format format) {
    Checks.nonBlank(
        "credential_source.file", path, "the path of the file holding the subject token");
    return new FileCredentialSource(path, format == null ? Format.text() : format);
  }

  @Override
  public String kind() {
    return "file";
  }

  /** The file path, as written in the configuration. */
  public String path() {
    return path;
  }

  /** How the file holds the token. */
  public Format format() {
    return format;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FileCredentialSource other
        && other.path.equals(path)
        && other.format.equals(format);
  }

  @Override
  public int hashCode() {
    return Objects.hash(path, format);
  }

  @Override
  public String toString() {
    return "FileCredentialSource{" + path + ", " + format + "}";
  }
}
