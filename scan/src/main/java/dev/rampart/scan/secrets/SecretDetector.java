package dev.rampart.scan.secrets;

import com.google.re2j.Matcher;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds credentials in text: the keyword automaton picks the lines (or fragments) worth a look, RE2 patterns
 * extract candidates, and entropy, placeholder and validator filters drop look-alikes. Thread-safe.
 */
public final class SecretDetector {
  private static final SecretDetector DEFAULT = new SecretDetector(RulePack.defaults());

  /** Longest line a line-window pattern is run on; longer lines are cut into windows that overlap by a token. */
  private static final int MAX_LINE_WINDOW = 64 * 1024;

  private static final int WINDOW_OVERLAP = 512;

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
    var lineWindows = new HashSet<Long>();
    var fragmentRules = new BitSet();
    var raw = new ArrayList<Candidate>();
    keywords.scan(
        text,
        (end, triggered) -> {
          for (int r = triggered.nextSetBit(0); r >= 0; r = triggered.nextSetBit(r + 1)) {
            if (rules.get(r).fragmentWindow()) {
              fragmentRules.set(r);
            } else {
              int[] window = window(text, end - 1);
              if (lineWindows.add(((long) r << 32) | window[0])) {
                match(r, text, window[0], window[1], raw);
              }
            }
          }
        });
    for (int r = fragmentRules.nextSetBit(0); r >= 0; r = fragmentRules.nextSetBit(r + 1)) {
      match(r, text, 0, text.length(), raw);
    }
    return resolve(text, raw);
  }

  private static int[] window(CharSequence text, int at) {
    int start = at;
    int floor = Math.max(0, at - MAX_LINE_WINDOW / 2);
    while (start > floor && text.charAt(start - 1) != '\n') {
      start--;
    }
    int end = at;
    int ceiling = Math.min(text.length(), at + MAX_LINE_WINDOW / 2);
    while (end < ceiling && text.charAt(end) != '\n') {
      end++;
    }
    if (start == floor && floor > 0) {
      start = Math.max(0, start - WINDOW_OVERLAP);
    }
    return new int[] {start, end};
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
        if (accepted(rule, secret)) {
          out.add(new Candidate(ruleIndex, from + m.start(1), from + m.start(1) + m.group(1).length(), secret));
        }
      }
    }
  }

  private static boolean accepted(SecretRule rule, String secret) {
    if (secret.isEmpty() || Placeholders.isPlaceholder(secret)) {
      return false;
    }
    if (rule.mixedCharacters() && !Placeholders.hasLettersAndDigits(secret)) {
      return false;
    }
    if (Entropy.shannon(secret) < rule.minEntropy()) {
      return false;
    }
    return rule.validator().map(v -> v.accepts(secret)).orElse(true);
  }

  /** One hit per span: where rules overlap, the earlier rule in the pack (the more specific one) wins. */
  private List<SecretHit> resolve(CharSequence text, List<Candidate> raw) {
    raw.sort(Comparator.comparingInt(Candidate::rule).thenComparingInt(Candidate::start));
    var taken = new ArrayList<Candidate>();
    Set<Long> spans = new HashSet<>();
    for (var c : raw) {
      boolean overlaps = taken.stream().anyMatch(t -> t.start() < c.end() && c.start() < t.end());
      if (!overlaps && spans.add(((long) c.start() << 32) | c.end())) {
        taken.add(c);
      }
    }
    if (taken.isEmpty()) {
      return List.of();
    }
    taken.sort(Comparator.comparingInt(Candidate::start));
    var lines = new LineIndex(text);
    var hits = new ArrayList<SecretHit>();
    for (var c : taken) {
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
