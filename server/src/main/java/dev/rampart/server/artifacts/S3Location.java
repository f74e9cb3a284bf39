package dev.rampart.server.artifacts;

import java.net.URI;
import java.util.Optional;

/**
 * Where artifacts live in S3-compatible object storage: {@code s3://bucket/prefix}, with an endpoint override and
 * path-style addressing for servers other than AWS. Credentials are never part of it: they come from the SDK's default
 * provider chain (environment, profile, container or instance role).
 */
public record S3Location(String bucket, String prefix, Optional<URI> endpoint, boolean pathStyle) {
  public S3Location {
    if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
      throw new IllegalArgumentException("'" + bucket + "' is not an S3 bucket name");
    }
    prefix = prefix.replaceAll("^/+|/+$", "");
    if (prefix.contains("//") || prefix.contains("..")) {
      throw new IllegalArgumentException("the S3 prefix '" + prefix + "' has empty or parent segments");
    }
    endpoint.ifPresent(e -> {
      if (!"http".equals(e.getScheme()) && !"https".equals(e.getScheme())) {
        throw new IllegalArgumentException("the S3 endpoint must be an http(s) URL");
      }
    });
  }

  /** Parses {@code s3://bucket[/prefix]}. */
  public static S3Location parse(String location, Optional<URI> endpoint, boolean pathStyle) {
    if (!location.startsWith("s3://")) {
      throw new IllegalArgumentException("--artifacts must be s3://bucket/prefix, not '" + location + "'");
    }
    String rest = location.substring("s3://".length());
    int slash = rest.indexOf('/');
    return slash < 0
        ? new S3Location(rest, "", endpoint, pathStyle)
        : new S3Location(rest.substring(0, slash), rest.substring(slash + 1), endpoint, pathStyle);
  }

  /** The object key of a blob: {@code <prefix>/<first two hex digits>/<sha256>}, from the digest alone. */
  String key(String sha256) {
    Digests.requireSha256(sha256);
    String tail = sha256.substring(0, 2) + "/" + sha256;
    return prefix.isEmpty() ? tail : prefix + "/" + tail;
  }

  @Override
  public String toString() {
    return "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix) + endpoint.map(e -> " at " + e).orElse("");
  }
}
