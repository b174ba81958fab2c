package io.github.wif4j.core;

import com.google.auth.oauth2.AwsCredentials;
import com.google.auth.oauth2.AwsSecurityCredentials;
import com.google.auth.oauth2.AwsSecurityCredentialsSupplier;
import com.google.auth.oauth2.ExternalAccountCredentials;
import com.google.auth.oauth2.ExternalAccountSupplierContext;
import com.google.auth.oauth2.IdentityPoolCredentials;
import io.github.wif4j.core.FederationException.Step;
import io.github.wif4j.core.cache.RefreshingCache;
import io.github.wif4j.core.config.AwsCredentialSource;
import io.github.wif4j.core.config.ExternalAccountConfig;
import io.github.wif4j.core.http.ParallelStart;
import io.github.wif4j.core.http.TransportPolicy;
import io.github.wif4j.core.http.Wif4jTransportFactory;
import io.github.wif4j.core.internal.Diagnostics;
import io.github.wif4j.core.spi.AwsSigningMaterial;
import io.github.wif4j.core.spi.AwsSigningSource;
import io.github.wif4j.core.spi.Source;
import io.github.wif4j.core.spi.SourceContext;
import io.github.wif4j.core.spi.SubjectToken;
import io.github.wif4j.core.spi.SubjectTokenSource;
import io.github.wif4j.core.spi.SubjectTokenType;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a {@link FederatedCredentials} shares with the copies made from it ({@code createScoped},
 * {@code createWithQuotaProject}, {@code toBuilder().build()}): the subject-token source (given,
 * detected on first use, or the config file's own), the hardened transport, and the copies' caches,
 * so that closing the owner stops them all. Immutable configuration plus one lazily detected
 * source.
 */
final class FederationResources {
  private final Source givenSource;
  private final ExternalAccountConfig config;
  private final Environment environment;
  private final TransportPolicy transportPolicy;
  private final String regionalCredentialVerificationUrl;
  private final Wif4jTransportFactory transport;
  private final Diagnostics.ClaimsHolder claims = new Diagnostics.ClaimsHolder();

  private final Object lock = new Object();
  private Source owned; // detected, or serving the file's credential_source; guarded by lock
  private boolean resolved; // owned was looked for; guarded by lock
  private final List<WeakReference<RefreshingCache<?>>> caches = new ArrayList<>(); // guarded

  FederationResources(
      Source givenSource,
      ExternalAccountConfig config,
      Environment environment,
      TransportPolicy transportPolicy,
      String regionalCredentialVerificationUrl) {
    this.givenSource = givenSource;
    this.config = config;
    this.environment = environment;
    this.transportPolicy = transportPolicy;
    this.regionalCredentialVerificationUrl = regionalCredentialVerificationUrl;
    this.transport = Wif4jTransportFactory.create(transportPolicy);
  }

  Wif4jTransportFactory transport() {
    return transport;
  }

  /** Whether the source is found by {@link SourceDetector} on first use. */
  boolean detects() {
    return givenSource == null && config == null;
  }

  /** The source when known without I/O: given, already detected, or serving the file. */
  Optional<Source> knownSource() {
    if (givenSource != null) {
      return Optional.of(givenSource);
    }
    synchronized (lock) {
      return Optional.ofNullable(owned);
    }
  }

  /**
   * The source to fetch from; null when google-auth runs the config file's own source. With a file,
   * a wif4j module serving its {@code credential_source} (no I/O); otherwise detected on first use
   * (this may probe metadata endpoints, within the caller's refresh deadline).
   *
   * @throws FederationException listing every place looked at when no source applies
   */
  Source source() throws FederationException {
    if (!detects()) {
      return configuredSource();
    }
    synchronized (lock) {
      if (!resolved) {
        try {
          owned = SourceDetector.detect(environment);
        } catch (ConfigurationException e) {
          throw FederationException.builder(Step.SOURCE, e.getMessage()).cause(e).build();
        }
        resolved = true;
      }
      return owned;
    }
  }

  /**
   * Without detection: the given source, else a wif4j module serving the file's {@code
   * credential_source} (AWS aws1, Azure url), else null (google-auth reads the file). No I/O.
   */
  Source configuredSource() {
    if (givenSource != null) {
      return givenSource;
    }
    synchronized (lock) {
      if (!resolved) {
        owned = SourceDetector.forConfiguration(config, environment, transportPolicy).orElse(null);
        resolved = true;
      }
      return owned;
    }
  }

  /** Registers a copy's cache, so that closing the owner stops its background refresh. */
  void register(RefreshingCache<?> cache) {
    synchronized (lock) {
      caches.removeIf(r -> r.get() == null);
      caches.add(new WeakReference<>(cache));
    }
  }

  /**
   * Releases what the owner owns: stops background refresh of every copy and closes a source it
   * created (detected, or serving the file; a later refresh creates it again). A given source
   * belongs to the caller and stays open.
   */
  void close() {
    List<RefreshingCache<?>> toClose = new ArrayList<>();
    Source src;
    synchronized (lock) {
      for (WeakReference<RefreshingCache<?>> r : caches) {
        RefreshingCache<?> c = r.get();
        if (c != null) {
          toClose.add(c);
        }
      }
      caches.clear();
      src = owned;
      owned = null;
      resolved = false;
    }
    toClose.forEach(RefreshingCache::close);
    if (src instanceof AutoCloseable) {
      try {
        ((AutoCloseable) src).close();
      } catch (Exception e) { // NOPMD: best effort, as for any close at shutdown
        System.getLogger(FederationResources.class.getName())
            .log(System.Logger.Level.DEBUG, "closing the detected source failed: {0}", e);
      }
    }
  }

  /** Diagnostics for a failure of credentials with {@code settings}, on {@code clock}. */
  Diagnostics diagnostics(FederationSettings settings, Clock clock) {
    return new Diagnostics(settings, knownSource().orElse(null), claims, clock);
  }

  /**
   * The google-auth credentials that exchange {@code src}'s tokens under {@code settings}. No I/O.
   *
   * @throws ConfigurationException when the config file or source cannot be used
   */
  ExternalAccountCredentials exchange(FederationSettings s, Source src) {
    if (src == null) {
      return ConfigFileCredentials.load(config, s, transport);
    }
    Environment env = environment;
    ExternalAccountCredentials.Builder b;
    if (src instanceof AwsSigningSource aws) {
      if (ParallelStart.enabled(env) && env.get("AWS_SECRET_ACCESS_KEY").isEmpty()) {
        // google-auth's signer initialises while the source fetches; with the keys in the
        // environment (Lambda) the source is instant and the real signature comes at once
        SigV4Warmup.start();
      }
      AwsCredentials.Builder a =
          AwsCredentials.newBuilder()
              .setAwsSecurityCredentialsSupplier(new AwsSupplier(aws, env, claims))
              .setSubjectTokenType(SubjectTokenType.AWS4_REQUEST);
      String verificationUrl = regionalCredentialVerificationUrl;
      if (verificationUrl == null
          && config != null
          && config.credentialSource() instanceof AwsCredentialSource file) {
        // a gcloud AWS file upgraded to another AWS source keeps its (e.g. FIPS) endpoint
        verificationUrl = file.regionalCredVerificationUrl();
      }
      if (verificationUrl != null) {
        a.setRegionalCredentialVerificationUrlOverride(verificationUrl);
      }
      b = a;
    } else if (src instanceof SubjectTokenSource tokens) {
      Diagnostics.ClaimsHolder lastClaims = claims;
      b =
          IdentityPoolCredentials.newBuilder()
              .setSubjectTokenSupplier(
                  ctx -> {
                    SubjectToken t = tokens.fetch(context(ctx, env));
                    lastClaims.remember(t.value());
                    return t.value();
                  })
              .setSubjectTokenType(tokens.subjectTokenType());
    } else {
      throw ConfigurationException.of(
          "FederatedCredentials.Builder.source",
          src.getClass().getName() + " implements neither SubjectTokenSource nor AwsSigningSource",
          "a source from wif4j-aws-source or wif4j-azure-source, or your own implementation of"
              + " one of the two interfaces");
    }
    b.setHttpTransportFactory(transport)
        .setAudience(s.audience().toString())
        .setTokenUrl(s.tokenUrl().toString())
        .setScopes(s.scopes())
        .setUniverseDomain(s.universeDomain());
    s.quotaProjectId().ifPresent(b::setQuotaProjectId);
    s.tokenInfoUrl().ifPresent(u -> b.setTokenInfoUrl(u.toString()));
    s.workforcePoolUserProject().ifPresent(b::setWorkforcePoolUserProject);
    if (s.serviceAccountImpersonationUrl().isPresent()) {
      b.setServiceAccountImpersonationUrl(s.serviceAccountImpersonationUrl().get().toString());
      b.setServiceAccountImpersonationOptions(
          Map.of("token_lifetime_seconds", (int) s.tokenLifetime().getSeconds()));
    }
    return b.build();
  }

  private static SourceContext context(ExternalAccountSupplierContext ctx, Environment env) {
    return SourceContext.of(ctx.getAudience(), ctx.getSubjectTokenType(), env);
  }

  /** Adapts an {@link AwsSigningSource} to google-auth's supplier. */
  private static final class AwsSupplier implements AwsSecurityCredentialsSupplier {
    private static final long serialVersionUID = 1L;
    private final transient AwsSigningSource source;
    private final transient Environment env;
    private final transient Diagnostics.ClaimsHolder facts;

    AwsSupplier(AwsSigningSource source, Environment env, Diagnostics.ClaimsHolder facts) {
      this.source = source;
      this.env = env;
      this.facts = facts;
    }

    @Override
    public String getRegion(ExternalAccountSupplierContext context) throws IOException {
      return source.fetch(context(context, env)).region();
    }

    @Override
    public AwsSecurityCredentials getCredentials(ExternalAccountSupplierContext context)
        throws IOException {
      AwsSigningMaterial m = source.fetch(context(context, env));
      facts.rememberAws(m.accessKeyId(), m.expiresAt().orElse(null), source.description());
      return new AwsSecurityCredentials(
          m.accessKeyId(), m.secretAccessKey(), m.sessionToken().orElse(null));
    }
  }
}
