package dev.rampart.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.server.artifacts.S3TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A server keeping its artifacts in S3-compatible object storage, configured as an operator would: a location, an
 * endpoint, path-style addressing, and credentials and region from the SDK's default chain (here system properties).
 */
class ObjectStoreServerTest extends ServerFixture {
  @BeforeAll
  static void credentialsFromTheDefaultChain() {
    System.setProperty("aws.accessKeyId", "rampart-test");
    System.setProperty("aws.secretAccessKey", "rampart-test-secret");
    System.setProperty("aws.region", "us-east-1");
  }

  @Override
  RampartServer.Config config(Path dataDir) {
    return RampartServer.Config.embedded(dataDir, 0).withH2().withObjectStore(S3TestServer.shared().location("server"));
  }

  @Test
  void uploadedModelFilesLandInTheBucketUnderTheirDigest() throws Exception {
    Path dir = benignModel("s3-model", "{\"architectures\": [\"Classifier\"]}");
    var r = upload(alice, "classifier", dir, null, null, null);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    for (String name : new String[] {"classifier.onnx", "config.json"}) {
      String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(dir.resolve(name))));
      var head = S3TestServer.shared().client().headObject(b -> b.bucket(S3TestServer.BUCKET)
          .key("server/" + sha.substring(0, 2) + "/" + sha));
      assertThat(head.contentLength()).isEqualTo(Files.size(dir.resolve(name)));
    }
    assertThat(Files.exists(tmp.resolve("data").resolve("artifacts"))).as("nothing is kept on local disk").isFalse();
  }
}
