package dev.rampart.eval.attack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rampart.eval.Fixtures;
import dev.rampart.eval.runner.OnnxClassifier;
import org.junit.jupiter.api.Test;

class QueryBudgetTest {
  @Test
  void aBatchThatDoesNotFitIsRefusedWithoutSpendingAndEveryAnsweredRowIsCounted() throws Exception {
    try (var model = OnnxClassifier.load(Fixtures.model("breast_cancer_logreg.onnx"))) {
      var rows = Fixtures.heldOut(Fixtures.BREAST_CANCER, model).x();
      var budget = new QueryBudget(model, 5);
      assertThat(budget.ask(new float[][] {rows[0], rows[1], rows[2]})).hasNumberOfRows(3);
      assertThatThrownBy(() -> budget.ask(new float[][] {rows[0], rows[1], rows[2]}))
          .isInstanceOf(QueryBudget.Exhausted.class);
      assertThat(budget.used()).isEqualTo(3);
      assertThat(model.queries()).isEqualTo(3);
      budget.ask(rows[3]);
      budget.ask(rows[4]);
      assertThatThrownBy(() -> budget.ask(rows[5])).isInstanceOf(QueryBudget.Exhausted.class);
      assertThat(model.queries()).isEqualTo(5);
    }
  }

  @Test
  void lockstepQueriesChargeEachSampleOnceAndRefuseASpentBudget() throws Exception {
    try (var model = OnnxClassifier.load(Fixtures.model("breast_cancer_logreg.onnx"))) {
      var rows = Fixtures.heldOut(Fixtures.BREAST_CANCER, model).x();
      var a = new QueryBudget(model, 1);
      var b = new QueryBudget(model, 2);
      QueryBudget.askEach(new QueryBudget[] {a, b}, new float[][] {rows[0], rows[1]});
      assertThat(a.used()).isEqualTo(1);
      assertThat(b.used()).isEqualTo(1);
      assertThatThrownBy(() -> QueryBudget.askEach(new QueryBudget[] {a, b}, new float[][] {rows[0], rows[1]}))
          .isInstanceOf(IllegalStateException.class);
      assertThat(b.used()).isEqualTo(1);
    }
  }
}
