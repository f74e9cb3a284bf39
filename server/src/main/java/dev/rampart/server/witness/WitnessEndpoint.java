package dev.rampart.server.witness;

import dev.rampart.integrity.log.Cosignature;
import dev.rampart.integrity.log.NoteKey;
import java.net.URI;

/** A witness the server asks for cosignatures: its name, its submission URL and its verifier key. */
public record WitnessEndpoint(String name, URI url, NoteKey key) {
  public WitnessEndpoint {
    key = Cosignature.asCosigner(key);
    if (!key.name().equals(name)) {
      throw new IllegalArgumentException("the witness " + name + " has a verifier key named " + key.name());
    }
    if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
      throw new IllegalArgumentException("a witness URL is http:// or https://, not " + url);
    }
  }

  /** {@code NAME=URL=VKEY}, the vkey's name being NAME (a URL may itself hold '='). */
  public static WitnessEndpoint parse(String spec) {
    int first = spec.indexOf('=');
    if (first <= 0) {
      throw new IllegalArgumentException("a witness is NAME=URL=VKEY, not " + spec);
    }
    String name = spec.substring(0, first);
    int vkey = spec.lastIndexOf("=" + name + "+");
    if (vkey <= first) {
      throw new IllegalArgumentException("a witness is NAME=URL=VKEY with a verifier key named NAME, not " + spec);
    }
    return new WitnessEndpoint(name, URI.create(spec.substring(first + 1, vkey)), NoteKey.parse(spec.substring(vkey + 1)));
  }

  URI addCheckpoint() {
    String base = url.toString();
    return URI.create(base.endsWith("/") ? base + "add-checkpoint" : base + "/add-checkpoint");
  }
}
