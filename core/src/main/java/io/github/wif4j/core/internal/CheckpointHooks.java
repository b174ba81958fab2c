package io.github.wif4j.core.internal;

import io.github.wif4j.core.Environment;
import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Coordinated Restore at Checkpoint for credentials: CRaC JVMs and AWS Lambda SnapStart, whose Java
 * runtime calls the {@code org.crac} resources an application registers. Internal.
 *
 * <p>A JVM restored from a snapshot, possibly many times, would otherwise share everything cached
 * before it: tokens, AWS credentials, armed refresh timers and the state of the random generator
 * behind refresh jitter. Credentials register what they do before a checkpoint (stop background
 * refresh, drop tokens and source material) and after restore (re-seed jitter, re-read, re-arm).
 *
 * <p>Registration happens only when the optional {@code io.github.crac:org-crac} API is on the
 * class path (without it nothing of CRaC is loaded; with it on a JVM without CRaC it is a no-op).
 * The CRaC context holds resources weakly: the caller keeps the returned registration for as long
 * as its credentials live, so dropped credentials leave nothing registered.
 */
public final class CheckpointHooks {
  /** AWS Lambda sets this to {@code snap-start} in the init phase of a SnapStart version. */
  public static final String LAMBDA_INIT_TYPE = "AWS_LAMBDA_INITIALIZATION_TYPE";

  private static final System.Logger LOG = System.getLogger(CheckpointHooks.class.getName());
  private static final boolean API = present("org.crac.Core");
  private static final AtomicBoolean WARNED = new AtomicBoolean();

  private CheckpointHooks() {}

  /**
   * Registers one credential object's hooks with the global CRaC context when the API is on the
   * class path. Neither hook may throw.
   *
   * @param name names the object in the registration's {@code toString()}
   * @param beforeCheckpoint before the snapshot: stop background work, drop secrets
   * @param afterRestore in each restored JVM: re-seed, forget again, re-arm
   * @return the registration, to be kept strongly by the credentials; null when not registered
   */
  public static Object register(
      String name, Runnable beforeCheckpoint, Runnable afterRestore, Environment environment) {
    if (!API) {
      if (isSnapStart(environment) && WARNED.compareAndSet(false, true)) {
        LOG.log(
            Level.WARNING,
            "Lambda SnapStart detected ({0}=snap-start) but org.crac is not on the class path:"
                + " tokens and AWS credentials fetched before the snapshot would be shared by every"
                + " restored environment. Add io.github.crac:org-crac (0.1.3) to the function.",
            LAMBDA_INIT_TYPE);
      }
      return null;
    }
    try {
      return CracResource.register(name, beforeCheckpoint, afterRestore);
    } catch (LinkageError | RuntimeException e) {
      LOG.log(Level.DEBUG, "org.crac registration failed; checkpoints are not coordinated", e);
      return null;
    }
  }

  /** Whether this is the init phase of a Lambda SnapStart version. */
  public static boolean isSnapStart(Environment environment) {
    return environment.get(LAMBDA_INIT_TYPE).map("snap-start"::equalsIgnoreCase).orElse(false);
  }

  /** Whether the org.crac API is on the class path. */
  public static boolean apiPresent() {
    return API;
  }

  private static boolean present(String className) {
    try {
      Class.forName(className, false, CheckpointHooks.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
