package io.github.wif4j.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wif4j.core.ConfigurationException;
import io.github.wif4j.core.Environment;
import io.github.wif4j.core.FederationSettings;
import io.github.wif4j.core.spi.SubjectTokenType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExternalAccountConfigTest {
  static final String SA = "vertex-caller@my-project.iam.gserviceaccount.com";

  static String fixture(String name) {
    try (InputStream in = ExternalAccountConfigTest.class.getResourceAsStream("/config/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void fromJson_awsImdsv2_parsesAllFields() {
    ExternalAccountConfig c = ExternalAccountConfig.fromJson(fixture("aws-imdsv2.json"));
    assertEquals(SubjectTokenType.AWS4_REQUEST, c.subjectTokenType());
    AwsCredentialSource aws = assertInstanceOf(AwsCredentialSource.class, c.credentialSource());
    assertEquals(AwsCredentialSource.imds(), aws);
    assertEquals(
        Optional.of("http://169.254.169.254/latest/api/token"), aws.imdsv2SessionTokenUrl());
    FederationSettings s = c.settings();
    assertEquals("aws-pool", s.audience().poolId());
    assertEquals(Optional.of(SA), s.serviceAccountEmail());
    assertEquals(Duration.ofSeconds(3600), s.tokenLifetime());
    assertEquals(URI.create("https://sts.googleapis.com/v1/token"), s.tokenUrl());
  }

  @Test
  void fromJson_awsWithoutImdsv2AndWithLifetime_keepsLifetimeIgnoresUnknownField() {
    ExternalAccountConfig c = ExternalAccountConfig.fromJson(fixture("aws-imdsv1-lifetime.json"));
    AwsCredentialSource aws = (AwsCredentialSource) c.credentialSource();
    assertEquals(Optional.empty(), aws.imdsv2SessionTokenUrl());
    assertEquals(Optional.of(AwsCredentialSource.DEFAULT_REGION_URL), aws.regionUrl());
    assertEquals(Duration.ofSeconds(7200), c.settings().tokenLifetime());
    assertEquals(Optional.of("my-billing-project"), c.settings().quotaProjectId());
  }

  @Test
  void fromJson_azureUrlSource_parsesHeadersAndJsonFormat() {
    ExternalAccountConfig c = ExternalAccountConfig.fromJson(fixture("azure-url.json"));
    UrlCredentialSource u = assertInstanceOf(UrlCredentialSource.class, c.credentialSource());
    assertTrue(u.url().startsWith("http://169.254.169.254/metadata/identity/oauth2/token?"));
    assertEquals(Map.of("Metadata", "True"), u.headers());
    assertEquals(Format.json("access_token"), u.format());
    assertEquals(SubjectTokenType.JWT, c.subjectTokenType());
    assertEquals(Optional.empty(), c.settings().serviceAccountEmail());
    assertFalse(u.toString().contains("True"), u.toString());
  }

  @Test
  void fromJson_fileSources_textAndJson() {
    FileCredentialSource text =
        (FileCredentialSource)
            ExternalAccountConfig.fromJson(fixture("file-text.json")).credentialSource();
    assertEquals("/var/run/service-account/token", text.path());
    assertEquals(Format.text(), text.format());
    FileCredentialSource json =
        (FileCredentialSource)
            ExternalAccountConfig.fromJson(fixture("file-json.json")).credentialSource();
    assertEquals(Format.Type.JSON, json.format().type());
    assertEquals(Optional.of("id_token"), json.format().subjectTokenFieldName());
  }

  @Test
  void fromJson_executable_parsesCommandTimeoutOutputFile() {
    ExecutableCredentialSource e =
        (ExecutableCredentialSource)
            ExternalAccountConfig.fromJson(fixture("executable.json")).credentialSource();
    assertEquals("/usr/local/bin/token-helper --audience=gcp", e.command());
    assertEquals(5000, e.timeoutMillis());
    assertEquals(Optional.of("/tmp/token-cache.json"), e.outputFile());
  }

  @Test
  void fromJson_certificate_parsesDefaultConfigAndTrustChain() {
    ExternalAccountConfig c = ExternalAccountConfig.fromJson(fixture("certificate.json"));
    CertificateCredentialSource cert = (CertificateCredentialSource) c.credentialSource();
    assertTrue(cert.useDefaultCertificateConfig());
    assertEquals(Optional.of("/etc/certs/chain.pem"), cert.trustChainPath());
    assertEquals(URI.create("https://sts.mtls.googleapis.com/v1/token"), c.settings().tokenUrl());
  }

  @Test
  void fromJson_workforce_keepsUserProjectAndRedactsSecret() {
    ExternalAccountConfig c = ExternalAccountConfig.fromJson(fixture("workforce.json"));
    assertTrue(c.settings().audience().isWorkforce());
    assertEquals(Optional.of("my-user-project"), c.settings().workforcePoolUserProject());
    assertEquals(Optional.of("workforce-client"), c.clientId());
    assertFalse(c.toString().contains("s3cr3tValue"), c.toString());
    assertTrue(c.toString().contains("clientSecret=<redacted>"), c.toString());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "aws-imdsv2.json",
        "aws-imdsv1-lifetime.json",
        "azure-url.json",
        "file-text.json",
        "file-json.json",
        "executable.json",
        "certificate.json",
        "workforce.json"
      })
  void toJson_roundTrip_isIdentity(String name) {
    ExternalAccountConfig c = ExternalAccountConfig.fromJson(fixture(name));
    String written = c.toJson();
    ExternalAccountConfig again = ExternalAccountConfig.fromJson(written);
    assertEquals(c, again);
    assertEquals(written, again.toJson());
    assertEquals(c, c.toBuilder().build());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "aws-imdsv2.json",
        "aws-imdsv1-lifetime.json",
        "azure-url.json",
        "file-text.json",
        "file-json.json",
        "executable.json",
        "workforce.json"
      })
  void toJson_isAcceptedByGoogleAuth(String name) throws IOException {
    ExternalAccountConfig c = ExternalAccountConfig.fromJson(fixture(name));
    com.google.auth.oauth2.ExternalAccountCredentials g =
        com.google.auth.oauth2.ExternalAccountCredentials.fromStream(
            new ByteArrayInputStream(c.toJson().getBytes(StandardCharsets.UTF_8)));
    assertEquals(c.settings().audience().toString(), g.getAudience());
    assertEquals(c.subjectTokenType(), g.getSubjectTokenType());
    assertEquals(c.settings().tokenUrl().toString(), g.getTokenUrl());
    assertEquals(
        c.settings().serviceAccountImpersonationUrl().map(URI::toString).orElse(null),
        g.getServiceAccountImpersonationUrl());
    assertEquals(c.settings().serviceAccountEmail().orElse(null), g.getServiceAccountEmail());
  }

  @Test
  void toJson_gcloudShapedFixtures_areReproducedByteForByte() {
    for (String name : new String[] {"aws-imdsv2.json", "azure-url.json", "file-text.json"}) {
      assertEquals(fixture(name), ExternalAccountConfig.fromJson(fixture(name)).toJson(), name);
    }
  }

  @Test
  void builder_writesConfigForOtherTools() {
    ExternalAccountConfig c =
        ExternalAccountConfig.builder()
            .settings(
                FederationSettings.builder()
                    .audience(
                        "//iam.googleapis.com/projects/123456789012/locations/global/"
                            + "workloadIdentityPools/aws-pool/providers/aws-provider")
                    .serviceAccount(SA)
                    .build())
            .subjectTokenType(SubjectTokenType.AWS4_REQUEST)
            .credentialSource(AwsCredentialSource.imds())
            .build();
    assertEquals(fixture("aws-imdsv2.json"), c.toJson());
  }

  @Test
  void builder_mismatchedTokenType_isRejected() {
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class,
            () ->
                ExternalAccountConfig.fromJson(fixture("aws-imdsv2.json")).toBuilder()
                    .subjectTokenType(SubjectTokenType.JWT)
                    .build());
    assertEquals("subject_token_type", e.field());
    assertTrue(e.expected().contains("aws4_request"), e.getMessage());
  }

  // ---- files, streams and environment -----------------------------------------------------

  @Test
  void fromFile_missing_namesPath(@TempDir Path dir) {
    Path p = dir.resolve("nope.json");
    ConfigurationException e =
        assertThrows(ConfigurationException.class, () -> ExternalAccountConfig.fromFile(p));
    assertTrue(e.getMessage().contains(p.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
  }

  @Test
  void fromFile_directory_saysSo(@TempDir Path dir) {
    ConfigurationException e =
        assertThrows(ConfigurationException.class, () -> ExternalAccountConfig.fromFile(dir));
    assertTrue(e.getMessage().contains("is a directory"), e.getMessage());
  }

  @Test
  void fromFile_invalidContent_namesPathAndField(@TempDir Path dir) throws IOException {
    Path p = dir.resolve("cfg.json");
    Files.writeString(p, fixture("file-text.json").replace("\"file\":", "\"fyle\":"));
    ConfigurationException e =
        assertThrows(ConfigurationException.class, () -> ExternalAccountConfig.fromFile(p));
    assertEquals("credential_source", e.field());
    assertTrue(e.getMessage().contains("(in " + p + ")"), e.getMessage());
  }

  @Test
  void fromStream_readsUtf8() {
    ExternalAccountConfig c =
        ExternalAccountConfig.fromStream(
            new ByteArrayInputStream(fixture("file-json.json").getBytes(StandardCharsets.UTF_8)));
    assertEquals("oidc-provider", c.settings().audience().providerId());
  }

  @Test
  void fromStream_failingStream_isConfigurationException() {
    InputStream broken =
        new InputStream() {
          @Override
          public int read() throws IOException {
            throw new IOException("disk on fire");
          }
        };
    ConfigurationException e =
        assertThrows(ConfigurationException.class, () -> ExternalAccountConfig.fromStream(broken));
    assertTrue(e.getMessage().contains("could not be read"), e.getMessage());
  }

  @Test
  void fromStream_notUtf8_saysSo() {
    byte[] bad = {'{', (byte) 0xC3, (byte) 0x28, '}'};
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class,
            () -> ExternalAccountConfig.fromStream(new ByteArrayInputStream(bad)));
    assertTrue(e.getMessage().contains("not UTF-8"), e.getMessage());
  }

  @Test
  void fromEnvironment_inlineJson_isParsed() {
    Optional<ExternalAccountConfig> c =
        ExternalAccountConfig.fromEnvironment(
            Environment.of(Map.of("WIF4J_CREDENTIAL_CONFIG", fixture("azure-url.json"))));
    assertTrue(c.isPresent());
  }

  @Test
  void fromEnvironment_inlineInvalid_namesVariable() {
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class,
            () ->
                ExternalAccountConfig.fromEnvironment(
                    Environment.of(
                        Map.of(
                            "WIF4J_CREDENTIAL_CONFIG",
                            fixture("azure-url.json").replace("aws", "x").replace("jwt", "jwx")))));
    assertEquals("subject_token_type", e.field());
    assertTrue(e.getMessage().contains("(in WIF4J_CREDENTIAL_CONFIG)"), e.getMessage());
  }

  @Test
  void fromEnvironment_inlinePath_pointsToGoogleApplicationCredentials() {
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class,
            () ->
                ExternalAccountConfig.fromEnvironment(
                    Environment.of(Map.of("WIF4J_CREDENTIAL_CONFIG", "/etc/wif/config.json"))));
    assertEquals("WIF4J_CREDENTIAL_CONFIG", e.field());
    assertTrue(e.expected().contains("GOOGLE_APPLICATION_CREDENTIALS"), e.getMessage());
  }

  @Test
  void fromEnvironment_nothingSet_isEmpty() {
    assertEquals(
        Optional.empty(),
        ExternalAccountConfig.fromEnvironment(
            Environment.of(Map.of("WIF4J_CREDENTIAL_CONFIG", " ", "OTHER", "x"))));
  }

  @Test
  void fromEnvironment_gacExternalAccount_isParsed(@TempDir Path dir) throws IOException {
    Path p = dir.resolve("wif.json");
    Files.writeString(p, fixture("executable.json"));
    Optional<ExternalAccountConfig> c =
        ExternalAccountConfig.fromEnvironment(
            Environment.of(Map.of("GOOGLE_APPLICATION_CREDENTIALS", p.toString())));
    assertInstanceOf(ExecutableCredentialSource.class, c.get().credentialSource());
  }

  @Test
  void fromEnvironment_gacServiceAccountKey_isEmpty(@TempDir Path dir) throws IOException {
    Path p = dir.resolve("key.json");
    Files.writeString(p, fixture("service-account-key.json"));
    assertEquals(
        Optional.empty(),
        ExternalAccountConfig.fromEnvironment(
            Environment.of(Map.of("GOOGLE_APPLICATION_CREDENTIALS", p.toString()))));
  }

  @Test
  void fromEnvironment_gacMissingFile_namesVariableAndPath(@TempDir Path dir) {
    Path p = dir.resolve("missing.json");
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class,
            () ->
                ExternalAccountConfig.fromEnvironment(
                    Environment.of(Map.of("GOOGLE_APPLICATION_CREDENTIALS", p.toString()))));
    assertEquals("GOOGLE_APPLICATION_CREDENTIALS", e.field());
    assertTrue(e.getMessage().contains(p.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
  }

  @Test
  void fromEnvironment_gacInvalidExternalAccount_namesFieldAndFile(@TempDir Path dir)
      throws IOException {
    Path p = dir.resolve("bad.json");
    Files.writeString(p, fixture("executable.json").replace("5000", "500"));
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class,
            () ->
                ExternalAccountConfig.fromEnvironment(
                    Environment.of(Map.of("GOOGLE_APPLICATION_CREDENTIALS", p.toString()))));
    assertEquals("credential_source.executable.timeout_millis", e.field());
    assertTrue(e.getMessage().contains("GOOGLE_APPLICATION_CREDENTIALS"), e.getMessage());
  }

  @Test
  void fromJson_serviceAccountKey_explainsKeyFileWithoutEchoingKey() {
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class,
            () -> ExternalAccountConfig.fromJson(fixture("service-account-key.json")));
    assertEquals("type", e.field());
    assertTrue(e.getMessage().contains("service-account key file"), e.getMessage());
    assertFalse(e.getMessage().contains("NOT-A-REAL-KEY"), e.getMessage());
  }
}
