package io.github.wif4j.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wif4j.core.Environment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.crac.Resource;
import org.junit.jupiter.api.Test;

class CheckpointHooksTest {

  @Test
  void register_withCracApi_returnsResourceThatCallsTheParticipant() throws Exception {
    List<String> calls = new ArrayList<>();
    Object registration =
        CheckpointHooks.register(
            "test", () -> calls.add("before"), () -> calls.add("after"), Environment.of(Map.of()));

    assertTrue(CheckpointHooks.apiPresent(), "org-crac is on the test class path");
    Resource resource = assertInstanceOf(Resource.class, registration);
    resource.beforeCheckpoint(null);
    resource.afterRestore(null);
    assertEquals(List.of("before", "after"), calls);
  }

  @Test
  void isSnapStart_readsLambdaInitializationType() {
    assertTrue(
        CheckpointHooks.isSnapStart(
            Environment.of(Map.of(CheckpointHooks.LAMBDA_INIT_TYPE, "snap-start"))));
    assertFalse(
        CheckpointHooks.isSnapStart(
            Environment.of(Map.of(CheckpointHooks.LAMBDA_INIT_TYPE, "on-demand"))));
    assertFalse(CheckpointHooks.isSnapStart(Environment.of(Map.of())));
  }

  @Test
  void jitter_reseeded_drawsFromANewSequence() {
    Jitter a = new Jitter();
    Jitter b = new Jitter();
    a.reseed();
    b.reseed();
    double[] sa = new double[4];
    double[] sb = new double[4];
    for (int i = 0; i < 4; i++) {
      sa[i] = a.getAsDouble();
      sb[i] = b.getAsDouble();
      assertTrue(sa[i] >= 0 && sa[i] < 1);
    }
    // two restores of one snapshot must not draw the same jitter (2^-256 chance of a false alarm)
    assertNotEquals(java.util.Arrays.toString(sa), java.util.Arrays.toString(sb));
  }
}
