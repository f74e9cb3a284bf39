package dev.rampart.integrity.sigstore;

import dev.rampart.core.Sha256;
import dev.rampart.integrity.sign.VerificationException.UntrustedSigner;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;

/**
 * The signed certificate timestamps (RFC 6962) embedded in a Fulcio certificate: proof that a trusted
 * certificate-transparency log saw the certificate, so a certificate issued outside the public record, by a
 * compromised or coerced authority, is refused. One valid timestamp from a log of the trusted root is enough, as in
 * Sigstore's own clients; a trusted root that lists no CT log (a private Fulcio) requires none.
 */
final class CertificateTransparency {
  static final String SCT_LIST = "1.3.6.1.4.1.11129.2.4.2";
  private static final int MAX_SCTS = 64;

  /** One SCT as it travels in the certificate. */
  record Sct(int version, byte[] logId, long timestamp, byte[] extensions, int hash, int algorithm, byte[] signature) {}

  private CertificateTransparency() {}

  static void check(X509Certificate leaf, X509Certificate issuer, List<TrustedRoot.Log> ctlogs) throws UntrustedSigner {
    if (ctlogs.isEmpty()) {
      return;
    }
    byte[] extension = leaf.getExtensionValue(SCT_LIST);
    if (extension == null) {
      throw new UntrustedSigner("the signing certificate carries no certificate-transparency timestamp, so no "
          + "trusted CT log recorded it");
    }
    List<Sct> scts;
    byte[] signedPrefix;
    try {
      scts = parse(ASN1OctetString.getInstance(ASN1OctetString.getInstance(extension).getOctets()).getOctets());
      signedPrefix = precertEntry(leaf, issuer);
    } catch (IOException | java.security.cert.CertificateEncodingException | RuntimeException e) {
      throw new UntrustedSigner("the signing certificate's transparency timestamps are unreadable: " + e.getMessage());
    }
    var problems = new ArrayList<String>();
    for (Sct sct : scts) {
      var log = ctlogs.stream().filter(l -> Arrays.equals(l.logId(), sct.logId())).findFirst();
      if (log.isEmpty()) {
        problems.add("a timestamp from the unknown log " + Base64.getEncoder().encodeToString(sct.logId()));
        continue;
      }
      Instant at = Instant.ofEpochMilli(sct.timestamp());
      if (!log.get().validAt(at)) {
        problems.add("a timestamp of " + at + ", outside its log's validity");
        continue;
      }
      if (sct.version() == 0 && log.get().verifies(signedData(sct, signedPrefix), sct.signature())) {
        return;
      }
      problems.add("a timestamp whose signature does not verify with its log's key");
    }
    throw new UntrustedSigner("no certificate-transparency timestamp of the signing certificate verifies with a "
        + "trusted CT log (" + (problems.isEmpty() ? "the list is empty" : String.join("; ", problems)) + ")");
  }

  /** The TLS-encoded {@code SignedCertificateTimestampList}. */
  static List<Sct> parse(byte[] tls) throws IOException {
    var in = ByteBuffer.wrap(tls);
    int total = u16(in);
    if (total != in.remaining()) {
      throw new IOException("the SCT list length does not match its content");
    }
    var out = new ArrayList<Sct>();
    while (in.hasRemaining()) {
      if (out.size() == MAX_SCTS) {
        throw new IOException("more than " + MAX_SCTS + " SCTs");
      }
      var sct = ByteBuffer.wrap(bytes(in, u16(in)));
      int version = u8(sct);
      byte[] logId = bytes(sct, 32);
      long timestamp = sct.getLong();
      byte[] extensions = bytes(sct, u16(sct));
      int hash = u8(sct);
      int algorithm = u8(sct);
      byte[] signature = bytes(sct, u16(sct));
      if (sct.hasRemaining()) {
        throw new IOException("an SCT has trailing bytes");
      }
      out.add(new Sct(version, logId, timestamp, extensions, hash, algorithm, signature));
    }
    return out;
  }

  /**
   * The entry type and {@code PreCert} the log signed: the issuer key's hash and the certificate's TBS without the
   * SCT list, since the log signed the precertificate before the list existed.
   */
  private static byte[] precertEntry(X509Certificate leaf, X509Certificate issuer)
      throws IOException, java.security.cert.CertificateEncodingException {
    byte[] issuerKeyHash = Sha256.newDigest().digest(issuer.getPublicKey().getEncoded());
    var tbs = ASN1Sequence.getInstance(leaf.getTBSCertificate());
    var rebuilt = new ASN1EncodableVector();
    for (ASN1Encodable element : tbs) {
      if (element instanceof ASN1TaggedObject tagged && tagged.getTagNo() == 3) {
        var kept = new ArrayList<Extension>();
        Extensions all = Extensions.getInstance(tagged.getExplicitBaseObject());
        for (var oid : all.getExtensionOIDs()) {
          if (!oid.getId().equals(SCT_LIST)) {
            kept.add(all.getExtension(oid));
          }
        }
        rebuilt.add(new DERTaggedObject(true, 3, new Extensions(kept.toArray(Extension[]::new))));
      } else {
        rebuilt.add(element);
      }
    }
    byte[] precert = new DERSequence(rebuilt).getEncoded(ASN1Encoding.DER);
    var out = new ByteArrayOutputStream();
    out.write(0);
    out.write(1); // entry type precert_entry
    out.write(issuerKeyHash);
    out.write(precert.length >>> 16);
    out.write(precert.length >>> 8);
    out.write(precert.length);
    out.write(precert);
    return out.toByteArray();
  }

  /** The {@code digitally-signed} struct of RFC 6962 section 3.2. */
  private static byte[] signedData(Sct sct, byte[] entry) {
    var b = ByteBuffer.allocate(2 + 8 + entry.length + 2 + sct.extensions().length);
    b.put((byte) sct.version()).put((byte) 0).putLong(sct.timestamp()).put(entry);
    b.putShort((short) sct.extensions().length).put(sct.extensions());
    return b.array();
  }

  private static int u8(ByteBuffer b) {
    return b.get() & 0xff;
  }

  private static int u16(ByteBuffer b) {
    return b.getShort() & 0xffff;
  }

  private static byte[] bytes(ByteBuffer b, int n) throws IOException {
    if (n > b.remaining()) {
      throw new IOException("a length runs past the SCT list");
    }
    byte[] out = new byte[n];
    b.get(out);
    return out;
  }
}
