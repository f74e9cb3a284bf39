package dev.rampart.integrity.oms;

import dev.rampart.integrity.sign.VerificationException.MalformedBundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rampart.integrity.hash.HashType;
import dev.rampart.integrity.hash.Manifest;
import dev.rampart.integrity.hash.Resource;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** The in-toto Statement v1 with the OMS v1.0 predicate, and the legacy v0.1 digests predicate for reading. */
public final class Statement {
  public static final String TYPE = "https://in-toto.io/Statement/v1";
  public static final String PREDICATE_V1 = "https://model_signing/signature/v1.0";
  public static final String PREDICATE_LEGACY = "https://model_signing/Digests/v0.1";
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** A decoded statement: the subject and the manifest, with resources in payload order. */
  public record Parsed(String subjectName, String subjectSha256, Manifest manifest, boolean legacy) {}

  private Statement() {}

  /** The statement for a model: subject = the model's basename and root digest. */
  public static byte[] encode(Manifest manifest, String subjectName) {
    ObjectNode root = JSON.createObjectNode();
    root.put("_type", TYPE);
    var subject = root.putArray("subject").addObject();
    subject.put("name", subjectName);
    subject.putObject("digest").put("sha256", manifest.rootDigest());
    root.put("predicateType", PREDICATE_V1);
    var predicate = root.putObject("predicate");
    var ser = predicate.putObject("serialization");
    ser.put("method", manifest.method().omsName());
    ser.put("hash_type", manifest.hashType().omsName());
    ser.put("allow_symlinks", manifest.allowSymlinks());
    manifest.shardSize().ifPresent(s -> ser.put("shard_size", s));
    if (!manifest.ignorePaths().isEmpty()) {
      var ignores = ser.putArray("ignore_paths");
      manifest.ignorePaths().forEach(ignores::add);
    }
    var resources = predicate.putArray("resources");
    for (Resource r : manifest.resources()) {
      resources.addObject().put("name", r.name()).put("algorithm", r.algorithm()).put("digest", r.digestHex());
    }
    try {
      return JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Decodes and checks a statement; anything that is not an OMS statement is a {@link MalformedBundle}. */
  public static Parsed decode(byte[] payload) throws MalformedBundle {
    JsonNode root;
    try {
      root = Bundle.strictJson().readTree(payload);
    } catch (IOException e) {
      throw new MalformedBundle("the signed payload is not JSON: " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (root == null || !root.isObject() || !TYPE.equals(root.path("_type").asText())) {
      throw new MalformedBundle("the payload is not an in-toto Statement v1 (_type " + root.path("_type") + ")");
    }
    String predicateType = root.path("predicateType").asText();
    JsonNode subjects = root.path("subject");
    if (!subjects.isArray() || subjects.isEmpty()) {
      throw new MalformedBundle("the statement has no subject");
    }
    if (PREDICATE_LEGACY.equals(predicateType)) {
      var resources = new ArrayList<Resource>();
      for (JsonNode s : subjects) {
        resources.add(new Resource(s.path("name").asText(), "sha256", hex(s.path("digest").path("sha256").asText(), "subject digest")));
      }
      var m = new Manifest(Manifest.Method.FILES, HashType.SHA256, OptionalLong.empty(), false, List.of(), resources);
      return new Parsed("", m.rootDigest(), m, true);
    }
    if (!PREDICATE_V1.equals(predicateType)) {
      throw new MalformedBundle("unsupported predicateType '" + predicateType + "'; expected " + PREDICATE_V1);
    }
    if (subjects.size() != 1) {
      throw new MalformedBundle("an OMS statement has exactly one subject, this one has " + subjects.size());
    }
    JsonNode subject = subjects.get(0);
    String name = subject.path("name").asText("");
    String digest = hex(subject.path("digest").path("sha256").asText(""), "subject sha256 digest");
    JsonNode ser = root.path("predicate").path("serialization");
    if (!ser.isObject()) {
      throw new MalformedBundle("the predicate has no serialization");
    }
    Manifest.Method method;
    HashType hashType;
    try {
      method = Manifest.Method.parse(ser.path("method").asText());
      hashType = HashType.parse(ser.path("hash_type").asText("sha256"));
    } catch (IllegalArgumentException e) {
      throw new MalformedBundle(e.getMessage());
    }
    if (!ser.path("allow_symlinks").isBoolean()) {
      throw new MalformedBundle("serialization.allow_symlinks is required");
    }
    OptionalLong shard = OptionalLong.empty();
    if (method == Manifest.Method.SHARDS) {
      JsonNode s = ser.path("shard_size");
      if (!s.isNumber() || s.asDouble() <= 0 || s.asDouble() != Math.floor(s.asDouble())) {
        throw new MalformedBundle("the shards method needs a positive integer shard_size");
      }
      shard = OptionalLong.of(s.asLong());
    }
    var ignores = new ArrayList<String>();
    ser.path("ignore_paths").forEach(i -> ignores.add(i.asText()));
    JsonNode res = root.path("predicate").path("resources");
    if (!res.isArray() || res.isEmpty()) {
      throw new MalformedBundle("the predicate lists no resources");
    }
    var resources = new ArrayList<Resource>();
    for (JsonNode r : res) {
      String rn = r.path("name").asText("");
      if (rn.isEmpty()) {
        throw new MalformedBundle("a resource has no name");
      }
      resources.add(new Resource(rn, r.path("algorithm").asText(hashType.omsName()), hex(r.path("digest").asText(""), "digest of " + rn)));
    }
    var manifest = new Manifest(method, hashType, shard, ser.path("allow_symlinks").asBoolean(), ignores, resources);
    return new Parsed(name, digest, manifest, false);
  }

  private static String hex(String s, String what) throws MalformedBundle {
    if (!s.matches("[0-9a-f]{64}|[0-9a-f]{128}")) {
      throw new MalformedBundle(what + " is not a lowercase hex digest");
    }
    return s;
  }

  static Optional<String> text(JsonNode n) {
    return n == null || n.isNull() || n.isMissingNode() ? Optional.empty() : Optional.of(n.asText());
  }
}
