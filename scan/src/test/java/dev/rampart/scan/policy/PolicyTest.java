package dev.rampart.scan.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PolicyTest {
  private static final String SHA = "a".repeat(64);
  private final Policy policy = Policy.defaults();

  private Verdict classify(String module, String name) {
    return policy.classify(module, name, () -> SHA);
  }

  @Test
  void exactAllowListEntriesAreAllowed() {
    assertThat(classify("torch._utils", "_rebuild_tensor_v2")).isInstanceOf(Verdict.Allowed.class);
    assertThat(classify("collections", "OrderedDict")).isInstanceOf(Verdict.Allowed.class);
  }

  @Test
  void noWildcardsEvenInsideAllowedModules() {
    assertThat(classify("torch._utils", "_not_a_rebuild_function")).isInstanceOf(Verdict.NotListed.class);
    assertThat(classify("collections", "OrderedDict.fromkeys")).isInstanceOf(Verdict.NotListed.class);
  }

  @Test
  void denyListMatchesSubmodulesAndDottedSuffixes() {
    assertThat(classify("os", "system")).isInstanceOf(Verdict.Denied.class);
    assertThat(classify("subprocess", "Popen")).isInstanceOf(Verdict.Denied.class);
    assertThat(classify("pathlib", "os.system")).isInstanceOf(Verdict.Denied.class);
    assertThat(classify("torch.serialization", "pickle.loads")).isInstanceOf(Verdict.Denied.class);
    assertThat(classify("asyncio.unix_events", "_UnixSubprocessTransport._start")).isInstanceOf(Verdict.Denied.class);
  }

  @Test
  void executingNamesAreDeniedUnderAnyModule() {
    assertThat(classify("numpy", "eval")).isInstanceOf(Verdict.Denied.class);
    assertThat(classify("some.module", "system")).isInstanceOf(Verdict.Denied.class);
  }

  @Test
  void scannerPackagesAreTampering() {
    assertThat(classify("fickling.analysis", "check_safety")).isInstanceOf(Verdict.Tampering.class);
    assertThat(classify("modelscan", "x")).isInstanceOf(Verdict.Tampering.class);
  }

  @Test
  void curatedAllowWinsOverADenyPrefixButNotTheReverse() {
    assertThat(classify("torch.jit._pickle", "build_intlist")).isInstanceOf(Verdict.Allowed.class);
    assertThat(classify("torch.jit", "load")).isInstanceOf(Verdict.Denied.class);
  }

  @Test
  void projectEntriesNeedAReasonAndOnlyPinnedOnesOverrideDenials() {
    assertThatThrownBy(() -> new AllowEntry("x.y", " ", Optional.empty())).hasMessageContaining("reason");
    assertThatThrownBy(() -> new AllowEntry("x.*", "because", Optional.empty())).hasMessageContaining("wildcards");
    var unpinned = policy.withProjectAllows(List.of(
        new AllowEntry("ultralytics.nn.tasks.DetectionModel", "reviewed", Optional.empty()),
        new AllowEntry("builtins.getattr", "reviewed", Optional.empty())));
    assertThat(unpinned.classify("ultralytics.nn.tasks", "DetectionModel", () -> SHA)).isInstanceOf(Verdict.Allowed.class);
    assertThat(unpinned.classify("builtins", "getattr", () -> SHA)).isInstanceOf(Verdict.Denied.class);
    // the entry that cannot take effect is named, so the project is told rather than ignored in silence
    assertThat(unpinned.ineffectiveAllows()).singleElement().asString()
        .startsWith("builtins.getattr is on the deny list").contains("sha256");
    var pinned = policy.withProjectAllows(List.of(new AllowEntry("builtins.getattr", "reviewed", Optional.of(SHA))));
    assertThat(pinned.classify("builtins", "getattr", () -> SHA)).isInstanceOf(Verdict.Allowed.class);
    assertThat(pinned.ineffectiveAllows()).isEmpty();
    assertThat(pinned.classify("builtins", "getattr", () -> "b".repeat(64))).isInstanceOf(Verdict.Denied.class);
  }

  @Test
  void torchScriptCompiledClassesCannotResolveToPython() {
    assertThat(classify("__torch__.torch.nn.modules.linear", "Linear")).isInstanceOf(Verdict.Allowed.class);
    assertThat(classify("__torch__x", "Linear")).isInstanceOf(Verdict.NotListed.class);
  }

  @Test
  void policyIsVersioned() {
    assertThat(policy.version()).matches("\\d{4}\\.\\d{2}\\.\\d+");
  }
}
