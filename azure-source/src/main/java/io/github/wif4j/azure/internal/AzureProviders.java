package io.github.wif4j.azure.internal;

import io.github.wif4j.azure.AzureSource;
import io.github.wif4j.azure.AzureSource.Kind;
import io.github.wif4j.core.Environment;
import io.github.wif4j.core.FederationException;
import io.github.wif4j.core.SourceUnavailableException;
import io.github.wif4j.core.http.HttpExecutor;
import io.github.wif4j.core.http.TransportPolicy;
import io.github.wif4j.core.spi.Source;
import io.github.wif4j.core.spi.SourceProvider;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;

/**
 * Detection of the Azure sources, ordered like azure-identity's managed identity detection: App
 * Service ({@code IDENTITY_ENDPOINT} + {@code IDENTITY_HEADER}), legacy MSI ({@code MSI_ENDPOINT}),
 * AKS workload identity ({@code AZURE_FEDERATED_TOKEN_FILE}), then VM IMDS by a short probe.
 */
public final class AzureProviders {
  private AzureProviders() {}

  abstract static class Base implements SourceProvider {
    private final String id;
    private final int order;
    private final Kind kind;

    Base(String id, int order, Kind kind) {
      this.id = id;
      this.order = order;
      this.kind = kind;
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public int order() {
      return order;
    }

    @Override
    public Source create(Environment environment) {
      return AzureSource.builder().environment(environment).kind(kind).build();
    }
  }

  /** App Service / Functions / Container Apps. */
  public static final class AppService extends Base {
    public AppService() {
      super("azure-app-service", 200, Kind.APP_SERVICE);
    }

    @Override
    public Source detect(Environment env) throws SourceUnavailableException {
      if (env.has(AzureEnv.IDENTITY_ENDPOINT) && env.has(AzureEnv.IDENTITY_HEADER)) {
        return create(env);
      }
      throw new SourceUnavailableException(
          AzureEnv.IDENTITY_ENDPOINT + " and " + AzureEnv.IDENTITY_HEADER + " are not both set");
    }
  }

  /** The legacy MSI endpoint. */
  public static final class LegacyMsi extends Base {
    public LegacyMsi() {
      super("azure-msi", 210, Kind.LEGACY_MSI);
    }

    @Override
    public Source detect(Environment env) throws SourceUnavailableException {
      if (env.has(AzureEnv.MSI_ENDPOINT)) {
        return create(env);
      }
      throw new SourceUnavailableException(AzureEnv.MSI_ENDPOINT + " is not set");
    }
  }

  /** AKS workload identity. */
  public static final class Aks implements SourceProvider {
    @Override
    public String id() {
      return "azure-aks";
    }

    @Override
    public int order() {
      return 220;
    }

    @Override
    public Source create(Environment env) {
      // explicit kind: with WIF4J_SOURCE=azure-aks, App Service variables must not win
      return AzureSource.builder().environment(env).kind(Kind.aks(env)).build();
    }

    @Override
    public Source detect(Environment env) throws SourceUnavailableException {
      if (env.has(AzureEnv.FEDERATED_TOKEN_FILE)) {
        return create(env);
      }
      throw new SourceUnavailableException(AzureEnv.FEDERATED_TOKEN_FILE + " is not set");
    }
  }

  /**
   * VM / VMSS IMDS: a tokenless probe of the token path (500 ms). Azure answers 400 with a JSON
   * {@code error} (the Metadata header is missing); EC2 and GCE at the same address answer
   * differently.
   */
  public static final class Imds extends Base {
    static final Duration PROBE = Duration.ofMillis(500);

    public Imds() {
      super("azure-imds", 850, Kind.VM_IMDS);
    }

    @Override
    public Source detect(Environment env) throws FederationException {
      URI probe =
          URI.create(imdsBase(env) + "/metadata/identity/oauth2/token?api-version=2018-02-01");
      HttpExecutor http = HttpExecutor.create(TransportPolicy.singleAttempt(PROBE));
      try {
        HttpExecutor.Response r =
            http.send(HttpExecutor.Request.get(probe).endpointName("Azure IMDS probe").build());
        if (r.status() == 400
            && r.header("Metadata-Flavor").isEmpty()
            && r.body().contains("\"error\"")) {
          return create(env); // built only now: no resource notice when IMDS is absent
        }
        throw new SourceUnavailableException(
            "the metadata service at "
                + imdsBase(env)
                + " is not Azure's (HTTP "
                + r.status()
                + ")");
      } catch (SourceUnavailableException e) {
        throw e;
      } catch (IOException e) {
        throw new SourceUnavailableException(
            "no Azure IMDS answered at " + imdsBase(env) + " within " + PROBE.toMillis() + " ms");
      }
    }

    private static String imdsBase(Environment env) {
      return AzureHttp.stripSlash(
          env.get(AzureEnv.POD_IDENTITY_AUTHORITY_HOST)
              .orElse(AzureSource.DEFAULT_IMDS.toString()));
    }
  }
}
