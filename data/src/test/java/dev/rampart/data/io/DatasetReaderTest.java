package dev.rampart.data.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetReaderTest {
  @TempDir Path dir;

  private final DatasetReader reader = new DatasetReader(ReadLimits.defaults());

  private Path write(String name, String content) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, content, StandardCharsets.UTF_8);
    return p;
  }

  @Test
  void csvColumnsAreTypedByContent() throws Exception {
    Path csv = write("t.csv", "age,colour,note,label\n31,red,a long free text value,yes\n45,blue,,no\n,red,short,yes\n");
    Dataset d = reader.read(csv);
    assertThat(d.rows()).isEqualTo(3);
    assertThat(d.format()).isEqualTo(DatasetFormat.CSV);
    assertThat(d.column("age").orElseThrow()).isInstanceOf(Column.Numeric.class);
    assertThat(d.column("age").orElseThrow().missing(2)).isTrue();
    assertThat(d.column("colour").orElseThrow()).isInstanceOf(Column.Categorical.class);
    assertThat(d.column("note").orElseThrow().missing(1)).isTrue();
    assertThat(d.labels("label").levels()).containsExactly("yes", "no");
  }

  @Test
  void tsvJsonlAndParquetReadToTheSameTable() throws Exception {
    Path tsv = write("t.tsv", "x\ty\tlabel\n1.5\ta\tp\n2.5\tb\tq\n");
    Path jsonl = write("t.jsonl", "{\"x\": 1.5, \"y\": \"a\", \"label\": \"p\"}\n{\"x\": 2.5, \"y\": \"b\", \"label\": \"q\"}\n");
    Path parquet = dir.resolve("t.parquet");
    try (var c = DriverManager.getConnection("jdbc:duckdb:"); var s = c.createStatement()) {
      s.execute("COPY (SELECT * FROM read_csv('" + tsv + "', delim='\\t')) TO '" + parquet + "' (FORMAT parquet)");
    }
    for (Path p : List.of(tsv, jsonl, parquet)) {
      Dataset d = reader.read(p);
      assertThat(d.columnNames()).as(p.toString()).containsExactly("x", "y", "label");
      assertThat(((Column.Numeric) d.column("x").orElseThrow()).values()).containsExactly(1.5, 2.5);
      assertThat(d.column("y").orElseThrow().display(1)).isEqualTo("b");
    }
    assertThat(reader.read(parquet).format()).isEqualTo(DatasetFormat.PARQUET);
  }

  @Test
  void parquetIsRecognisedByContentWhateverItsName() throws Exception {
    Path parquet = dir.resolve("data.bin");
    try (var c = DriverManager.getConnection("jdbc:duckdb:"); var s = c.createStatement()) {
      s.execute("COPY (SELECT 1 AS a, 'x' AS label) TO '" + parquet + "' (FORMAT parquet)");
    }
    assertThat(reader.read(parquet).format()).isEqualTo(DatasetFormat.PARQUET);
  }

  @Test
  void raggedRowsAreMalformed() throws Exception {
    Path csv = write("ragged.csv", "a,b,label\n1,2,x\n3,4,5,y\n6,7,z\n");
    assertThatThrownBy(() -> reader.read(csv))
        .isInstanceOf(DatasetReadException.Malformed.class)
        .hasMessageContaining("ragged.csv");
  }

  @Test
  void aRaggedLastRowCannotTurnTheRowsAboveIntoSkippedPreamble() throws Exception {
    Path csv = write("tail.csv", "a,label\n1,x\n2,y,3\n");
    assertThatThrownBy(() -> reader.read(csv)).isInstanceOf(DatasetReadException.Malformed.class);
  }

  @Test
  void latin1TextIsMalformedWithAConversionHint() throws Exception {
    Path csv = dir.resolve("latin1.csv");
    Files.write(csv, "name,label\ncaf\u00e9,x\nna\u00efve,y\n".getBytes(StandardCharsets.ISO_8859_1));
    assertThatThrownBy(() -> reader.read(csv))
        .isInstanceOf(DatasetReadException.Malformed.class)
        .hasMessageContaining("UTF-8");
  }

  @Test
  void aHugeFieldHitsTheLimitInsteadOfTheHeap() throws Exception {
    Path csv = write("huge.csv", "a,label\n" + "9".repeat(5_000) + ",x\n1,y\n");
    var small = new DatasetReader(ReadLimits.defaults().withMaxFieldBytes(1_024));
    assertThatThrownBy(() -> small.read(csv)).isInstanceOf(DatasetReadException.TooLarge.class);
  }

  @Test
  void tooManyRowsIsRefusedWithTheOptionToRaise() throws Exception {
    Path csv = write("rows.csv", "a,label\n1,x\n2,y\n3,x\n");
    var two = new DatasetReader(ReadLimits.defaults().withMaxRows(2));
    assertThatThrownBy(() -> two.read(csv))
        .isInstanceOf(DatasetReadException.TooLarge.class)
        .hasMessageContaining("--max-rows");
  }

  @Test
  void emptyFilesAndHeaderOnlyFilesAreEmpty() throws Exception {
    assertThatThrownBy(() -> reader.read(write("empty.csv", "")))
        .isInstanceOf(DatasetReadException.Empty.class);
    assertThatThrownBy(() -> reader.read(write("header.csv", "a,b,label\n")))
        .isInstanceOf(DatasetReadException.Empty.class);
  }

  @Test
  void aMissingLabelColumnNamesTheColumnsThatExist() throws Exception {
    Dataset d = reader.read(write("t.csv", "a,b\n1,2\n"));
    assertThatThrownBy(() -> d.labels("label"))
        .isInstanceOf(DatasetReadException.MissingColumn.class)
        .hasMessageContaining("[a, b]");
  }

  @Test
  void truncatedParquetIsMalformed() throws Exception {
    Path parquet = dir.resolve("t.parquet");
    try (var c = DriverManager.getConnection("jdbc:duckdb:"); var s = c.createStatement()) {
      s.execute("COPY (SELECT range AS a, range % 2 AS label FROM range(1000)) TO '" + parquet + "' (FORMAT parquet)");
    }
    byte[] bytes = Files.readAllBytes(parquet);
    Path cut = dir.resolve("cut.parquet");
    Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    assertThatThrownBy(() -> reader.read(cut)).isInstanceOf(DatasetReadException.class);
  }

  @Test
  void unknownExtensionsAreUnsupportedUnlessDeclared() throws Exception {
    Path p = write("table.xyz", "a,label\n1,x\n");
    assertThatThrownBy(() -> reader.read(p)).isInstanceOf(DatasetReadException.UnsupportedFormat.class);
    assertThat(reader.read(p, java.util.Optional.of(DatasetFormat.CSV)).rows()).isEqualTo(1);
  }

  @Test
  void theReaderCannotReachFilesOtherThanTheOneNamed() throws Exception {
    Path secret = write("secret.csv", "token\nabc\n");
    // A JSON value is data, never a path: DuckDB's external access is confined to the dataset itself.
    Path jsonl = write("t.jsonl", "{\"p\": \"" + secret + "\", \"label\": \"x\"}\n");
    Dataset d = reader.read(jsonl);
    assertThat(d.column("p").orElseThrow().display(0)).isEqualTo(secret.toString());
    Path quoted = write("it's.csv", "a,label\n1,x\n");
    assertThat(reader.read(quoted).rows()).isEqualTo(1);
  }
}
