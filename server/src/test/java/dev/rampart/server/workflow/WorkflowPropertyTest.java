package dev.rampart.server.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * Random sequences of uploads, attestations, promotions, approvals, poison marks, key revocations and rollbacks never
 * leave the workflow admitting a version that fails its environment's gate, and never hold two versions of one model
 * active in one environment.
 */
class WorkflowPropertyTest {
  static final List<String> MODELS = List.of("a", "b");
  static final List<String> DATASETS = List.of("d1", "d2", "d3");
  static final List<String> KEYS = List.of("k1", "k2");

  @Property(tries = 300, seed = "20261207")
  void noSequenceAdmitsAVersionThatFailsItsGate(@ForAll("events") List<Machine.Event> events) {
    var m = new Machine();
    for (Machine.Event e : events) {
      Integer before = e instanceof Machine.Rollback r ? m.active(r.env()).get(r.model()) : null;
      m.apply(e);
      for (String env : Machine.ENVIRONMENTS) {
        for (int id : m.versions().keySet()) {
          if (m.admits(id, env)) {
            assertThat(m.gateAllows(id, env)).as("%s admitted to %s after %s", id, env, e).isTrue();
          }
        }
        // one active deployment per model, and it is a version of that model
        m.active(env).forEach((model, id) -> assertThat(m.versions().get(id).model()).isEqualTo(model));
      }
      if (e instanceof Machine.Rollback r) {
        Integer now = m.active(r.env()).get(r.model());
        // a rollback either changed nothing or restored an earlier version that passes the gate now
        if (now != null && !now.equals(before)) {
          assertThat(now).isLessThan(before);
          assertThat(m.gateAllows(now, r.env())).as("rollback to %s in %s", now, r.env()).isTrue();
        }
      }
    }
  }

  @Provide
  Arbitrary<List<Machine.Event>> events() {
    Arbitrary<Integer> version = Arbitraries.integers().between(1, 8);
    Arbitrary<String> env = Arbitraries.of(Machine.ENVIRONMENTS);
    Arbitrary<String> model = Arbitraries.of(MODELS);
    Arbitrary<Machine.Event> upload = Combinators.combine(model, Arbitraries.integers().between(0, 9),
        Arbitraries.subsetOf(DATASETS)).as((mo, clean, ds) -> new Machine.Upload(mo, clean > 1, Set.copyOf(ds)));
    Arbitrary<Machine.Event> attest = Combinators.combine(version, Arbitraries.of(KEYS)).as(Machine.Attest::new);
    Arbitrary<Machine.Event> promote = Combinators.combine(version, env).as(Machine.Promote::new);
    Arbitrary<Machine.Event> approve = Arbitraries.integers().between(1, 12).map(Machine.Approve::new);
    Arbitrary<Machine.Event> poison = Arbitraries.of(DATASETS).map(Machine.MarkPoisoned::new);
    Arbitrary<Machine.Event> clear = Arbitraries.of(DATASETS).map(Machine.ClearPoison::new);
    Arbitrary<Machine.Event> revoke = Arbitraries.of(KEYS).map(Machine.RevokeKey::new);
    Arbitrary<Machine.Event> rollback = Combinators.combine(env, model).as(Machine.Rollback::new);
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(4, upload), net.jqwik.api.Tuple.of(4, attest), net.jqwik.api.Tuple.of(6, promote),
        net.jqwik.api.Tuple.of(6, approve), net.jqwik.api.Tuple.of(1, poison), net.jqwik.api.Tuple.of(1, clear),
        net.jqwik.api.Tuple.of(1, revoke), net.jqwik.api.Tuple.of(3, rollback)).list().ofMinSize(5).ofMaxSize(40);
  }

  @Test
  void aRollbackSkipsAPoisonedVersionAndARevokedKeyBlocksAnApproval() {
    var m = new Machine();
    m.apply(new Machine.Upload("a", true, Set.of("d1")));
    m.apply(new Machine.Upload("a", true, Set.of("d2")));
    m.apply(new Machine.Upload("a", true, Set.of("d1")));
    for (int v = 1; v <= 3; v++) {
      m.apply(new Machine.Attest(v, "k1"));
      m.apply(new Machine.Promote(v, "staging"));
      m.apply(new Machine.Approve(v));
    }
    assertThat(m.active("staging")).containsEntry("a", 3);
    m.apply(new Machine.MarkPoisoned("d2"));
    m.apply(new Machine.Rollback("staging", "a"));
    assertThat(m.active("staging")).containsEntry("a", 1);
    assertThat(m.admits(2, "staging")).isFalse();
    m.apply(new Machine.Upload("b", true, Set.of("d3")));
    m.apply(new Machine.Attest(4, "k2"));
    m.apply(new Machine.Promote(4, "staging"));
    m.apply(new Machine.RevokeKey("k2"));
    m.apply(new Machine.Approve(4));
    assertThat(m.active("staging")).doesNotContainKey("b").containsEntry("a", 1);
  }

  @Test
  void withoutTheGateAtApprovalTheInvariantWouldFail() {
    // the property is not vacuous: a version deployed, then stripped of its facts, is refused at admission
    var m = new Machine();
    m.apply(new Machine.Upload("a", true, Set.of("d1")));
    m.apply(new Machine.Attest(1, "k1"));
    m.apply(new Machine.Promote(1, "dev"));
    assertThat(m.admits(1, "dev")).isTrue();
    m.apply(new Machine.RevokeKey("k1"));
    assertThat(m.active("dev")).containsEntry("a", 1);
    assertThat(m.admits(1, "dev")).isFalse();
  }
}
