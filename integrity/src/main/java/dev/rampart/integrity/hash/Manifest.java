package dev.rampart.integrity.hash;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The OMS description of a model: how it was serialized and the digest of every file or shard, in canonical order
 * (Unicode code point order of the names, which is unsigned UTF-8 byte order).
 */
public record Manifest(
    Method method,
    HashType hashType,
    OptionalLong shardSize,
    boolean allowSymlinks,
    List<String> ignorePaths,
    List<Resource> resources) {

  /** OMS serialization methods. */
  public enum Method {
    FILES("files"),
    SHARDS("shards");

    private final String omsName;

    Method(String omsName) {
      this.omsName = omsName;
    }

    public String omsName() {
      return omsName;
    }

    public static Method parse(String s) {
      for (Method m : values()) {
        if (m.omsName.equals(s)) {
          return m;
        }
      }
      throw new IllegalArgumentException("unknown OMS serialization method '" + s + "'");
    }
  }

  /** Orders names by Unicode code point, which Java's UTF-16 {@code compareTo} does not do for supplementary chars. */
  public static final Comparator<String> CODE_POINT_ORDER =
      (a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

  public Manifest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(hashType, "hashType");
    Objects.requireNonNull(shardSize, "shardSize");
    ignorePaths = List.copyOf(ignorePaths);
    resources = List.copyOf(resources);
    if (method == Method.SHARDS && shardSize.isEmpty()) {
      throw new IllegalArgumentException("the shards method needs a shard size");
    }
  }

  /** The OMS root digest: SHA-256 over the raw resource digests in the order given. Always SHA-256. */
  public String rootDigest() {
    try {
      var md = MessageDigest.getInstance("SHA-256");
      for (Resource r : resources) {
        md.update(HexFormat.of().parseHex(r.digestHex()));
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The same manifest with resources in canonical order. */
  public Manifest canonical() {
    var sorted = resources.stream().sorted(Comparator.comparing(Resource::name, CODE_POINT_ORDER)).toList();
    return new Manifest(method, hashType, shardSize, allowSymlinks, ignorePaths, sorted);
  }

  public Optional<Resource> resource(String name) {
    return resources.stream().filter(r -> r.name().equals(name)).findFirst();
  }
}
