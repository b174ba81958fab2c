package io.github.wif4j.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wif4j.core.ConfigurationException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every malformed configuration yields a ConfigurationException naming the JSON path. */
class ExternalAccountConfigValidationTest {
  private static final String AUD =
      "//iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/pool1/"
          + "providers/prov1";
  private static final String SA_URL =
      "https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/"
          + "sa@p.iam.gserviceaccount.com:generateAccessToken";
  private static final String AWS_SRC =
      "{\"environment_id\":\"aws1\",\"regional_cred_verification_url\":"
          + "\"https://sts.{region}.amazonaws.com?Action=GetCallerIdentity&Version=2011-06-15\"}";
  private static final String FILE_SRC = "{\"file\":\"/var/token\"}";

  /** A JWT-file config with {@code extra} top-level members appended. */
  private static String jwt(String source, String extra) {
    return "{\"type\":\"external_account\",\"audience\":\""
        + AUD
        + "\",\"subject_token_type\":\"urn:ietf:params:oauth:token-type:jwt\","
        + "\"token_url\":\"https://sts.googleapis.com/v1/token\",\"credential_source\":"
        + source
        + extra
        + "}";
  }

  private static String aws(String source) {
    return jwt(source, "").replace("urn:ietf:params:oauth:token-type:jwt", AWS_TYPE);
  }

  private static final String AWS_TYPE = "urn:ietf:params:aws:token-type:aws4_request";

