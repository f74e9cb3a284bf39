package dev.rampart.server.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The object store against a real S3-compatible server (S3Mock, run in-process on loopback): blobs go in streamed and
 * verified, a file that does not hash to its announced digest leaves nothing behind, reads stream and verify.
 */
class S3ArtifactStoreTest {
  private static final String BUCKET = S3TestServer.BUCKET;
  private static S3Client client;
  private static S3Location location;

  @TempDir Path tmp;

  @BeforeAll
  static void startS3() {
    client = S3TestServer.shared().client();
    location = S3TestServer.shared().location("models/");
  }

  private static S3ArtifactStore store() {
    return new S3ArtifactStore(client, location, S3ArtifactStore.MIN_PART_BYTES);
  }

  private Path file(String name, int size, long seed) throws IOException {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return Files.write(tmp.resolve(name), b);
  }

  private static String sha256(Path f) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
  }

  private static long keysUnder(String prefix) {
    return client.listObjectsV2(b -> b.bucket(BUCKET).prefix(prefix)).keyCount();
  }

  private static long pendingUploads() {
    return client.listMultipartUploads(b -> b.bucket(BUCKET)).uploads().size();
  }

  @Test
  void smallAndMultipartBlobsRoundTripUnderTheirDigest() throws Exception {
    var store = store();
    for (int size : new int[] {0, 1234, S3ArtifactStore.MIN_PART_BYTES + 77}) {
      Path f = file("blob-" + size, size, size);
      String sha = sha256(f);
      assertThat(store.exists(sha)).isFalse();
      assertThat(store.put(sha, f)).as("stored %d bytes", size).isTrue();
      assertThat(store.put(sha, f)).as("a blob already there is not stored twice").isFalse();
      assertThat(store.exists(sha)).isTrue();
      assertThat(client.headObject(b -> b.bucket(BUCKET).key("models/" + sha.substring(0, 2) + "/" + sha))
          .contentLength()).isEqualTo(size);
      try (InputStream in = store.open(sha)) {
        assertThat(in.readAllBytes()).isEqualTo(Files.readAllBytes(f));
      }
      store.delete(sha);
      assertThat(store.exists(sha)).isFalse();
    }
    assertThat(pendingUploads()).isZero();
  }

  @Test
  void aFileThatDoesNotHashToItsDigestLeavesNothingVisible() throws Exception {
    var store = store();
    for (int size : new int[] {4096, S3ArtifactStore.MIN_PART_BYTES + 5}) {
      Path claimed = file("claimed-" + size, size, 1);
      Path swapped = file("swapped-" + size, size, 2);
      String sha = sha256(claimed);
      assertThatThrownBy(() -> store.put(sha, swapped)).isInstanceOf(DigestMismatchException.class)
          .hasMessageContaining(sha256(swapped));
      assertThat(store.exists(sha)).isFalse();
      assertThat(keysUnder("models/" + sha.substring(0, 2) + "/")).isZero();
    }
    assertThat(pendingUploads()).as("the aborted multipart upload leaves no parts").isZero();
  }

  @Test
  void aBlobChangedInTheBucketFailsItsReadAtTheEnd() throws Exception {
    var store = store();
    Path f = file("model.bin", 70_000, 3);
    String sha = sha256(f);
    store.put(sha, f);
    byte[] tampered = Files.readAllBytes(f);
    tampered[40_000] ^= 1;
    client.putObject(b -> b.bucket(BUCKET).key(location.key(sha)), RequestBody.fromBytes(tampered));
    try (InputStream in = store.open(sha)) {
      byte[] head = in.readNBytes(1000);
      assertThat(head).as("reads stream before the end is reached").hasSize(1000);
      assertThatThrownBy(in::readAllBytes).isInstanceOf(DigestMismatchException.class);
    }
    try (InputStream in = store.open(sha)) {
      assertThatThrownBy(() -> in.skip(Long.MAX_VALUE)).as("skipping still hashes").isInstanceOf(DigestMismatchException.class);
    }
    store.delete(sha);
  }

  @Test
  void locationsAreParsedStrictly() {
    assertThat(S3Location.parse("s3://bucket-1", Optional.empty(), false).key("ab".repeat(32)))
        .isEqualTo("ab/" + "ab".repeat(32));
    assertThat(S3Location.parse("s3://bucket-1/a/b/", Optional.empty(), false).prefix()).isEqualTo("a/b");
    assertThatThrownBy(() -> S3Location.parse("/srv/artifacts", Optional.empty(), false)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> S3Location.parse("s3://Bad_Bucket/x", Optional.empty(), false)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> S3Location.parse("s3://bucket/../other", Optional.empty(), false)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> S3Location.parse("s3://bucket/x", Optional.of(URI.create("file:///tmp")), true))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> location.key("../../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
  }
}
