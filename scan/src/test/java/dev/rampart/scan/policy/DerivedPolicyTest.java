package dev.rampart.scan.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The allow list derived from recordings of real libraries stays narrow, reasoned and versioned. */
class DerivedPolicyTest {
  private static final Policy POLICY = Policy.defaults();
  private static final String SHA = "a".repeat(64);
  /** Derived entries that win over a deny prefix; each must be an exact data class, reviewed here. */
  private static final Set<String> OVERRIDES_DENY_PREFIX = Set.of(
      "torch.distributed.checkpoint.metadata.Metadata", "torch.distributed.checkpoint.metadata.MetadataIndex",
      "torch.distributed.checkpoint.metadata.ChunkStorageMetadata", "torch.distributed.checkpoint.metadata.TensorProperties",
      "torch.distributed.checkpoint.metadata.TensorStorageMetadata", "torch.distributed.checkpoint.metadata.StorageMeta",
      "torch.distributed.checkpoint.metadata._MEM_FORMAT_ENCODING", "torch.distributed.checkpoint.filesystem._StorageInfo");
  private static final Set<String> GENERIC_CALLABLES = Set.of(
      "getattr", "setattr", "eval", "exec", "compile", "apply", "partial", "reduce", "import_module", "__import__",
      "system", "popen", "call", "methodcaller", "attrgetter", "load", "loads", "open", "_load_type", "_create_array");

  @Test
  void everyDerivedEntryHasAReasonAndTheVersionsItWasSeenIn() throws IOException {
    for (JsonNode group : policyJson().get("derived")) {
      assertThat(group.path("reason").asText()).as("reason of %s", group.get("module")).hasSizeGreaterThan(20);
      assertThat(group.path("seen").asText()).as("seen of %s", group.get("module")).isNotBlank();
      assertThat(group.get("names")).isNotEmpty();
    }
  }

  @Test
  void derivedEntriesNameNoGenericCallable() throws IOException {
    for (String dotted : derivedGlobals()) {
      String last = dotted.substring(dotted.lastIndexOf('.') + 1);
      assertThat(GENERIC_CALLABLES).as("derived entry %s", dotted).doesNotContain(last);
    }
  }

  @Test
  void onlyReviewedDerivedEntriesOverrideTheDenyList() throws IOException {
    var empty = POLICY.withProjectAllows(List.of());
    for (String dotted : derivedGlobals()) {
      int dot = dotted.lastIndexOf('.');
      // judged without the derived entry, by the deny list alone: strip the profile by asking for a sibling name
      var sibling = empty.classify(dotted.substring(0, dot), dotted.substring(dot + 1) + "_sibling", () -> SHA);
      if (sibling instanceof Verdict.Denied) {
        assertThat(OVERRIDES_DENY_PREFIX).as("derived entry %s sits under a deny prefix", dotted).contains(dotted);
      }
    }
  }

  @Test
  void derivedEntriesAreAllowedAndTheirModulesKnown() {
    assertThat(classify("pandas.core.frame", "DataFrame")).isInstanceOf(Verdict.Allowed.class);
    assertThat(classify("numpy._core.numeric", "_frombuffer")).isInstanceOf(Verdict.Allowed.class);
    assertThat(classify("numpy.core.numeric", "_frombuffer")).isInstanceOf(Verdict.Allowed.class);
    assertThat(classify("torch.distributed.checkpoint.metadata", "Metadata")).isInstanceOf(Verdict.Allowed.class);
    assertThat(classify("torch.distributed.checkpoint.metadata", "load")).isInstanceOf(Verdict.Denied.class);
    assertThat(classify("torch.distributed.rpc", "rpc_sync")).isInstanceOf(Verdict.Denied.class);
    assertThat(POLICY.knowsModule("sklearn.ensemble._iforest")).isTrue();
    assertThat(POLICY.knowsModule("torch.utils.cpp_extension")).isFalse();
    assertThat(POLICY.knowsModule("antigravity")).isFalse();
    assertThat(POLICY.withProjectAllows(List.of(new AllowEntry("ultralytics.nn.tasks.DetectionModel", "reviewed",
        java.util.Optional.empty()))).knowsModule("ultralytics.nn.tasks")).isTrue();
  }

  @Test
  void shapesAreNarrow() {
    var loadType = POLICY.shapeFor("dill._dill._load_type").orElseThrow();
    assertThat(loadType.form()).isEqualTo("constant-argument");
    assertThat(loadType.arguments()).contains("int", "slice").doesNotContain("CodeType", "FunctionType", "type", "map",
        "filter", "ModuleType", "MethodType", "PartialType", "staticmethod", "property");
    assertThat(POLICY.shapeFor("builtins.getattr").orElseThrow().form()).isEqualTo("attribute-read");
    assertThat(POLICY.shapeFor("builtins.eval")).isEmpty();
  }

  @Test
  void bareModuleNamesNeedTheirPackageImportedFirst() {
    assertThat(POLICY.requiredEarlierImport("_loss.CyHalfBinomialLoss")).contains("sklearn.");
    assertThat(POLICY.requiredEarlierImport("pandas.DataFrame")).isEmpty();
  }

  private Verdict classify(String module, String name) {
    return POLICY.classify(module, name, () -> SHA);
  }

  private static List<String> derivedGlobals() throws IOException {
    var out = new ArrayList<String>();
    for (JsonNode group : policyJson().get("derived")) {
      group.get("names").forEach(n -> out.add(group.get("module").asText() + "." + n.asText()));
    }
    return out;
  }

  private static JsonNode policyJson() throws IOException {
    try (InputStream in = Policy.class.getResourceAsStream("pickle-policy.json")) {
      return new ObjectMapper().readTree(in);
    }
  }
}
