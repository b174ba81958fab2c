package io.github.wif4j.core.spi;

import io.github.wif4j.core.Environment;
import java.util.Objects;

/**
 * What a source needs to know about the exchange it serves. Immutable; new fields may be added
 * without breaking sources.
 */
public final class SourceContext {
  private final String audience;
  private final String subjectTokenType;
  private final Environment environment;

  private SourceContext(String audience, String subjectTokenType, Environment environment) {
    this.audience = Objects.requireNonNull(audience, "audience");
    this.subjectTokenType = Objects.requireNonNull(subjectTokenType, "subjectTokenType");
    this.environment = Objects.requireNonNull(environment, "environment");
  }

  /** A context for the workload identity provider {@code audience}. */
  public static SourceContext of(
      String audience, String subjectTokenType, Environment environment) {
    return new SourceContext(audience, subjectTokenType, environment);
  }

  /** The full provider resource name the subject token is exchanged at. */
  public String audience() {
    return audience;
  }

  /** The {@code subject_token_type} of the exchange. */
  public String subjectTokenType() {
    return subjectTokenType;
  }

  /** Where to read environment variables; read rotating values on every fetch. */
  public Environment environment() {
    return environment;
  }

  @Override
  public String toString() {
    return "SourceContext{audience=" + audience + ", subjectTokenType=" + subjectTokenType + "}";
  }
}
