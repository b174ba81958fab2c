/**
 * Google → AWS: an AWS SDK v2 {@code AwsCredentialsProvider} that assumes an IAM role with a Google
 * ID token ({@link io.github.wif4j.gcp2aws.GoogleToAwsCredentialsProvider}), and the sources of
 * those ID tokens ({@link io.github.wif4j.gcp2aws.IdTokenSource}). Implementation lives in {@code
 * io.github.wif4j.gcp2aws.internal}, which is not API.
 */
package io.github.wif4j.gcp2aws;
