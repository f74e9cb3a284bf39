package dev.rampart.integrity.hash;

import java.util.Objects;

/**
 * One entry of an OMS manifest: a file (or a shard {@code path:start:end} of one) and its digest.
 *
 * @param name the path relative to the model root, "." for a single-file model, with the shard range when sharded
 * @param algorithm the hash, "sha256"; bundles from the reference implementation say "sha256-sharded-N" for shards
 */
public record Resource(String name, String algorithm, String digestHex) {
  public Resource {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(digestHex, "digestHex");
    if (!digestHex.matches("[0-9a-f]+")) {
      throw new IllegalArgumentException("digest of " + name + " is not lowercase hex");
    }
  }
}
