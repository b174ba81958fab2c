package io.github.wif4j.cli;

import io.github.wif4j.core.Environment;
import io.github.wif4j.core.http.TransportPolicy;

/**
 * What a command runs against.
 *
 * @param environment the environment, with {@code --set NAME=VALUE} overrides applied
 * @param console output
 * @param transportPolicy timeouts, retries and TLS of every HTTP call
 */
public record CliContext(
    Environment environment, Console console, TransportPolicy transportPolicy) {}
