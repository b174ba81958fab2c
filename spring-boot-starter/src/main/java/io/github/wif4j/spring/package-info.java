/**
 * Spring Boot auto-configuration for wif4j: {@code wif4j.*} properties, federated {@code
 * GoogleCredentials}, a Vertex AI Gemini client, Google to AWS credentials, Spring Cloud GCP's
 * {@code CredentialsProvider}, an Actuator health indicator and Micrometer metrics from the refresh
 * events. See docs/spring-boot.md.
 */
package io.github.wif4j.spring;
