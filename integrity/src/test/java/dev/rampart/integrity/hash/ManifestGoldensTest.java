package dev.rampart.integrity.hash;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rampart.integrity.Oms;
import dev.rampart.integrity.oms.Statement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Enumeration, hashing, sharding, ordering and statement assembly against the reference implementation's goldens. */
class ManifestGoldensTest {
  @TempDir static Path tmp;

  static Stream<Arguments> fixtures() {
    return Stream.of(
        Arguments.of("sample_model_file", "sample_model_file/file_model"),
        Arguments.of("empty_model_file", "empty_model_file/empty_file_model"),
        Arguments.of("sample_model_folder", "sample_model_folder/sample_model"),
        Arguments.of("model_folder_with_empty_file", "model_folder_with_empty_file/empty_file_inside_model"),
        Arguments.of("deep_model_folder", "deep_model_folder/deep_model"),
        Arguments.of("empty_model_folder", null),
        Arguments.of("symlink_model_folder", null));
  }

  static Path input(String fixture, String rel) throws Exception {
    if (rel != null) {
      return Oms.path("manifest-goldens/inputs/" + rel);
    }
    if (fixture.equals("empty_model_folder")) {
      return Files.createDirectories(tmp.resolve("empty_folder_model"));
    }
    Path outside = tmp.resolve("outside_file");
    if (!Files.exists(outside)) {
      Files.writeString(outside, "This is a simple model");
    }
    Path dir = Files.createDirectories(tmp.resolve("symlink_model"));
    if (!Files.exists(dir.resolve("symlink_file"), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      Files.createSymbolicLink(dir.resolve("symlink_file"), outside);
    }
    return dir;
  }

  private static ModelHasher.Options options(Manifest.Method method, long shard) {
    return ModelHasher.Options.files().withSymlinks(true).withMethod(method, shard).withThreads(2);
  }

  private static List<String> namesAndDigests(JsonNode resources) {
    var out = new java.util.ArrayList<String>();
    resources.forEach(r -> out.add(r.get("name").asText() + ":" + r.get("digest").asText()));
    out.sort(null);
    return out;
  }

  private static List<String> golden(String kind, String name) throws Exception {
    return Files.readAllLines(Oms.path("manifest-goldens/serialization/" + kind + "/" + name)).stream()
        .filter(l -> !l.isBlank()).toList();
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void filesMethodMatchesTheGolden(String fixture, String rel) throws Exception {
    var m = ModelHasher.hash(input(fixture, rel), options(Manifest.Method.FILES, ModelHasher.DEFAULT_SHARD_SIZE));
    assertThat(m.resources().stream().map(r -> r.name() + ":" + r.digestHex()).toList())
        .containsExactlyElementsOf(golden("files", fixture));
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void shardsMethodMatchesTheGoldens(String fixture, String rel) throws Exception {
    for (long size : new long[] {ModelHasher.DEFAULT_SHARD_SIZE, 8}) {
      var m = ModelHasher.hash(input(fixture, rel), options(Manifest.Method.SHARDS, size));
      String name = size == 8 ? fixture + "_small_shards" : fixture;
      assertThat(m.resources().stream().map(r -> r.name() + ":" + r.digestHex()).sorted().toList())
          .as("%s shard %d", fixture, size)
          .containsExactlyElementsOf(golden("shards", name).stream().sorted().toList());
    }
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void statementsMatchThePayloadGoldens(String fixture, String rel) throws Exception {
    Path model = input(fixture, rel);
    var mapper = new ObjectMapper();
    for (String suffix : new String[] {"", "_shard", "_small_shards"}) {
      Path goldenFile = Oms.path("manifest-goldens/payload/" + fixture + suffix);
      if (!Files.exists(goldenFile)) {
        continue;
      }
      JsonNode golden = mapper.readTree(goldenFile.toFile());
      var method = suffix.isEmpty() ? Manifest.Method.FILES : Manifest.Method.SHARDS;
      long shard = suffix.equals("_small_shards") ? 8 : ModelHasher.DEFAULT_SHARD_SIZE;
      var m = ModelHasher.hash(model, options(method, shard));
      JsonNode ours = mapper.readTree(Statement.encode(m, model.getFileName().toString()));
      assertThat(ours.at("/subject/0/name")).isEqualTo(golden.at("/subject/0/name"));
      // OMS orders resources by code point; the reference orders shards by numeric offset. Where the two orders
      // agree the root digests must be equal; where they differ, each root must match its own order.
      var goldenNames = new java.util.ArrayList<String>();
      golden.at("/predicate/resources").forEach(r -> goldenNames.add(r.get("name").asText()));
      var ourNames = m.resources().stream().map(Resource::name).toList();
      if (goldenNames.equals(ourNames)) {
        assertThat(ours.at("/subject/0/digest/sha256").asText()).as(fixture + suffix)
            .isEqualTo(golden.at("/subject/0/digest/sha256").asText());
      } else {
        assertThat(goldenNames).containsExactlyInAnyOrderElementsOf(ourNames);
        assertThat(ourNames).isSortedAccordingTo(Manifest.CODE_POINT_ORDER);
      }
      assertThat(ours.at("/predicateType")).isEqualTo(golden.at("/predicateType"));
      JsonNode s1 = ours.at("/predicate/serialization");
      JsonNode s2 = golden.at("/predicate/serialization");
      assertThat(s1.get("method")).isEqualTo(s2.get("method"));
      assertThat(s1.get("hash_type")).isEqualTo(s2.get("hash_type"));
      assertThat(s1.get("allow_symlinks")).isEqualTo(s2.get("allow_symlinks"));
      assertThat(s1.path("shard_size").asLong()).isEqualTo(s2.path("shard_size").asLong());
      // names and digests as the reference; the algorithm is the plain hash as OMS v1.0 says (the reference
      // writes "sha256-sharded-N" for shards)
      assertThat(namesAndDigests(ours.at("/predicate/resources"))).isEqualTo(namesAndDigests(golden.at("/predicate/resources")));
      ours.at("/predicate/resources").forEach(r -> assertThat(r.get("algorithm").asText()).isEqualTo("sha256"));
      if (!golden.at("/predicate/resources").isEmpty()) {
        var parsed = Statement.decode(mapper.writeValueAsBytes(golden));
        assertThat(parsed.manifest().rootDigest()).isEqualTo(golden.at("/subject/0/digest/sha256").asText());
      }
    }
  }
}
