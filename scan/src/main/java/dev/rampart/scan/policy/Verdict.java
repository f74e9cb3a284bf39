package dev.rampart.scan.policy;

/** How the policy judges one imported global. */
public sealed interface Verdict {
  /** On an allow list: the ecosystem profile, or "project" for a project entry. */
  record Allowed(String source) implements Verdict {}

  /** Matches a deny-list entry: a code-execution, process, file or network capability. */
  record Denied(String entry, String why) implements Verdict {}

  /** Imports a scanning tool, a known way to disable scanners from inside a model. */
  record Tampering(String pkg) implements Verdict {}

  /** On no list. */
  record NotListed() implements Verdict {}
}
