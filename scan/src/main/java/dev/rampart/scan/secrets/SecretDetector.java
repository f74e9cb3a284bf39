package dev.rampart.scan.secrets;

import com.google.re2j.Matcher;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;

/**
 * Finds credentials in text: the keyword automaton picks the lines (or fragments) worth a look, RE2 patterns
 * extract candidates, and entropy, placeholder and validator filters drop look-alikes. Thread-safe.
 */
public final class SecretDetector {
  private static final SecretDetector DEFAULT = new SecretDetector(RulePack.defaults());

  /**
   * How far around a keyword a line pattern looks. Every line pattern is local (a name, a separator and a value of
   * at most a few hundred characters), so regex work is proportional to keyword hits, not to line length.
   */
  private static final int BEFORE = 256;

  private static final int AFTER = 512;
  /** How far a window may grow to reach a token boundary. */
  private static final int BOUNDARY_SLACK = 512;

  private final List<SecretRule> rules;
  private final KeywordIndex keywords;

  public SecretDetector(List<SecretRule> rules) {
    this.rules = List.copyOf(rules);
    this.keywords = new KeywordIndex(this.rules);
  }

  public static SecretDetector defaults() {
    return DEFAULT;
  }

  public List<SecretRule> rules() {
    return rules;
  }

  /** Every credential in {@code text}, in order of position, one per secret occurrence. */
  public List<SecretHit> detect(CharSequence text) {
    var state = new State[1];
    keywords.scan(
        text,
        (end, triggered) -> {
          if (state[0] == null) {
            state[0] = new State(rules.size());
          }
          var st = state[0];
          for (int r = triggered.nextSetBit(0); r >= 0; r = triggered.nextSetBit(r + 1)) {
            var rule = rules.get(r);
            if (rule.extractor().isPresent()
                && !(rule.extractor().get() instanceof UrlUserinfo && st.noUserinfoAt == end)) {
              int[] value = rule.extractor().get().match(text, end);
              if (value == UrlUserinfo.NO_USERINFO) {
                // the URL rules share the keyword: once one saw no userinfo here, the others skip it
                st.noUserinfoAt = end;
                value = null;
              }
              if (value != null) {
                String secret = text.subSequence(value[0], value[1]).toString();
                if (accepted(rule, secret, secret, text)) {
                  st.raw.add(new Candidate(r, value[0], value[1], secret));
                }
              }
            }
            if (rule.patterns().isEmpty()) {
              continue;
            }
            if (rule.fragmentWindow()) {
              st.fragmentRules.set(r);
            } else if (end - BEFORE / 2 < st.coveredFrom[r] || end + AFTER / 2 > st.coveredTo[r]) {
              int[] window = window(text, end);
              st.coveredFrom[r] = window[0];
              st.coveredTo[r] = window[1];
              match(r, text, window[0], window[1], st.raw);
            }
          }
        });
    if (state[0] == null) {
      // most fragments (tensor names, log lines) hold no keyword at all: no allocation beyond this call
      return List.of();
    }
    var st = state[0];
    for (int r = st.fragmentRules.nextSetBit(0); r >= 0; r = st.fragmentRules.nextSetBit(r + 1)) {
      match(r, text, 0, text.length(), st.raw);
    }
    return resolve(text, st.raw);
  }

  /** Per-call bookkeeping, created on the first keyword hit. */
  private static final class State {
    final int[] coveredFrom;
    final int[] coveredTo;
    final BitSet fragmentRules = new BitSet();
    final List<Candidate> raw = new ArrayList<>();
    int noUserinfoAt = -1;

    State(int rules) {
      coveredFrom = new int[rules];
      coveredTo = new int[rules];
    }
  }

  /** A window around a keyword ending at {@code at}: within its line, widened to token boundaries. */
  private static int[] window(CharSequence text, int at) {
    int start = Math.max(0, at - BEFORE);
    int lineStart = at - 1;
    while (lineStart > start && text.charAt(lineStart - 1) != '\n') {
      lineStart--;
    }
    start = Math.max(start, lineStart);
    int floor = Math.max(0, start - BOUNDARY_SLACK);
    while (start > floor && tokenChar(text.charAt(start - 1))) {
      start--;
    }
    int end = Math.min(text.length(), at + AFTER);
    int lineEnd = at;
    while (lineEnd < end && text.charAt(lineEnd) != '\n') {
      lineEnd++;
    }
    end = Math.min(end, lineEnd);
    int ceiling = Math.min(text.length(), end + BOUNDARY_SLACK);
    while (end < ceiling && tokenChar(text.charAt(end))) {
      end++;
    }
    return new int[] {start, end};
  }

