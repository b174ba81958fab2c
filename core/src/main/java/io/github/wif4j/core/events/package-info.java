/**
 * Refresh events: what every wif4j token and credential cache reports about its refreshes (started,
 * succeeded with latency and new expiry, failed with step, fix, time left and consecutive
 * failures), to a {@link io.github.wif4j.core.events.RefreshListener} and to JDK Flight Recorder.
 * No event carries a secret.
 */
package io.github.wif4j.core.events;
