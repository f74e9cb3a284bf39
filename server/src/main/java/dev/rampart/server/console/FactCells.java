package dev.rampart.server.console;

import static dev.rampart.server.console.Html.attr;
import static dev.rampart.server.console.Html.el;
import static dev.rampart.server.console.Layout.badge;

import dev.rampart.server.console.Html.Safe;
import dev.rampart.server.facts.FactRecord;

/** How the console shows who attested a fact: the key by name and fingerprint, its standing today, the predicate type. */
final class FactCells {
  private FactCells() {}

  /** Verified, or why not: an unsigned claim, a revoked key, a key without that authority, a stranger's signature. */
  static Safe status(FactRecord f) {
    if (f.verified()) {
      return badge("verified");
    }
    if (f.signer() == null) {
      return badge("unsigned");
    }
    return switch (f.signer().state()) {
      case REVOKED -> badge("revoked");
      case NOT_AUTHORIZED, UNKNOWN, TRUSTED -> badge("unverified");
    };
  }

  /** The signing key (name and fingerprint) and its standing, or who submitted an unsigned claim. */
  static Safe attestedBy(FactRecord f) {
    var s = f.signer();
    Safe who;
    if (s == null) {
      who = Html.join("unsigned claim by ", f.submittedBy());
    } else if (s.state() == FactRecord.KeyState.UNKNOWN) {
      who = Html.join("a key the project never trusted (submitted by ", f.submittedBy(), ")");
    } else {
      who = Html.join("key ", el("strong", s.key()), " ", el("code", attr("class", "id"), attr("title", s.fingerprint()),
          s.fingerprint().substring(0, Math.min(12, s.fingerprint().length()))), " ", switch (s.state()) {
            case TRUSTED -> "(trusted)";
            case REVOKED -> "(revoked " + s.revokedAt() + ")";
            case NOT_AUTHORIZED -> "(not trusted for " + f.type() + ")";
            case UNKNOWN -> "";
          });
    }
    return Html.join(who, el("br"), el("span", attr("class", "muted"), f.predicateType().isEmpty()
        ? "no predicate type: not an attestation" : f.predicateType()),
        f.verified() ? null : Html.join(el("br"), el("span", attr("class", "muted"), f.detail())));
  }
}
