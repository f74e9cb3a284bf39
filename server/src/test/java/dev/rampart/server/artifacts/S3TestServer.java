package dev.rampart.server.artifacts;

import com.adobe.testing.s3mock.S3MockApplication;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3-compatible server (S3Mock, from Maven Central) run in-process on loopback, started once for every test
 * class that needs one, with a direct client for looking into the bucket behind the store's back.
 */
public final class S3TestServer {
  public static final String BUCKET = "rampart-artifacts";
  private static S3TestServer shared;

  private final S3MockApplication app;
  private final URI endpoint;
  private final S3Client client;

  private S3TestServer() {
    // the tests log through slf4j-simple; Spring Boot must not take over whatever logging backend it finds
    System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
    // start() edits the map it is given
    app = S3MockApplication.start(new HashMap<>(Map.of(
        S3MockApplication.PROP_HTTP_PORT, S3MockApplication.RANDOM_PORT,
        S3MockApplication.PROP_HTTPS_PORT, S3MockApplication.RANDOM_PORT,
        "server.address", "127.0.0.1",
        "com.adobe.testing.s3mock.store.initialBuckets", BUCKET,
        S3MockApplication.PROP_SILENT, true)));
    endpoint = URI.create("http://127.0.0.1:" + app.getHttpPort());
    client = S3Client.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .forcePathStyle(true).endpointOverride(endpoint).build();
  }

  public static synchronized S3TestServer shared() {
    if (shared == null) {
      shared = new S3TestServer();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        shared.client.close();
        shared.app.stop();
      }));
    }
    return shared;
  }

  /** {@code s3://rampart-artifacts/<prefix>} on this server, path-style. */
  public S3Location location(String prefix) {
    return S3Location.parse("s3://" + BUCKET + "/" + prefix, Optional.of(endpoint), true);
  }

  public S3Client client() {
    return client;
  }
}
