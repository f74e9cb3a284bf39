package dev.rampart.scan.secrets;

/**
 * A hand-written matcher run at a keyword hit instead of a regular expression, for rules whose keywords are frequent
 * ({@code token}, {@code ://}): its work is proportional to the construct it reads, not to the line.
 */
sealed interface Extractor permits Assignment, UrlUserinfo {
  /** The secret's span {@code [start, end)} around the keyword ending at {@code keywordEnd}, or {@code null}. */
  int[] match(CharSequence text, int keywordEnd);
}
