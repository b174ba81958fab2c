/**
 * The standard Google {@code external_account} credential configuration: the JSON file written by
 * {@code gcloud iam workload-identity-pools create-cred-config}, read and written by {@link
 * io.github.wif4j.core.config.ExternalAccountConfig}.
 */
package io.github.wif4j.core.config;
