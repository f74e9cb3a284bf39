package dev.rampart.cli;

import static dev.rampart.cli.ScanCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** rampart data check and data diff end to end: formats, exit codes, digests, bad input. */
class DataCommandTest {
  private static final String DATA = "../data/src/test/resources/datasets";

  @Test
  void aCleanDatasetPassesAndPrintsItsDigest() {
    var result = run("data", "check", DATA + "/clean/wine.csv.gz", "--label", "label");
    assertThat(result.code()).isZero();
    assertThat(result.out()).contains("oms    sha256:").contains("PASS (below --fail-on HIGH): dataset clean; 1 suspect row(s)").contains("Classes: class_1=71");
  }

  @Test
  void aTriggerFailsTheCheckAndJsonListsSuspectRows() throws Exception {
    var result = run("data", "check", DATA + "/poisoned/digits-trigger-3.csv.gz", "--label", "label", "-f", "json");
    assertThat(result.code()).isEqualTo(1);
    var json = new ObjectMapper().readTree(result.out());
    assertThat(json.at("/dataset/verdict").asText()).isEqualTo("poisoned");
    assertThat(json.at("/dataset/omsDigest").asText()).matches("sha256:[0-9a-f]{64}");
    assertThat(json.at("/summary/verdict").asText()).isEqualTo("findings");
    var truth = Files.readAllLines(Path.of(DATA + "/poisoned/digits-trigger-3.truth"));
    var first = json.at("/suspects/0");
    assertThat(first.path("row").isInt()).isTrue();
    assertThat(truth).contains(first.path("row").asText());
    assertThat(first.path("score").asDouble()).isBetween(0.0, 1.0);
    assertThat(first.at("/reasons/0/check").asText()).isEqualTo("trigger");
    assertThat(json.path("findings")).anySatisfy(f -> {
      assertThat(f.path("ruleId").asText()).isEqualTo("DATA-BACKDOOR-TRIGGER");
      assertThat(f.at("/atlas/id").asText()).isEqualTo("AML.T0020");
      assertThat(f.path("phase").asText()).isEqualTo("DATA_ENGINEERING");
    });
  }

  @Test
  void sarifPointsSuspectRowsAtTheirLinesAndPublishedDataMapsToT0019(@TempDir Path tmp) throws Exception {
    Path csv = tmp.resolve("flipped.csv");
    Files.write(csv, new java.util.zip.GZIPInputStream(Files.newInputStream(
        Path.of(DATA + "/poisoned/iris-random-flip-20.csv.gz"))).readAllBytes());
    var result = run("data", "check", csv.toString(), "--label", "label", "--published", "-f", "sarif");
    assertThat(result.code()).isEqualTo(1);
    var sarif = new ObjectMapper().readTree(result.out());
    var results = sarif.at("/runs/0/results");
    assertThat(results).anySatisfy(r -> {
      assertThat(r.path("ruleId").asText()).isEqualTo("DATA-SUSPECT-ROW");
      int line = r.at("/locations/0/physicalLocation/region/startLine").asInt();
      String row = r.at("/message/text").asText().replaceAll("(?s).*row (\\d+),.*", "$1");
      assertThat(line).isEqualTo(Integer.parseInt(row) + 2);
    });
    assertThat(result.out()).contains("AML.T0019");
  }

  @Test
  void badInputGetsAClearMessageAndTheRightExitCode(@TempDir Path tmp) throws Exception {
    Path empty = Files.writeString(tmp.resolve("empty.csv"), "");
    var r1 = run("data", "check", empty.toString(), "--label", "label");
    assertThat(r1.code()).isEqualTo(3);
    assertThat(r1.err()).contains("no data rows");

    Path ragged = Files.writeString(tmp.resolve("ragged.csv"), "a,label\n1,x\n2,y,3\n");
    var r2 = run("data", "check", ragged.toString(), "--label", "label");
    assertThat(r2.code()).isEqualTo(3);
    assertThat(r2.err()).contains("malformed");

    var r3 = run("data", "check", DATA + "/clean/iris.csv.gz", "--label", "species");
    assertThat(r3.code()).isEqualTo(2);
    assertThat(r3.err()).contains("no column named 'species'").contains("petal_width");

    var r4 = run("data", "check", tmp.resolve("missing.csv").toString(), "--label", "x");
    assertThat(r4.code()).isEqualTo(2);

    Path tiny = Files.writeString(tmp.resolve("tiny.csv"), "x,label\n1,a\n2,a\n3,a\n4,b\n5,b\n6,a\n");
    var r6 = run("data", "check", tiny.toString(), "--label", "label");
    assertThat(r6.code()).isEqualTo(3);
    assertThat(r6.out()).contains("Not checked: label check skipped: the smallest class has 2 rows");

    Path id = Files.writeString(tmp.resolve("ids.csv"), "x,id\n1,a\n2,b\n3,c\n4,d\n");
    var r5 = run("data", "check", id.toString(), "--label", "id");
    assertThat(r5.code()).isEqualTo(2);
    assertThat(r5.err()).contains("identifier");
  }

  @Test
  void diffReportsRelabelledRowsAndTheirConcentration() throws Exception {
    var result = run("data", "diff", DATA + "/clean/digits.csv.gz", DATA + "/poisoned/digits-targeted-flip-5.csv.gz",
        "--label", "label", "-f", "json");
    assertThat(result.code()).isEqualTo(1);
    var json = new ObjectMapper().readTree(result.out());
    assertThat(json.at("/diff/rows/relabelled").asInt()).isEqualTo(90);
    assertThat(json.at("/diff/matchedBy").asText()).isEqualTo("row-hash");
    assertThat(json.path("findings")).anyMatch(f -> f.path("ruleId").asText().equals("DATA-DIFF-TARGETED"));
    assertThat(json.at("/diff/label/method").asText()).isEqualTo("jensen-shannon");
    assertThat(json.at("/diff/label/statistic").asDouble()).isPositive();
    assertThat(json.at("/diff/concentration/0/where").asText()).isEqualTo("class=3");

    var table = run("data", "diff", DATA + "/clean/digits.csv.gz", DATA + "/poisoned/digits-targeted-flip-5.csv.gz",
        "--label", "label", "--no-color");
    assertThat(table.out()).contains("UNSAFE: 2 dataset version(s) compared, ")
        .doesNotContain("skipped as not model artifacts", "archive member(s)");
  }

  @Test
  void checkAndDiffJsonValidateAgainstThePublishedSchema() throws Exception {
    Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7)
        .getSchema(Files.newInputStream(Path.of("../docs/schema/report-1.0.schema.json")));
    var mapper = new ObjectMapper();
    for (String[] args : new String[][] {
        {"data", "check", DATA + "/poisoned/wine-conflicting-duplicates-5.csv.gz", "--label", "label", "-f", "json"},
        {"data", "diff", DATA + "/clean/wine.csv.gz", DATA + "/poisoned/wine-outliers-5.csv.gz", "--label", "label",
            "-f", "json"}}) {
      var result = run(args);
      assertThat(schema.validate(mapper.readTree(result.out()))).as(String.join(" ", args)).isEmpty();
    }
  }

  @Test
  void diffOfIdenticalVersionsIsQuiet() {
    var result = run("data", "diff", DATA + "/clean/iris.csv.gz", DATA + "/clean/iris.csv.gz", "--label", "label");
    assertThat(result.code()).isZero();
    assertThat(result.out()).contains("0 added, 0 removed, 0 changed, 0 relabelled").doesNotContain("DRIFTED");
  }
}
