package io.github.wif4j.core;

import io.github.wif4j.core.config.ConfigSourceProvider;
import io.github.wif4j.core.config.ExternalAccountConfig;
import io.github.wif4j.core.http.TransportPolicy;
import io.github.wif4j.core.spi.Source;
import io.github.wif4j.core.spi.SourceProvider;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Finds the subject-token source for where the code runs, through the {@link SourceProvider}s that
 * source modules register with {@link ServiceLoader}.
 *
 * <p>Providers are asked in {@link SourceProvider#order()}; the first that does not throw {@link
 * SourceUnavailableException} wins. A provider that applies but fails stops detection with its own
 * error. When nothing applies, the {@link DetectionException} lists every provider and why it did
 * not apply, or names the artifact to add when no source module is on the class path.
 *
 * <pre>{@code
 * Source source = SourceDetector.detect(Environment.system());
 * }</pre>
 *
 * <p>Explicit configuration wins: {@code WIF4J_SOURCE=aws} (or {@link #detect(Environment,
 * String)}) selects a provider by id without asking the others.
 */
public final class SourceDetector {
  /** Env var naming the source id to use instead of detecting. */
  public static final String SOURCE_ENV = "WIF4J_SOURCE";

  static final String MODULE_HINT =
      "Add the module for your platform: io.github.wif4j:wif4j-aws-source (EC2, ECS, EKS, Lambda,"
          + " AgentCore) or io.github.wif4j:wif4j-azure-source (App Service, Functions, Container"
          + " Apps, VM, AKS).";

  private static final System.Logger LOG = System.getLogger(SourceDetector.class.getName());

  private SourceDetector() {}

  /** Detects with the providers on the class path, honouring {@code WIF4J_SOURCE}. */
  public static Source detect(Environment environment) throws FederationException {
    return detect(environment, environment.get(SOURCE_ENV).orElse(null), installedProviders());
  }

  /** Uses the provider with id {@code sourceId}, or detects when it is null. */
  public static Source detect(Environment environment, String sourceId) throws FederationException {
    return detect(environment, sourceId, installedProviders());
  }

  /** Detects with an explicit provider list (tests, custom platforms). */
  public static Source detect(
      Environment environment, String sourceId, List<SourceProvider> providers)
      throws FederationException {
    List<SourceProvider> sorted = new ArrayList<>(providers);
    sorted.sort(Comparator.comparingInt(SourceProvider::order));
    if (sourceId != null) {
      for (SourceProvider p : sorted) {
        if (p.id().equalsIgnoreCase(sourceId.trim())) {
          return p.create(environment);
        }
      }
      throw unknownId(sourceId, sorted);
    }
    if (sorted.isEmpty()) {
      throw new DetectionException("No wif4j source module is on the class path. " + MODULE_HINT);
    }
    StringBuilder tried = new StringBuilder();
    for (SourceProvider p : sorted) {
      try {
        return p.detect(environment);
      } catch (SourceUnavailableException e) {
        tried
            .append("\n  - ")
            .append(p.id())
            .append(": ")
            .append(e.getMessage().replaceFirst("^\\[source\\] ", ""));
      }
    }
    throw new DetectionException(
        "No subject-token source applies in this environment. Tried:"
            + tried
            + "\nSet "
            + SOURCE_ENV
            + " to one of the ids above to force one, or pass a source to"
            + " FederatedCredentials.builder().source(...).");
  }

  /**
   * A wif4j source for a configuration file's {@code credential_source}, from the {@link
   * ConfigSourceProvider}s on the class path (e.g. wif4j-aws-source for {@code aws1}); empty when
   * none serves it, and google-auth reads the file's source itself. Does no I/O.
   */
  static Optional<Source> forConfiguration(
      ExternalAccountConfig config, Environment environment, TransportPolicy transportPolicy) {
    for (ConfigSourceProvider p :
        ServiceLoader.load(ConfigSourceProvider.class, SourceDetector.class.getClassLoader())) {
      Optional<Source> s = p.serve(config.credentialSource(), environment, transportPolicy);
      if (s.isPresent()) {
        LOG.log(
            System.Logger.Level.DEBUG,
            "The configuration''s {0} credential_source is served by {1}",
            config.credentialSource().kind(),
            s.get().description());
        return s;
      }
    }
    return Optional.empty();
  }

  /**
   * Checks, without I/O, that {@code WIF4J_SOURCE} (when set) names an installed provider, so that
   * a typo is a {@link ConfigurationException} at build time rather than at the first refresh.
   */
  static void checkConfiguredId(Environment environment) {
    Optional<String> id = environment.get(SOURCE_ENV);
    if (id.isPresent()) {
      List<SourceProvider> providers = installedProviders();
      String wanted = id.get().trim();
      if (providers.stream().noneMatch(p -> p.id().equalsIgnoreCase(wanted))) {
        throw unknownId(id.get(), providers);
      }
    }
  }

  private static ConfigurationException unknownId(String sourceId, List<SourceProvider> providers) {
    List<String> ids = providers.stream().map(SourceProvider::id).toList();
    return ConfigurationException.of(
        SOURCE_ENV,
        "names source '" + sourceId + "', which no module on the class path provides",
        ids.isEmpty() ? MODULE_HINT : "one of " + ids + ". " + MODULE_HINT);
  }

  /** The providers registered on the class path. */
  public static List<SourceProvider> installedProviders() {
    List<SourceProvider> list = new ArrayList<>();
    ServiceLoader.load(SourceProvider.class, SourceDetector.class.getClassLoader())
        .forEach(list::add);
    return list;
  }

  /** No source applies; the message lists every provider tried and why. */
  public static final class DetectionException extends FederationException {
    private static final long serialVersionUID = 1L;

    DetectionException(String message) {
      super(FederationException.builder(Step.SOURCE, message));
    }
  }
}
