package dev.rampart.integrity.sign;

import dev.rampart.integrity.hash.Manifest;

/**
 * A successful verification: which method, who signed (key hint, certificate subject or Sigstore identity), the
 * model's root digest and how many files or shards matched.
 */
public record Verified(String method, String signer, String rootDigest, int resources, Manifest manifest) {}
