/**
 * AWS as the place a workload runs: {@link io.github.wif4j.aws.AwsSource} (AWS credentials and
 * region; Google STS verifies a signed GetCallerIdentity) and {@link
 * io.github.wif4j.aws.AwsOidcTokenSource} (an AWS-issued OIDC token from STS GetWebIdentityToken).
 * Both are detected by {@link io.github.wif4j.core.SourceDetector} when this module is on the class
 * path.
 */
package io.github.wif4j.aws;
