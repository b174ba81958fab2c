package io.github.wif4j.spring;

import com.google.auth.oauth2.GoogleCredentials;
import com.google.genai.Client;
import com.google.genai.types.HttpOptions;
import io.github.wif4j.genai.VertexGemini;
import java.util.Optional;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * A Vertex AI Gemini {@link Client} on the federated credentials, when wif4j-genai-adapter is on
 * the class path. Project and location from {@code wif4j.gemini.*}, else {@code
 * GOOGLE_CLOUD_PROJECT} / {@code GOOGLE_CLOUD_LOCATION}. Closed with the context.
 */
@AutoConfiguration(after = Wif4jAutoConfiguration.class)
@ConditionalOnClass({Client.class, VertexGemini.class})
@ConditionalOnProperty(prefix = "wif4j.gemini", name = "enabled", matchIfMissing = true)
public class Wif4jGeminiAutoConfiguration {

  /** The Gemini client; the application's own {@link Client} bean wins. */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnBean(GoogleCredentials.class)
  public Client wif4jGeminiClient(GoogleCredentials credentials, Wif4jProperties properties) {
    Wif4jProperties.Gemini g = properties.gemini();
    VertexGemini.Builder b =
        VertexGemini.builder()
            .credentials(credentials)
            .environment(Wif4jAutoConfiguration.environment(properties));
    Optional.ofNullable(g.project()).ifPresent(b::project);
    Optional.ofNullable(g.location()).ifPresent(b::location);
    Optional.ofNullable(g.baseUrl())
        .ifPresent(u -> b.httpOptions(HttpOptions.builder().baseUrl(u).build()));
    return b.build();
  }
}
