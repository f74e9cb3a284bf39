package dev.rampart.scan.jinja;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a template the way Jinja's own lexer does: text, comments, raw blocks and tags, where a tag ends only at a
 * closing delimiter outside string literals and outside open brackets. A scanner that ended {@code {{ '}}' ~ x }} at
 * the first {@code }}} would read the rest of the tag as harmless text while Jinja runs it.
 */
final class JinjaLexer {
  /** A piece of the template: literal text, or a tag's tokens with its whitespace-control marks. */
  sealed interface Piece {
    int offset();
  }

  /** Literal output. {@code afterBlock}: follows a statement tag (trim_blocks may drop its first newline). */
  record Text(String text, int offset, boolean afterBlock, boolean beforeBlock) implements Piece {}

  /** {@code {{ ... }}} (statement false) or {@code {% ... %}} (statement true). */
  record Tag(List<Token> tokens, int offset, boolean statement, boolean stripBefore, boolean stripAfter)
      implements Piece {}

  enum Kind {
    NAME,
    STRING,
    INTEGER,
    FLOAT,
    OP,
  }

  /** A token; a STRING whose escapes Python would refuse or Rampart cannot resolve has a null text. */
  record Token(Kind kind, String text) {}

  static final class LexException extends Exception {
    LexException(String m) {
      super(m);
    }
  }

  private static final Pattern RAW =
      Pattern.compile("\\{%[-+]?\\s*raw\\s*[-+]?%}(.*?)\\{%[-+]?\\s*endraw\\s*[-+]?%}",
          Pattern.DOTALL | Pattern.UNICODE_CHARACTER_CLASS);
  private static final Pattern INTEGER = Pattern.compile(
      "(?i)0b(_?[01])+|0o(_?[0-7])+|0x(_?[0-9a-f])+|[1-9](_?\\d)*|0(_?0)*", Pattern.UNICODE_CHARACTER_CLASS);
  private static final Pattern FLOAT =
      Pattern.compile("(?i)(\\d+_)*\\d+((\\.(\\d+_)*\\d+)?e[+\\-]?(\\d+_)*\\d+|\\.(\\d+_)*\\d+)",
          Pattern.UNICODE_CHARACTER_CLASS);
  private static final List<String> OPERATORS = List.of("//", "**", "==", "!=", ">=", "<=", "+", "-", "/", "*",
      "%", "~", "[", "]", "(", ")", "{", "}", ">", "<", "=", ".", ":", "|", ",", ";");

  private final String src;
  private final int maxTokens;
  private int pos;
  private int tokenCount;
  private boolean afterBlock;

  private JinjaLexer(String src, int maxTokens) {
    this.src = src;
    this.maxTokens = maxTokens;
  }

  static List<Piece> lex(String template, int maxTokens) throws LexException {
    // Jinja turns \r\n and \r into \n before it lexes (offsets after a \r\n shift by one per line)
    return new JinjaLexer(template.replace("\r\n", "\n").replace('\r', '\n'), maxTokens).run();
  }

  private List<Piece> run() throws LexException {
    var out = new ArrayList<Piece>();
    var text = new StringBuilder();
    int textStart = 0;
    while (pos < src.length()) {
      int open = nextOpen(pos);
      if (open < 0) {
        text.append(src, pos, src.length());
        pos = src.length();
        break;
      }
      text.append(src, pos, open);
      char kind = src.charAt(open + 1);
      if (kind == '%') {
        Matcher raw = RAW.matcher(src).region(open, src.length());
        if (raw.lookingAt()) {
          // raw content is output as it stands, never parsed
          text.append(raw.group(1));
          pos = raw.end();
          continue;
        }
      }
      boolean stripBefore = open + 2 < src.length() && src.charAt(open + 2) == '-';
      if (kind == '#') {
        int end = src.indexOf("#}", open + 2);
        if (end < 0) {
          throw new LexException("comment opened at offset " + open + " is never closed");
        }
        flush(out, text, textStart, stripBefore, true);
        boolean stripAfter = src.charAt(end - 1) == '-';
        pos = end + 2;
        textStart = pos;
        afterBlock = true;
        if (stripAfter) {
          skipWhitespace();
          textStart = pos;
        }
        continue;
      }
      boolean statement = kind == '%';
      flush(out, text, textStart, stripBefore, statement);
      pos = open + 2;
      if (pos < src.length() && (src.charAt(pos) == '-' || src.charAt(pos) == '+')) {
        pos++;
      }
      var tokens = new ArrayList<Token>();
      boolean stripAfter = tagBody(tokens, statement ? '%' : '}', open);
      out.add(new Tag(tokens, open, statement, stripBefore, stripAfter));
      afterBlock = statement;
      if (stripAfter) {
        skipWhitespace();
      }
      textStart = pos;
    }
    flush(out, text, textStart, false, false);
    return out;
  }

