package dev.rampart.server.artifacts;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Blobs in S3-compatible object storage under {@code <prefix>/<first two hex digits>/<sha256>}. A blob is read from its
 * file one part at a time (never whole into memory), and each part is hashed in the very buffer that is sent, with its
 * SHA-256 sent along for the server to check on arrival. The object becomes visible only once the whole file hashed to
 * the expected digest: a small file is checked before its single PUT, a large one is a multipart upload completed only
 * after the last part (and aborted otherwise), so a mismatch leaves nothing behind. Reads stream and fail at the end if
 * the stored bytes no longer hash to their key.
 */
public final class S3ArtifactStore implements ArtifactStore, AutoCloseable {
  /** S3's smallest part but the last. */
  static final int MIN_PART_BYTES = 5 << 20;
  static final int DEFAULT_PART_BYTES = 8 << 20;

  private final S3Client s3;
  private final S3Location location;
  private final int partBytes;

  S3ArtifactStore(S3Client s3, S3Location location, int partBytes) {
    if (partBytes < MIN_PART_BYTES) {
      throw new IllegalArgumentException("S3 parts are at least " + MIN_PART_BYTES + " bytes");
    }
    this.s3 = s3;
    this.location = location;
    this.partBytes = partBytes;
  }

  /** A store over a client from the default credential and region chains (us-east-1 for an endpoint without region). */
  public static S3ArtifactStore open(S3Location location) {
    return new S3ArtifactStore(client(location), location, DEFAULT_PART_BYTES);
  }

  static S3Client client(S3Location location) {
    Region region;
    try {
      region = new DefaultAwsRegionProviderChain().getRegion();
    } catch (SdkException e) {
      if (location.endpoint().isEmpty()) {
        throw new IllegalArgumentException("no AWS region is configured for " + location + ": set AWS_REGION", e);
      }
      region = Region.US_EAST_1;
    }
    var builder = S3Client.builder()
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .credentialsProvider(DefaultCredentialsProvider.builder().build())
        .region(region)
        .forcePathStyle(location.pathStyle())
        // the SHA-256 checksums are set on each request explicitly; no other algorithm is sent to servers that lack it
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    location.endpoint().ifPresent(builder::endpointOverride);
    return builder.build();
  }

  @Override
  public boolean put(String sha256, Path file) throws IOException {
    String key = location.key(sha256);
    if (exists(sha256)) {
      return false;
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[partBytes];
      int n = in.readNBytes(buf, 0, partBytes);
      if (n < partBytes) {
        putSingle(key, sha256, buf, n);
      } else {
        putMultipart(key, sha256, in, buf, n);
      }
      return true;
    } catch (SdkException e) {
      throw new IOException("storing " + sha256 + " in " + location + " failed: " + e.getMessage(), e);
    }
  }

  private void putSingle(String key, String sha256, byte[] buf, int n) throws DigestMismatchException {
    MessageDigest whole = Digests.sha256();
    whole.update(buf, 0, n);
    byte[] sum = whole.digest();
    requireDigest(sha256, sum);
    s3.putObject(b -> b.bucket(location.bucket()).key(key).contentLength((long) n)
        .checksumSHA256(Base64.getEncoder().encodeToString(sum)), body(buf, n));
  }

  private void putMultipart(String key, String sha256, InputStream in, byte[] buf, int first) throws IOException {
    String uploadId = s3.createMultipartUpload(b -> b.bucket(location.bucket()).key(key)
        .checksumAlgorithm(ChecksumAlgorithm.SHA256)).uploadId();
    boolean completed = false;
    try {
      MessageDigest whole = Digests.sha256();
      List<CompletedPart> parts = new ArrayList<>();
      int n = first;
      while (n > 0) {
        whole.update(buf, 0, n);
        MessageDigest part = Digests.sha256();
        part.update(buf, 0, n);
        String partSum = Base64.getEncoder().encodeToString(part.digest());
        int number = parts.size() + 1;
        int length = n;
        var response = s3.uploadPart(b -> b.bucket(location.bucket()).key(key).uploadId(uploadId).partNumber(number)
            .contentLength((long) length).checksumSHA256(partSum), body(buf, length));
        parts.add(CompletedPart.builder().partNumber(number).eTag(response.eTag()).checksumSHA256(partSum).build());
        n = in.readNBytes(buf, 0, partBytes);
      }
      requireDigest(sha256, whole.digest());
      s3.completeMultipartUpload(b -> b.bucket(location.bucket()).key(key).uploadId(uploadId)
          .multipartUpload(m -> m.parts(parts)));
      completed = true;
    } finally {
      if (!completed) {
        abort(key, uploadId);
      }
    }
  }

  private void abort(String key, String uploadId) {
    try {
      s3.abortMultipartUpload(b -> b.bucket(location.bucket()).key(key).uploadId(uploadId));
    } catch (SdkException e) {
      // the upload was never completed, so nothing is visible; the bucket's lifecycle rule reclaims the parts
    }
  }

  private static void requireDigest(String expected, byte[] actual) throws DigestMismatchException {
    String hex = HexFormat.of().formatHex(actual);
    if (!hex.equals(expected)) {
      throw new DigestMismatchException(expected, hex);
    }
  }

  /** A body over the part buffer, re-readable for the SDK's retries, without copying it. */
  private static RequestBody body(byte[] buf, int n) {
    return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(buf, 0, n), n, "application/octet-stream");
  }

  @Override
  public boolean exists(String sha256) {
    String key = location.key(sha256);
    try {
      s3.headObject(b -> b.bucket(location.bucket()).key(key));
      return true;
    } catch (NoSuchKeyException e) {
      return false;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw new UncheckedIOException(new IOException("cannot tell whether " + sha256 + " is in " + location + ": "
          + e.getMessage(), e));
    } catch (SdkException e) {
      throw new UncheckedIOException(new IOException("cannot reach " + location + ": " + e.getMessage(), e));
    }
  }

  @Override
  public InputStream open(String sha256) throws IOException {
    String key = location.key(sha256);
    try {
      return new VerifyingInputStream(s3.getObject(b -> b.bucket(location.bucket()).key(key)), sha256);
    } catch (NoSuchKeyException e) {
      throw new java.nio.file.NoSuchFileException(location + "/" + key);
    } catch (SdkException e) {
      throw new IOException("reading " + sha256 + " from " + location + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void delete(String sha256) throws IOException {
    String key = location.key(sha256);
    try {
      s3.deleteObject(b -> b.bucket(location.bucket()).key(key));
    } catch (SdkException e) {
      throw new IOException("deleting " + sha256 + " from " + location + " failed: " + e.getMessage(), e);
    }
  }

  public S3Location location() {
    return location;
  }

  @Override
  public void close() {
    s3.close();
  }
}
