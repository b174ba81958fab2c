package io.github.wif4j.core;

import io.github.wif4j.core.internal.config.Checks;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The full resource name of a workload identity pool provider: the {@code audience} of the Google
 * STS token exchange.
 *
 * <pre>{@code
 * //iam.googleapis.com/projects/PROJECT_NUMBER/locations/global/workloadIdentityPools/POOL_ID/providers/PROVIDER_ID
 * //iam.googleapis.com/locations/global/workforcePools/POOL_ID/providers/PROVIDER_ID   (workforce)
 * }</pre>
 *
 * <pre>{@code
 * WorkloadIdentityAudience aud = WorkloadIdentityAudience.of("123456789012", "my-pool", "aws");
 * String member = aud.principalSet("aws_role", "arn:aws:sts::111122223333:assumed-role/app");
 * // gcloud iam service-accounts add-iam-policy-binding SA --role=roles/iam.workloadIdentityUser
 * //     --member="$member"
 * }</pre>
 *
 * <p>Immutable and thread-safe. {@link #parse(String)} and {@link #of(String, String, String)}
 * throw {@link ConfigurationException} for a malformed value and explain the common mistakes: a
 * project ID where the project <em>number</em> belongs, a pool name without {@code /providers/...},
 * an {@code https:} prefix, a location other than {@code global}, ids breaking Google's rules (4-32
 * characters of {@code [a-z0-9-]}, not starting with {@code gcp-}). The message shows the expected
 * shape with the recognisable parts of the input filled in.
 *
 * <p>Audiences in another universe ({@code //iam.<universe-domain>/...}) are accepted; {@link
 * #universeDomain()} reports the domain.
 */
public final class WorkloadIdentityAudience {
  private static final Pattern ID = Pattern.compile("[a-z0-9-]{4,32}");
  private static final Pattern WORKFORCE_POOL_ID = Pattern.compile("[a-z][a-z0-9-]{4,61}[a-z0-9]");
  private static final Pattern PROJECT_NUMBER = Pattern.compile("[1-9][0-9]{0,18}");
  private static final Pattern WORKLOAD =
      Pattern.compile(
          "projects/([^/]*)/locations/([^/]*)/workloadIdentityPools/([^/]*)"
              + "(?:/providers(?:/([^/]*))?)?(/.*)?");
  private static final Pattern WORKFORCE =
      Pattern.compile("locations/([^/]*)/workforcePools/([^/]*)(?:/providers(?:/([^/]*))?)?(/.*)?");
  private static final String ID_RULE =
      "4 to 32 characters of lowercase letters, digits and hyphens, not starting with 'gcp-'";

  private final String universeDomain;
  private final String projectNumber;
  private final String poolId;
  private final String providerId;
  private final boolean workforce;
  private final String value;

  private WorkloadIdentityAudience(
      String universeDomain,
      String projectNumber,
      String poolId,
      String providerId,
      boolean workforce) {
    this.universeDomain = universeDomain;
    this.projectNumber = projectNumber;
    this.poolId = poolId;
    this.providerId = providerId;
    this.workforce = workforce;
    this.value = "//iam." + universeDomain + "/" + poolResourceName() + "/providers/" + providerId;
  }

  /**
   * The audience of provider {@code providerId} in workload identity pool {@code poolId} of the
   * project with number {@code projectNumber}, in the {@code googleapis.com} universe.
   *
   * @throws ConfigurationException naming {@code projectNumber}, {@code poolId} or {@code
   *     providerId} when one is malformed
   */
  public static WorkloadIdentityAudience of(
      String projectNumber, String poolId, String providerId) {
    return of(
        projectNumber,
        poolId,
        providerId,
        Checks.DEFAULT_UNIVERSE,
        "projectNumber",
        "poolId",
        "providerId");
  }

  /**
   * The audience of a workforce pool provider, {@code
   * //iam.googleapis.com/locations/global/workforcePools/POOL/providers/PROVIDER}.
   *
   * @throws ConfigurationException naming {@code poolId} or {@code providerId}
   */
  public static WorkloadIdentityAudience workforce(String poolId, String providerId) {
    String expected = "//iam.googleapis.com/locations/global/workforcePools/POOL/providers/PROV";
    checkWorkforcePool("poolId", poolId, expected);
    checkId("providerId", "provider ID", providerId, expected);
    return new WorkloadIdentityAudience(Checks.DEFAULT_UNIVERSE, "", poolId, providerId, true);
  }

  /**
   * Parses a full audience string as printed by {@code gcloud iam workload-identity-pools providers
   * describe --format='value(name)'} prefixed with {@code //iam.googleapis.com/}.
   *
   * @throws ConfigurationException naming {@code audience}, quoting the value and showing the
   *     expected shape
   */
  public static WorkloadIdentityAudience parse(String audience) {
    return parse(audience, "audience");
  }

  // Package-private: lets FederationSettings report env var names.
  static WorkloadIdentityAudience of(
      String projectNumber,
      String poolId,
      String providerId,
      String universe,
      String numberField,
      String poolField,
      String providerField) {
    String expected =
        shape(
            universe,
            numberPart(projectNumber),
            orPlaceholder(poolId, "POOL_ID"),
            orPlaceholder(providerId, "PROVIDER_ID"));
    checkProjectNumber(numberField, projectNumber, expected);
    checkId(poolField, "pool ID", poolId, expected);
    checkId(providerField, "provider ID", providerId, expected);
    return new WorkloadIdentityAudience(universe, projectNumber, poolId, providerId, false);
  }

  static WorkloadIdentityAudience parse(String audience, String field) {
    String generic = shape("googleapis.com", "PROJECT_NUMBER", "POOL_ID", "PROVIDER_ID");
    Checks.nonBlank(field, audience, generic);
    String a = audience.strip();
    if (a.chars().anyMatch(Character::isWhitespace)) {
      throw ConfigurationException.of(field, "'" + a + "' contains whitespace", generic);
    }
    // Strip what users commonly put in front, remembering the mistake for the message.
    String mistake = null;
    String rest = a;
    Matcher scheme = Pattern.compile("^(?i)(https?|principal|principalSet):(.*)").matcher(a);
    if (scheme.matches()) {
      mistake =
          "starts with '"
              + scheme.group(1)
              + ":'; the audience is a resource name, not a URL, and must start with '//'";
      rest = scheme.group(2);
    }
    if (!rest.startsWith("//")) {
      if (mistake == null) {
        mistake = "does not start with '//iam.googleapis.com/'";
      }
      rest = rest.replaceFirst("^/?", "//");
      if (rest.startsWith("//projects/") || rest.startsWith("//locations/")) {
        rest = "//iam.googleapis.com" + rest.substring(1);
      }
    }
    String hostAndPath = rest.substring(2);
    int slash = hostAndPath.indexOf('/');
    String host = slash < 0 ? hostAndPath : hostAndPath.substring(0, slash);
    String path = slash < 0 ? "" : hostAndPath.substring(slash + 1);
    String universe =
        host.startsWith("iam.") && host.length() > 4 ? host.substring(4) : Checks.DEFAULT_UNIVERSE;

    Matcher wl = WORKLOAD.matcher(path);
    Matcher wf = WORKFORCE.matcher(path);
    boolean isWorkload = wl.matches();
    boolean isWorkforce = !isWorkload && wf.matches();
    String expected =
        isWorkload
            ? shape(
                universe,
                numberPart(wl.group(1)),
                idPart(wl.group(3), "POOL_ID"),
                idPart(wl.group(4), "PROVIDER_ID"))
            : isWorkforce
                ? workforceShape(
                    universe, idPart(wf.group(2), "POOL_ID"), idPart(wf.group(3), "PROVIDER_ID"))
                : generic;
    if (mistake != null) {
      throw ConfigurationException.of(field, "'" + a + "' " + mistake, expected);
    }
    if (!host.startsWith("iam.") || host.length() <= 4) {
      throw ConfigurationException.of(
          field,
          "'" + a + "' has the host '" + host + "'; the audience must name the IAM service",
          expected);
    }
    try {
      Checks.universeDomain(field, universe);
    } catch (ConfigurationException e) {
      throw ConfigurationException.of(
          field, "'" + a + "' has an invalid universe domain '" + universe + "'", expected);
    }
    if (isWorkload) {
      String location = wl.group(2);
      checkLocation(field, a, location, expected);
      if (wl.group(4) == null) {
        throw ConfigurationException.of(
            field,
            "'"
                + a
                + "' names the workload identity pool, not a provider. List the pool's providers"
                + " with: gcloud iam workload-identity-pools providers list --location=global"
                + " --workload-identity-pool="
                + wl.group(3),
            expected);
      }
      trailing(field, a, wl.group(5), expected);
      checkProjectNumber(field, wl.group(1), expected);
      checkId(field, "pool ID", wl.group(3), expected);
      checkId(field, "provider ID", wl.group(4), expected);
      return new WorkloadIdentityAudience(universe, wl.group(1), wl.group(3), wl.group(4), false);
    }
    if (isWorkforce) {
      checkLocation(field, a, wf.group(1), expected);
      if (wf.group(3) == null) {
        throw ConfigurationException.of(
            field, "'" + a + "' names the workforce pool, not a provider", expected);
      }
      trailing(field, a, wf.group(4), expected);
      checkWorkforcePool(field, wf.group(2), expected);
      checkId(field, "provider ID", wf.group(3), expected);
      return new WorkloadIdentityAudience(universe, "", wf.group(2), wf.group(3), true);
    }
    if (path.startsWith("projects/") && !path.contains("/locations/")) {
      throw ConfigurationException.of(
          field, "'" + a + "' lacks '/locations/global/workloadIdentityPools/...'", expected);
    }
    throw ConfigurationException.of(
        field,
        "'" + a + "' is not a workload identity pool provider name",
        expected
            + " (or, for workforce pools, "
            + workforceShape(universe, "POOL_ID", "PROVIDER_ID")
            + ")");
  }

  private static void trailing(String field, String a, String extra, String expected) {
    if (extra != null) {
      throw ConfigurationException.of(
          field, "'" + a + "' has extra text after the provider ID: '" + extra + "'", expected);
    }
  }

  private static void checkLocation(String field, String a, String location, String expected) {
    if (!"global".equals(location)) {
      throw ConfigurationException.of(
          field,
          "'" + a + "' uses the location '" + location + "'; pools only exist in 'global'",
          expected);
    }
  }

  private static void checkProjectNumber(String field, String number, String expected) {
    Checks.nonBlank(field, number, expected);
    if (!PROJECT_NUMBER.matcher(number).matches()) {
      String problem =
          number.matches("[a-z][a-z0-9-]*")
              ? "'"
                  + number
                  + "' is a project ID; the audience needs the project NUMBER. Find it with:"
                  + " gcloud projects describe "
                  + number
                  + " --format='value(projectNumber)'"
              : "project number '" + number + "' is not a number";
      throw ConfigurationException.of(field, problem, expected);
    }
  }

  private static void checkId(String field, String what, String id, String expected) {
    Checks.nonBlank(field, id, expected);
    if (!ID.matcher(id).matches() || id.startsWith("gcp-")) {
      throw ConfigurationException.of(
          field,
          what + " '" + id + "' is invalid: Google requires " + ID_RULE + hint(id),
          expected);
    }
  }

  private static void checkWorkforcePool(String field, String id, String expected) {
    Checks.nonBlank(field, id, expected);
    if (!WORKFORCE_POOL_ID.matcher(id).matches() || id.startsWith("gcp-")) {
      throw ConfigurationException.of(
          field,
          "workforce pool ID '"
              + id
              + "' is invalid: Google requires 6 to 63 characters of lowercase letters, digits"
              + " and hyphens, starting with a letter, not ending with a hyphen, not starting"
              + " with 'gcp-'"
              + hint(id),
          expected);
    }
  }

  private static String hint(String id) {
    if (!id.equals(id.toLowerCase(java.util.Locale.ROOT))) {
      return " (IDs are lowercase; the display name may differ)";
    }
    if (id.contains("_")) {
      return " (underscores are not allowed)";
    }
    if (id.startsWith("gcp-")) {
      return " ('gcp-' is reserved by Google)";
    }
    if (id.length() < 4 || id.length() > 32) {
      return " (it has " + id.length() + " characters)";
    }
    return "";
  }

  private static String numberPart(String v) {
    return v != null && PROJECT_NUMBER.matcher(v).matches() ? v : "PROJECT_NUMBER";
  }

  private static String idPart(String v, String placeholder) {
    return v != null && !v.isEmpty() && !v.contains("/") ? v : placeholder;
  }

  private static String orPlaceholder(String v, String placeholder) {
    return v == null || v.isBlank() ? placeholder : v;
  }

  // Concatenation, not String.formatted: parse() builds these shapes on every start, and the first
  // use of java.util.Formatter in a fresh JVM put ~10 ms on the time to build credentials
  // (ColdStart).
  private static String shape(String universe, String number, String pool, String provider) {
    return "//iam."
        + universe
        + "/projects/"
        + number
        + "/locations/global/workloadIdentityPools/"
        + pool
        + "/providers/"
        + provider;
  }

  private static String workforceShape(String universe, String pool, String provider) {
    return "//iam."
        + universe
        + "/locations/global/workforcePools/"
        + pool
        + "/providers/"
        + provider;
  }

  /** The project number; an empty string for a {@linkplain #isWorkforce() workforce} audience. */
  public String projectNumber() {
    return projectNumber;
  }

  /** The workload (or workforce) identity pool ID. */
  public String poolId() {
    return poolId;
  }

  /** The provider ID. */
  public String providerId() {
    return providerId;
  }

  /** The universe domain, {@code googleapis.com} unless the audience names another. */
  public String universeDomain() {
    return universeDomain;
  }

  /** Whether this is a workforce pool provider ({@code locations/global/workforcePools}). */
  public boolean isWorkforce() {
    return workforce;
  }

  /**
   * The pool's resource name without the {@code //iam...} prefix: {@code
   * projects/NUM/locations/global/workloadIdentityPools/POOL} (or {@code
   * locations/global/workforcePools/POOL}).
   */
  public String poolResourceName() {
    return workforce
        ? "locations/global/workforcePools/" + poolId
        : "projects/" + projectNumber + "/locations/global/workloadIdentityPools/" + poolId;
  }

  /**
   * The IAM principal of one external identity, for {@code --member}: {@code
   * principal://iam.googleapis.com/projects/NUM/locations/global/workloadIdentityPools/POOL/subject/SUBJECT}.
   */
  public String principal(String subject) {
    Checks.nonBlank("subject", subject, "the mapped google.subject of the external identity");
    return "principal://iam." + universeDomain + "/" + poolResourceName() + "/subject/" + subject;
  }

  /**
   * The IAM principal set of all identities whose mapped attribute {@code attribute} equals {@code
   * value}: {@code
   * principalSet://iam.googleapis.com/.../workloadIdentityPools/POOL/attribute.ATTR/VALUE}. {@code
   * attribute} is the name after {@code attribute.} in the provider's attribute mapping.
   */
  public String principalSet(String attribute, String value) {
    Checks.token("attribute", attribute, "a custom attribute name such as aws_role");
    Checks.nonBlank("value", value, "the attribute value to match");
    String name = attribute.startsWith("attribute.") ? attribute.substring(10) : attribute;
    return "principalSet://iam.%s/%s/attribute.%s/%s"
        .formatted(universeDomain, poolResourceName(), name, value);
  }

  /** The principal set of every identity in the pool: {@code principalSet://.../POOL/*}. */
  public String principalSetAll() {
    return "principalSet://iam." + universeDomain + "/" + poolResourceName() + "/*";
  }

  /** The full audience string. */
  @Override
  public String toString() {
    return value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WorkloadIdentityAudience other && other.value.equals(value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(value);
  }
}
