package io.github.wif4j.core.internal;

import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * The {@code org.crac} resource of one credential object; loaded only when the API is present (see
 * {@link CheckpointHooks}). Internal.
 */
final class CracResource implements Resource {
  private final String name;
  private final Runnable beforeCheckpoint;
  private final Runnable afterRestore;

  private CracResource(String name, Runnable beforeCheckpoint, Runnable afterRestore) {
    this.name = name;
    this.beforeCheckpoint = beforeCheckpoint;
    this.afterRestore = afterRestore;
  }

  static CracResource register(String name, Runnable beforeCheckpoint, Runnable afterRestore) {
    CracResource r = new CracResource(name, beforeCheckpoint, afterRestore);
    Core.getGlobalContext().register(r);
    return r;
  }

  @Override
  public void beforeCheckpoint(Context<? extends Resource> context) {
    beforeCheckpoint.run();
  }

  @Override
  public void afterRestore(Context<? extends Resource> context) {
    afterRestore.run();
  }

  @Override
  public String toString() {
    return "wif4j CracResource{" + name + "}";
  }
}