  private void flush(List<Piece> out, StringBuilder text, int start, boolean stripEnd, boolean beforeBlock) {
    String t = text.toString();
    if (stripEnd) {
      int end = t.length();
      while (end > 0 && PythonStrings.isSpace(t.charAt(end - 1))) {
        end--;
      }
      t = t.substring(0, end);
    }
    if (!t.isEmpty()) {
      out.add(new Text(t, start, afterBlock, beforeBlock));
    }
    text.setLength(0);
  }

  private void skipWhitespace() {
    while (pos < src.length() && PythonStrings.isSpace(src.charAt(pos))) {
      pos++;
    }
  }

  private int nextOpen(int from) {
    int i = from;
    while (true) {
      int open = src.indexOf('{', i);
      if (open < 0 || open + 1 >= src.length()) {
        return -1;
      }
      char k = src.charAt(open + 1);
      if (k == '{' || k == '%' || k == '#') {
        return open;
      }
      i = open + 1;
    }
  }

  /** Reads tokens up to the tag's end; returns whether the end asks to strip the whitespace after it. */
  private boolean tagBody(List<Token> tokens, char endChar, int open) throws LexException {
    int depth = 0;
    while (true) {
      while (pos < src.length() && PythonStrings.isSpace(src.charAt(pos))) {
        pos++;
      }
      if (pos >= src.length()) {
        throw new LexException("tag opened at offset " + open + " is never closed");
      }
      if (depth == 0) {
        if (src.startsWith("-" + endChar + "}", pos) || src.startsWith("+" + endChar + "}", pos)) {
          boolean strip = src.charAt(pos) == '-';
          pos += 3;
          return strip;
        }
        if (src.startsWith(endChar + "}", pos)) {
          pos += 2;
          return false;
        }
      }
      if (++tokenCount > maxTokens) {
        throw new LexException("template has more than " + maxTokens + " tokens");
      }
      Token t = token();
      if (t.kind() == Kind.OP) {
        switch (t.text()) {
          case "(", "[", "{" -> depth++;
          case ")", "]", "}" -> depth = Math.max(0, depth - 1);
          default -> {}
        }
      }
      tokens.add(t);
    }
  }

  /** Python's {@code \\w}: letters, digits of every kind, combining marks and the underscore. */
  private static boolean nameChar(char c) {
    if (Character.isLetterOrDigit(c) || c == '_') {
      return true;
    }
    int type = Character.getType(c);
    return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
        || type == Character.ENCLOSING_MARK || type == Character.LETTER_NUMBER || type == Character.OTHER_NUMBER;
  }

  private Token token() throws LexException {
    char c = src.charAt(pos);
    if (Character.isLetter(c) || c == '_') {
      int j = pos;
      while (j < src.length() && nameChar(src.charAt(j))) {
        j++;
      }
      String name = src.substring(pos, j);
      pos = j;
      return new Token(Kind.NAME, name);
    }
    if (Character.isDigit(c)) {
      Matcher f = FLOAT.matcher(src).region(pos, src.length());
      // as in Jinja, no float directly after a dot: x.1.2 is two subscripts
      if ((pos == 0 || src.charAt(pos - 1) != '.') && f.lookingAt()) {
        pos = f.end();
        return new Token(Kind.FLOAT, f.group().replace("_", ""));
      }
      Matcher i = INTEGER.matcher(src).region(pos, src.length());
      if (i.lookingAt()) {
        pos = i.end();
        return new Token(Kind.INTEGER, i.group().replace("_", ""));
      }
      throw new LexException("malformed number at offset " + pos);
    }
    if (c == '\'' || c == '"') {
      int j = pos + 1;
      while (j < src.length() && src.charAt(j) != c) {
        j += src.charAt(j) == '\\' ? 2 : 1;
      }
      if (j >= src.length()) {
        throw new LexException("string at offset " + pos + " is never closed");
      }
      String body = src.substring(pos + 1, j);
      pos = j + 1;
      return new Token(Kind.STRING, PythonEscapes.decode(body));
    }
    for (String op : OPERATORS) {
      if (src.startsWith(op, pos)) {
        pos += op.length();
        return new Token(Kind.OP, op);
      }
    }
    throw new LexException("unexpected character '" + c + "' at offset " + pos);
  }
}