  static Stream<Arguments> cases() {
    return Stream.of(
        // document level
        bad("not json", "this is not json", "(document)", "is not valid JSON at line 1", "JSON"),
        bad(
            "truncated",
            jwt(FILE_SRC, "").substring(0, 80),
            "(document)",
            "ends unexpectedly",
            "JSON"),
        bad("empty", "", "(document)", "is empty", "create-cred-config"),
        bad(
            "array top level",
            "[1,2]",
            "(document)",
            "the top level is an array",
            "external_account"),
        bad("string top level", "\"external_account\"", "(document)", "a string", "{\"type\""),
        bad("trailing garbage", jwt(FILE_SRC, "") + "}", "(document)", "is not valid JSON", "JSON"),
        bad(
            "duplicate field",
            jwt(FILE_SRC, ",\"audience\":\"x\""),
            "(document)",
            "duplicate field",
            "JSON"),
        // type
        bad(
            "type missing",
            jwt(FILE_SRC, "").replace("\"type\":\"external_account\",", ""),
            "type",
            "is required",
            "external_account"),
        bad(
            "type number",
            jwt(FILE_SRC, "").replace("\"external_account\"", "7"),
            "type",
            "is a number (7), not a string",
            "external_account"),
        bad(
            "authorized user",
            jwt(FILE_SRC, "").replace("\"external_account\"", "\"authorized_user\""),
            "type",
            "user credential file",
            "create-cred-config"),
        bad(
            "unknown type",
            jwt(FILE_SRC, "").replace("\"external_account\"", "\"magic\""),
            "type",
            "'magic' is not external_account",
            "external_account"),
        // audience & token type
        bad(
            "audience missing",
            jwt(FILE_SRC, "").replace("\"audience\":\"" + AUD + "\",", ""),
            "audience",
            "is required",
            "//iam.googleapis.com/projects/"),
        bad(
            "audience object",
            jwt(FILE_SRC, "").replace("\"" + AUD + "\"", "{}"),
            "audience",
            "is an object, not a string",
            "//iam.googleapis.com"),
        bad(
            "audience project id",
            jwt(FILE_SRC, "").replace("123456789012", "my-project"),
            "audience",
            "project NUMBER",
            "/workloadIdentityPools/pool1/providers/prov1"),
        bad(
            "audience pool only",
            jwt(FILE_SRC, "").replace("/providers/prov1", ""),
            "audience",
            "names the workload identity pool",
            "/providers/PROVIDER_ID"),
        bad(
            "subject type missing",
            jwt(FILE_SRC, "")
                .replace("\"subject_token_type\":\"urn:ietf:params:oauth:token-type:jwt\",", ""),
            "subject_token_type",
            "is required",
            "urn:ietf:params:oauth:token-type:jwt"),
        bad(
            "subject type unknown",
            jwt(FILE_SRC, "").replace("token-type:jwt", "token-type:jwtx"),
            "subject_token_type",
            "is not a subject token type",
            "urn:ietf:params:oauth:token-type:id_token"),
        bad(
            "aws type with file source",
            jwt(FILE_SRC, "").replace("urn:ietf:params:oauth:token-type:jwt", AWS_TYPE),
            "subject_token_type",
            "does not fit the file credential source",
            "aws1"),
        // endpoints
        bad(
            "http token url",
            jwt(FILE_SRC, "").replace("https://sts", "http://sts"),
            "token_url",
            "plain http",
            "https://sts.googleapis.com/v1/token"),
        bad(
            "token url number",
            jwt(FILE_SRC, "").replace("\"https://sts.googleapis.com/v1/token\"", "443"),
            "token_url",
            "is a number (443)",
            "https"),
        bad(
            "token url userinfo",
            jwt(FILE_SRC, "").replace("https://sts", "https://me@sts"),
            "token_url",
            "user info",
            "https URL with a host"),
        bad(
            "impersonation no email",
            jwt(
                FILE_SRC,
                ",\"service_account_impersonation_url\":\"https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/:generateAccessToken\""),
            "service_account_impersonation_url",
            "names no service account email",
            "serviceAccounts/NAME@PROJECT_ID.iam.gserviceaccount.com:generateAccessToken"),
        bad(
            "impersonation http",
            jwt(
                FILE_SRC,
                ",\"service_account_impersonation_url\":\""
                    + SA_URL.replace("https", "http")
                    + "\""),
            "service_account_impersonation_url",
            "plain http",
            "https URL"),
        bad(
            "token info url http",
            jwt(FILE_SRC, ",\"token_info_url\":\"http://sts.googleapis.com/v1/introspect\""),
            "token_info_url",
            "plain http",
            "https"),
        // lifetime
        bad(
            "lifetime low",
            jwt(
                FILE_SRC,
                ",\"service_account_impersonation_url\":\""
                    + SA_URL
                    + "\",\"service_account_impersonation\":{\"token_lifetime_seconds\":599}"),
            "service_account_impersonation.token_lifetime_seconds",
            "599 seconds is out of range",
            "600 to 43200"),
        bad(
            "lifetime high",
            jwt(
                FILE_SRC,
                ",\"service_account_impersonation_url\":\""
                    + SA_URL
                    + "\",\"service_account_impersonation\":{\"token_lifetime_seconds\":43201}"),
            "service_account_impersonation.token_lifetime_seconds",
            "out of range",
            "constraints/iam.allowServiceAccountCredentialLifetimeExtension"),
        bad(
            "lifetime boolean",
            jwt(
                FILE_SRC,
                ",\"service_account_impersonation_url\":\""
                    + SA_URL
                    + "\",\"service_account_impersonation\":{\"token_lifetime_seconds\":true}"),
            "service_account_impersonation.token_lifetime_seconds",
            "is a boolean (true), not an integer",
            "600 to 43200"),
        bad(
            "lifetime quoted",
            jwt(
                FILE_SRC,
                ",\"service_account_impersonation_url\":\""
                    + SA_URL
                    + "\",\"service_account_impersonation\":{\"token_lifetime_seconds\":\"3600\"}"),
            "service_account_impersonation.token_lifetime_seconds",
            "(remove the quotes)",
            "JSON integer"),
        bad(
            "lifetime fractional",
            jwt(
                FILE_SRC,
                ",\"service_account_impersonation_url\":\""
                    + SA_URL
                    + "\",\"service_account_impersonation\":{\"token_lifetime_seconds\":3600.5}"),
            "service_account_impersonation.token_lifetime_seconds",
            "not an integer",
            "JSON integer"),
        bad(
            "impersonation options string",
            jwt(FILE_SRC, ",\"service_account_impersonation\":\"3600\""),
            "service_account_impersonation",
            "is a string ('3600'), not an object",
            "token_lifetime_seconds"),
        // misc top level
        bad(
            "workforce project on workload pool",
            jwt(FILE_SRC, ",\"workforce_pool_user_project\":\"p1\""),
            "workforce_pool_user_project",
            "not a workforce pool",
            "quota_project_id"),
        bad(
            "universe mismatch",
            jwt(FILE_SRC, ",\"universe_domain\":\"example.goog\""),
            "universe_domain",
            "disagrees with the audience's universe 'googleapis.com'",
            "//iam."),
        bad(
            "quota project blank",
            jwt(FILE_SRC, ",\"quota_project_id\":\" \""),
            "quota_project_id",
            "is blank",
            "project ID"),
        bad(
            "client secret array",
            jwt(FILE_SRC, ",\"client_id\":\"c\",\"client_secret\":[\"x\"]"),
            "client_secret",
            "is an array, not a string",
            "client secret"),
        bad(
            "client secret without id",
            jwt(FILE_SRC, ",\"client_secret\":\"s\""),
            "client_secret",
            "without client_id",
            "client_id"),
        // credential_source
        bad(
            "source missing",
            jwt("null", ""),
            "credential_source",
            "is required",
            "environment_id"),
        bad(
            "source string",
            jwt("\"/var/token\"", ""),
            "credential_source",
            "is a string ('/var/token'), not an object",
            "JSON object"),
        bad(
            "source empty",
            jwt("{}", ""),
            "credential_source",
            "names no source",
            "exactly one of"),
        bad(
            "source several",
            jwt("{\"file\":\"/a\",\"url\":\"http://b\"}", ""),
            "credential_source",
            "names several sources: file, url",
            "exactly one of"),
        bad(
            "file number",
            jwt("{\"file\":5}", ""),
            "credential_source.file",
            "is a number (5), not a string",
            "path"),
        bad(
            "file blank",
            jwt("{\"file\":\"  \"}", ""),
            "credential_source.file",
            "is blank",
            "path"),
        bad(
            "format json without field",
            jwt("{\"file\":\"/a\",\"format\":{\"type\":\"json\"}}", ""),
            "credential_source.format.subject_token_field_name",
            "is required",
            "access_token"),
        bad(
            "format unknown",
            jwt("{\"file\":\"/a\",\"format\":{\"type\":\"xml\"}}", ""),
            "credential_source.format.type",
            "'xml' is not a format",
            "\"json\""),
        bad(
            "format string",
            jwt("{\"file\":\"/a\",\"format\":\"json\"}", ""),
            "credential_source.format",
            "not an object",
            "subject_token_field_name"),
        bad(
            "url relative",
            jwt("{\"url\":\"/metadata/token\"}", ""),
            "credential_source.url",
            "is not an http or https URL",
            "http://169.254.169.254"),
        bad(
            "headers array",
            jwt("{\"url\":\"http://h/t\",\"headers\":[\"Metadata\"]}", ""),
            "credential_source.headers",
            "is an array, not an object",
            "Metadata"),
        bad(
            "header value number",
            jwt("{\"url\":\"http://h/t\",\"headers\":{\"X-Secret\":12345}}", ""),
            "credential_source.headers.X-Secret",
            "is a number, not a string",
            "header value"),
        bad(
            "executable no command",
            jwt("{\"executable\":{\"timeout_millis\":30000}}", ""),
            "credential_source.executable.command",
            "is required",
            "command line"),
        bad(
            "executable timeout low",
            jwt("{\"executable\":{\"command\":\"x\",\"timeout_millis\":4999}}", ""),
            "credential_source.executable.timeout_millis",
            "4999 is out of range",
            "5000 to 120000"),
        bad(
            "executable timeout high",
            jwt("{\"executable\":{\"command\":\"x\",\"timeout_millis\":120001}}", ""),
            "credential_source.executable.timeout_millis",
            "out of range",
            "5000 to 120000"),
        bad(
            "executable string",
            jwt("{\"executable\":\"/bin/token\"}", ""),
            "credential_source.executable",
            "not an object",
            "command"),
        bad(
            "certificate neither",
            jwt("{\"certificate\":{\"trust_chain_path\":\"/c.pem\"}}", "")
                .replace("token-type:jwt", "token-type:mtls"),
            "credential_source.certificate",
            "names no certificate configuration",
            "use_default_certificate_config"),
        bad(
            "certificate both",
            jwt(
                    "{\"certificate\":{\"use_default_certificate_config\":true,\"certificate_config_location\":\"/c.json\"}}",
                    "")
                .replace("token-type:jwt", "token-type:mtls"),
            "credential_source.certificate",
            "sets both",
            "not both"),
        bad(
            "certificate boolean as string",
            jwt("{\"certificate\":{\"use_default_certificate_config\":\"true\"}}", "")
                .replace("token-type:jwt", "token-type:mtls"),
            "credential_source.certificate.use_default_certificate_config",
            "is a string ('true'), not a boolean",
            "without quotes"),
        bad(
            "aws environment aws2",
            aws(AWS_SRC.replace("aws1", "aws2")),
            "credential_source.environment_id",
            "'aws2' is not supported",
            "aws1"),
        bad(
            "environment azure",
            aws(AWS_SRC.replace("aws1", "azure1")),
            "credential_source.environment_id",
            "'azure1' is not a known environment",
            "aws1"),
        bad(
            "environment number",
            aws(AWS_SRC.replace("\"aws1\"", "1")),
            "credential_source.environment_id",
            "is a number (1), not a string",
            "aws1"),
        bad(
            "aws no regional url",
            aws("{\"environment_id\":\"aws1\"}"),
            "credential_source.regional_cred_verification_url",
            "is required",
            "sts.{region}.amazonaws.com"),
        bad(
            "aws region url ftp",
            aws(
                AWS_SRC.replace(
                    "{\"environment_id\"", "{\"region_url\":\"ftp://x/az\",\"environment_id\"")),
            "credential_source.region_url",
            "is not an http or https URL",
            "availability-zone"),
        bad(
            "aws jwt type",
            aws(AWS_SRC).replace(AWS_TYPE, "urn:ietf:params:oauth:token-type:jwt"),
            "subject_token_type",
            "does not fit the aws credential source",
            "aws4_request"));
  }

