package io.github.wif4j.core.config;

import io.github.wif4j.core.ConfigurationException;
import io.github.wif4j.core.internal.config.Checks;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How a file or URL credential source holds the subject token: the whole body ({@link #text()}), or
 * one string field of a JSON body ({@link #json(String)}), e.g. {@code access_token} of an Azure
 * IMDS response. JSON form: {@code "format": {"type": "json", "subject_token_field_name":
 * "access_token"}}. Immutable.
 */
public final class Format {
  /** The body kind. */
  public enum Type {
    /** The whole body is the token (not trimmed). */
    TEXT,
    /** The token is a string field of a JSON object. */
    JSON;

    /** The value of {@code format.type} in the configuration file: the name in lower case. */
    public String jsonName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private static final Format TEXT = new Format(Type.TEXT, null);

  private final Type type;
  private final String subjectTokenFieldName;

  private Format(Type type, String subjectTokenFieldName) {
    this.type = type;
    this.subjectTokenFieldName = subjectTokenFieldName;
  }

  /** The whole body is the subject token. The default when a source has no {@code format}. */
  public static Format text() {
    return TEXT;
  }

  /**
   * The subject token is the string field {@code subjectTokenFieldName} of a JSON body.
   *
   * @throws ConfigurationException naming {@code credential_source.format.subject_token_field_name}
   *     when the name is missing or blank
   */
  public static Format json(String subjectTokenFieldName) {
    Checks.token(
        "credential_source.format.subject_token_field_name",
        subjectTokenFieldName,
        "the name of the JSON field holding the token, e.g. access_token (required when"
            + " format.type is json)");
    return new Format(Type.JSON, subjectTokenFieldName);
  }

  /** Text or JSON. */
  public Type type() {
    return type;
  }

  /** The JSON field holding the token; present exactly when the type is JSON. */
  public Optional<String> subjectTokenFieldName() {
    return Optional.ofNullable(subjectTokenFieldName);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Format other
        && other.type == type
        && Objects.equals(other.subjectTokenFieldName, subjectTokenFieldName);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, subjectTokenFieldName);
  }

  @Override
  public String toString() {
    return type == Type.TEXT ? "text" : "json(" + subjectTokenFieldName + ")";
  }
}
