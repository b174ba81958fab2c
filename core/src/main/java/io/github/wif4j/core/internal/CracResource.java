package io.github.wif4j.core.internal;

import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * The {@code org.crac} resource of one credential object; loaded only when the API is present (see
 * {@link CheckpointHooks}). Internal.
 */
final class CracResource implements Resource {
  private final CheckpointHooks.Participant participant;

  private CracResource(CheckpointHooks.Participant participant) {
    this.participant = participant;
  }

  static CracResource register(CheckpointHooks.Participant participant) {
    CracResource r = new CracResource(participant);
    Core.getGlobalContext().register(r);
    return r;
  }

  @Override
  public void beforeCheckpoint(Context<? extends Resource> context) {
    participant.beforeCheckpoint();
  }

  @Override
  public void afterRestore(Context<? extends Resource> context) {
    participant.afterRestore();
  }

  @Override
  public String toString() {
    return "wif4j CracResource{" + participant + "}";
  }
}
