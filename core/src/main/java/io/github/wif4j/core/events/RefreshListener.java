package io.github.wif4j.core.events;

/**
 * Observes the refreshes of one refreshing component: the Google token of {@code
 * FederatedCredentials}, the AWS credentials of {@code GoogleToAwsCredentialsProvider}, the AWS
 * signing material or Azure token a source caches. Events carry timings, expiries, the failing step
 * and its fix; never a token, key or header.
 *
 * <pre>{@code
 * FederatedCredentials credentials = FederatedCredentials.builder()
 *     .audience(audience)
 *     .refreshListener(new RefreshListener() {
 *       public void refreshFailed(RefreshFailed e) {
 *         log.warn("{} refresh failed at {}: {}", e.cache(), e.step().orElse(null), e.message());
 *       }
 *     })
 *     .build();
 * }</pre>
 *
 * <p>Methods are called on the thread that ran the refresh (usually a wif4j background thread), one
 * event at a time per component; they must be quick and must not throw (an exception is logged and
 * dropped). Every method does nothing by default. The same events are recorded as JDK Flight
 * Recorder events ({@code io.github.wif4j.Refresh*}) whether or not a listener is set.
 */
public interface RefreshListener {

  /** A refresh begins: the source and token endpoints are about to be called. */
  default void refreshStarted(RefreshStarted event) {}

  /** A refresh produced a new value. */
  default void refreshSucceeded(RefreshSucceeded event) {}

  /** A refresh failed; the component keeps serving its current value while it is valid. */
  default void refreshFailed(RefreshFailed event) {}

  /** A listener that forwards every event to {@code first}, then to {@code second}. */
  static RefreshListener both(RefreshListener first, RefreshListener second) {
    if (first == null) {
      return second;
    }
    if (second == null) {
      return first;
    }
    return new RefreshListener() {
      @Override
      public void refreshStarted(RefreshStarted event) {
        RefreshEvents.deliver(first, event);
        RefreshEvents.deliver(second, event);
      }

      @Override
      public void refreshSucceeded(RefreshSucceeded event) {
        RefreshEvents.deliver(first, event);
        RefreshEvents.deliver(second, event);
      }

      @Override
      public void refreshFailed(RefreshFailed event) {
        RefreshEvents.deliver(first, event);
        RefreshEvents.deliver(second, event);
      }
    };
  }
}