  private static Arguments bad(
      String name, String json, String field, String problem, String expected) {
    return Arguments.of(name, json, field, problem, expected);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("cases")
  void fromJson_bad_namesPathProblemAndExpectation(
      String name, String json, String field, String problem, String expected) {
    RuntimeException thrown =
        assertThrows(RuntimeException.class, () -> ExternalAccountConfig.fromJson(json));
    assertEquals(ConfigurationException.class, thrown.getClass(), () -> describe(thrown));
    ConfigurationException e = (ConfigurationException) thrown;
    assertEquals(field, e.field(), e.getMessage());
    assertTrue(e.getMessage().startsWith(field + ": "), e.getMessage());
    assertTrue(e.getMessage().contains(problem), e.getMessage());
    assertTrue(e.expected() != null && e.expected().contains(expected), e.getMessage());
  }

  @org.junit.jupiter.api.Test
  void fromJson_secretsInBadInput_areNeverEchoed() {
    String secret = "eyJhbGciOiJSUzI1NiJ9.c2VjcmV0LXBheWxvYWQ.c2lnbmF0dXJlLXZhbHVl";
    String[] inputs = {
      "{\"type\": " + secret + "}",
      jwt(
          "{\"url\":\"http://h/t\",\"headers\":{\"Authorization\":{\"v\":\"" + secret + "\"}}}",
          ""),
      jwt(FILE_SRC, ",\"client_id\":\"c\",\"client_secret\":{\"s\":\"" + secret + "\"}"),
      "{\"client_secret\": \"" + secret + "\", \"type\": ",
    };
    for (String input : inputs) {
      ConfigurationException e =
          assertThrows(ConfigurationException.class, () -> ExternalAccountConfig.fromJson(input));
      assertFalse(e.getMessage().contains("c2VjcmV0"), e.getMessage());
      for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
        assertFalse(String.valueOf(t.getMessage()).contains("c2VjcmV0"), t.getMessage());
      }
    }
  }

  private static String describe(Throwable t) {
    return t.getClass().getName() + ": " + t.getMessage();
  }
}
