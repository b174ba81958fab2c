/**
 * Azure as the place a workload runs: {@link io.github.wif4j.azure.AzureSource} (App Service,
 * Functions, Container Apps, legacy MSI, VM IMDS, AKS workload identity) and {@link
 * io.github.wif4j.azure.AzureIdentityInspector}. Detected by {@link
 * io.github.wif4j.core.SourceDetector} when this module is on the class path.
 */
package io.github.wif4j.azure;
