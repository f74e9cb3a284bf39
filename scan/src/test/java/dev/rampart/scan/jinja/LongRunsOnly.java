package dev.rampart.scan.jinja;

import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

/**
 * The jqwik form of {@code @EnabledIfSystemProperty(named = "rampart.long", matches = "true")}: jqwik refuses JUnit
 * annotations on a property, so long fuzz runs opt in to the {@code long} profile through this hook.
 */
public final class LongRunsOnly implements SkipExecutionHook {
  @Override
  public SkipResult shouldBeSkipped(LifecycleContext context) {
    return "true".equals(System.getProperty("rampart.long")) ? SkipResult.doNotSkip()
        : SkipResult.skip("long run: enable with the long profile (-Plong)");
  }
}
