/**
 * The {@code wif4j} command: {@code demo} on an embedded fake cloud, {@code doctor}, token
 * printing, {@code create-cred-config}, and credential helpers for the AWS CLI/SDKs ({@code
 * aws-credential-process}) and google-auth/gcloud ({@code google-executable}).
 */
package io.github.wif4j.cli;
