/**
 * Explanations of cloud-setup mistakes (the principal to grant, the command that fixes it), shared
 * by wif4j's exceptions, the {@code wif4j doctor} command and the Vertex AI adapter.
 */
package io.github.wif4j.core.diagnostics;
