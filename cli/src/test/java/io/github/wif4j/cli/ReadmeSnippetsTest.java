package io.github.wif4j.cli;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.google.auth.oauth2.GoogleCredentials;
import com.google.genai.Client;
import io.github.wif4j.core.FederatedCredentials;
import io.github.wif4j.core.WorkloadIdentityAudience;
import io.github.wif4j.gcp2aws.GoogleToAwsCredentialsProvider;
import io.github.wif4j.genai.VertexGemini;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The README's code, verbatim, so it keeps compiling as the API changes. The snippets are compiled,
 * not run: they would contact real clouds.
 */
class ReadmeSnippetsTest {

  static Client awsOrAzureToGoogle() {
    GoogleCredentials credentials =
        FederatedCredentials.builder()
            .audience(WorkloadIdentityAudience.of("123456789012", "my-pool", "my-aws-provider"))
            .serviceAccount(
                "vertex-caller@my-project.iam.gserviceaccount.com") // omit for direct resource
            // access
            .build(); // source detected: EC2, ECS, Lambda, ...

    // hand it to any Google Cloud client, e.g.
    // StorageOptions.newBuilder().setCredentials(credentials)

    Client gemini = VertexGemini.builder().credentials(credentials).project("my-project").build();
    return gemini;
  }

  static StsClient googleToAws() {
    AwsCredentialsProvider aws =
        GoogleToAwsCredentialsProvider.builder()
            .roleArn("arn:aws:iam::123456789012:role/from-google")
            .audience("arn:aws:iam::123456789012:role/from-google")
            .build(); // ID token from the metadata server, refreshed by itself

    StsClient sts =
        StsClient.builder()
            .credentialsProvider(aws)
            .region(Region.EU_WEST_1)
            .build(); // or S3Client, ...
    return sts;
  }

  @Test
  void snippetsCompile() throws Exception {
    for (String name : new String[] {"awsOrAzureToGoogle", "googleToAws"}) {
      Method m = ReadmeSnippetsTest.class.getDeclaredMethod(name);
      assertNotNull(m);
    }
  }
}
