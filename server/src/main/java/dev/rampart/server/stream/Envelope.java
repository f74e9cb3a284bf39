package dev.rampart.server.stream;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

/**
 * One Kafka record of telemetry: a batch of JSON-lines inference events (the body the HTTP endpoint takes) for one
 * deployment, keyed {@code project/environment[/model]} so all of a deployment's events share a partition, and signed
 * by the deployment's own telemetry token.
 *
 * <p>The proof of the sender is an HMAC-SHA256 over the key and the events, under a key derived from the environment's
 * telemetry token (its SHA-256, which the server stores in place of the token), with the token's id in a header. A
 * topic ACL only says who may write to the topic; the signature says which deployment's credential wrote this record,
 * and a revoked or expired token stops verifying at once. Records that do not verify are dropped, never watched.
 */
public record Envelope(String project, String environment, String model, long tokenId, byte[] mac, byte[] events) {
  static final String TOKEN_HEADER = "rampart-token-id";
  static final String MAC_HEADER = "rampart-mac";
  private static final byte[] LABEL = "rampart-telemetry-v1\n".getBytes(StandardCharsets.US_ASCII);
  static final int MAX_EVENTS_BYTES = 8 << 20;

  /** A deployment key: project, environment and (when the environment holds several models) the model. */
  public static String key(String project, String environment, String model) {
    return model == null ? project + "/" + environment : project + "/" + environment + "/" + model;
  }

  /** A signed record, as a deployment's sidecar produces it. */
  public static ProducerRecord<byte[], byte[]> signed(String topic, String project, String environment, String model,
      long tokenId, String token, byte[] events) {
    String key = key(project, environment, model);
    var record = new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), events);
    record.headers().add(TOKEN_HEADER, Long.toString(tokenId).getBytes(StandardCharsets.US_ASCII));
    record.headers().add(MAC_HEADER, Base64.getEncoder().encode(mac(macKey(dev.rampart.server.auth.Tokens.hash(token)), key, events)));
    return record;
  }

  /** Reads a record's envelope; the signature is checked later, against the token it names. */
  static Envelope parse(ConsumerRecord<byte[], byte[]> record) throws RejectedException {
    if (record.key() == null || record.key().length > 600) {
      throw new RejectedException("no deployment key");
    }
    String key = new String(record.key(), StandardCharsets.UTF_8);
    String[] parts = key.split("/", -1);
    if (parts.length < 2 || parts.length > 3 || java.util.Arrays.stream(parts).anyMatch(String::isEmpty)) {
      throw new RejectedException("the key must be project/environment[/model]");
    }
    if (record.value() == null || record.value().length > MAX_EVENTS_BYTES) {
      throw new RejectedException("no events, or more than " + MAX_EVENTS_BYTES + " bytes of them");
    }
    long tokenId;
    byte[] mac;
    try {
      tokenId = Long.parseLong(header(record, TOKEN_HEADER));
      mac = Base64.getDecoder().decode(header(record, MAC_HEADER));
    } catch (IllegalArgumentException e) {
      throw new RejectedException("unsigned: the " + TOKEN_HEADER + " and " + MAC_HEADER + " headers are missing or malformed");
    }
    return new Envelope(parts[0], parts[1], parts.length == 3 ? parts[2] : null, tokenId, mac, record.value());
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    Header h = record.headers().lastHeader(name);
    if (h == null || h.value() == null || h.value().length > 200) {
      throw new IllegalArgumentException("missing " + name);
    }
    return new String(h.value(), StandardCharsets.US_ASCII);
  }

  /** True when the record was signed with the token whose stored hash is given (compared in constant time). */
  boolean signedWith(String tokenHashHex) {
    return java.security.MessageDigest.isEqual(mac, mac(macKey(tokenHashHex), key(project, environment, model), events));
  }

  private static byte[] macKey(String tokenHashHex) {
    return HexFormat.of().parseHex(tokenHashHex);
  }

  private static byte[] mac(byte[] key, String deploymentKey, byte[] events) {
    try {
      Mac m = Mac.getInstance("HmacSHA256");
      m.init(new SecretKeySpec(key, "HmacSHA256"));
      m.update(LABEL);
      m.update(deploymentKey.getBytes(StandardCharsets.UTF_8));
      m.update((byte) '\n');
      return m.doFinal(events);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks HmacSHA256", e);
    }
  }

  /** A record that is not a well-formed, verified envelope of the deployment's own telemetry token. */
  static final class RejectedException extends Exception {
    RejectedException(String reason) {
      super(reason);
    }
  }
}