  private static boolean tokenChar(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '+' || c == '/'
        || c == '=' || c == '-' || c == '.' || c == '~';
  }

  private record Candidate(int rule, int start, int end, String secret) {}

  private void match(int ruleIndex, CharSequence text, int from, int to, List<Candidate> out) {
    var rule = rules.get(ruleIndex);
    CharSequence region = text.subSequence(from, to);
    for (var pattern : rule.patterns()) {
      if (pattern.requires().isPresent() && !pattern.requires().get().matcher(text).find()) {
        continue;
      }
      Matcher m = pattern.regex().matcher(region);
      while (m.find()) {
        if (m.groupCount() < 1 || m.start(1) < 0) {
          continue;
        }
        String secret = m.group(1).strip();
        if (accepted(rule, secret, m.group(), text)) {
          out.add(new Candidate(ruleIndex, from + m.start(1), from + m.start(1) + m.group(1).length(), secret));
        }
      }
    }
  }

  private static boolean accepted(SecretRule rule, String secret, String match, CharSequence fragment) {
    if (secret.isEmpty() || Placeholders.isPlaceholder(secret)) {
      return false;
    }
    if (rule.mixedCharacters() && !Placeholders.hasLettersAndDigits(secret)) {
      return false;
    }
    if (Entropy.shannon(secret) < rule.minEntropy()) {
      return false;
    }
    return rule.validator().map(v -> v.accepts(secret, match, fragment)).orElse(true);
  }

  /** One hit per span: where rules overlap, the earlier rule in the pack (the more specific one) wins. */
  private List<SecretHit> resolve(CharSequence text, List<Candidate> raw) {
    raw.sort(Comparator.comparingInt(Candidate::rule).thenComparingInt(Candidate::start));
    // taken spans are disjoint, so only the one starting last before a candidate's end can overlap it
    var taken = new java.util.TreeMap<Integer, Candidate>();
    for (var c : raw) {
      var before = taken.floorEntry(c.end() - 1);
      if (before == null || before.getValue().end() <= c.start()) {
        taken.put(c.start(), c);
      }
    }
    if (taken.isEmpty()) {
      return List.of();
    }
    var lines = new LineIndex(text);
    var hits = new ArrayList<SecretHit>();
    for (var c : taken.values()) {
      int line = lines.lineOf(c.start());
      if (Placeholders.allowedInline(lines.lineText(line))) {
        continue;
      }
      hits.add(new SecretHit(rules.get(c.rule()), Redaction.preview(c.secret()), Redaction.digest(c.secret()),
          c.start(), c.end(), line));
    }
    return hits;
  }

  /** Replaces every credential in {@code text} with its redacted preview, for evidence quoted by other checks. */
  public String redact(String text) {
    var hits = detect(text);
    if (hits.isEmpty()) {
      return text;
    }
    var sb = new StringBuilder();
    int pos = 0;
    for (var h : hits) {
      sb.append(text, pos, h.start()).append(h.preview());
      pos = h.end();
    }
    return sb.append(text, pos, text.length()).toString();
  }

  /** Line starts of a fragment, computed once per fragment that has hits. */
  private static final class LineIndex {
    private final CharSequence text;
    private final int[] starts;

    LineIndex(CharSequence text) {
      this.text = text;
      var list = new ArrayList<Integer>();
      list.add(0);
      for (int i = 0; i < text.length(); i++) {
        if (text.charAt(i) == '\n') {
          list.add(i + 1);
        }
      }
      starts = list.stream().mapToInt(Integer::intValue).toArray();
    }

    int lineOf(int offset) {
      int i = java.util.Arrays.binarySearch(starts, offset);
      return (i >= 0 ? i : -i - 2) + 1;
    }

    CharSequence lineText(int line) {
      int start = starts[line - 1];
      int end = line < starts.length ? starts[line] : text.length();
      return text.subSequence(start, end);
    }
  }
}
