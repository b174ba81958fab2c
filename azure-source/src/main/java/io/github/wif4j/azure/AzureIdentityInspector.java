package io.github.wif4j.azure;

import io.github.wif4j.core.Environment;
import io.github.wif4j.core.WorkloadIdentityAudience;
import io.github.wif4j.core.spi.JwtClaims;
import io.github.wif4j.core.spi.SourceContext;
import io.github.wif4j.core.spi.SubjectToken;
import io.github.wif4j.core.spi.SubjectTokenSource;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Shows what Google will see of an Azure identity: the token's {@code iss}, {@code aud}, {@code
 * sub}, {@code oid}, {@code tid} (never the token), and the {@code principal://} / {@code
 * principalSet://} members to grant, so nobody has to paste a token into a website to read it.
 *
 * <pre>{@code
 * AzureIdentityInspector.Inspection who =
 *     AzureIdentityInspector.inspect(AzureSource.fromEnvironment(Environment.system()),
 *         WorkloadIdentityAudience.parse(audience));
 * System.out.println(who);   // claims, members, the gcloud attribute mapping to use
 * }</pre>
 */
public final class AzureIdentityInspector {
  private AzureIdentityInspector() {}

  /** Fetches one token from {@code source} and describes it for {@code audience}'s pool. */
  public static Inspection inspect(SubjectTokenSource source, WorkloadIdentityAudience audience)
      throws IOException {
    SubjectToken t =
        source.fetch(
            SourceContext.of(audience.toString(), source.subjectTokenType(), Environment.system()));
    return new Inspection(
        JwtClaims.decode(t.value())
            .select("iss", "aud", "sub", "oid", "tid", "appid", "azp", "exp"),
        audience);
  }

  /** Claims and members; {@link #toString()} prints them. Holds no token. */
  public static final class Inspection {
    private final Map<String, Object> claims;
    private final WorkloadIdentityAudience audience;

    Inspection(Map<String, Object> claims, WorkloadIdentityAudience audience) {
      this.claims = Collections.unmodifiableMap(new LinkedHashMap<>(claims)); // keep claim order
      this.audience = audience;
    }

    /** The claims Google's provider sees as {@code assertion.*}. */
    public Map<String, Object> claims() {
      return claims;
    }

    /** The member for this exact identity with the mapping {@code google.subject=assertion.sub}. */
    public String principal() {
      return audience.principal(String.valueOf(claims.get("sub")));
    }

    /** Members for the tenant and the object id, when those attributes are mapped. */
    public List<String> principalSets() {
      List<String> out = new ArrayList<>();
      if (claims.get("tid") != null) {
        out.add(audience.principalSet("tid", String.valueOf(claims.get("tid"))));
      }
      if (claims.get("oid") != null) {
        out.add(audience.principalSet("oid", String.valueOf(claims.get("oid"))));
      }
      return out;
    }

    /** The provider settings that accept exactly this identity. */
    public String suggestedProvider() {
      return "--issuer-uri="
          + claims.get("iss")
          + " --allowed-audiences="
          + claims.get("aud")
          + " --attribute-mapping=google.subject=assertion.sub,attribute.tid=assertion.tid,"
          + "attribute.oid=assertion.oid"
          + (claims.get("tid") != null
              ? " --attribute-condition=\"assertion.tid=='" + claims.get("tid") + "'\""
              : "");
    }

    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder("Claims Google sees: ").append(claims).append('\n');
      sb.append("Member (one identity): ").append(principal()).append('\n');
      for (String s : principalSets()) {
        sb.append("Member (attribute):    ").append(s).append('\n');
      }
      sb.append("Provider: ").append(suggestedProvider());
      return sb.toString();
    }
  }
}
