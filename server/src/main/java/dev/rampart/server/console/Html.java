package dev.rampart.server.console;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * HTML built safe by default: every {@code String} (or other object) placed in a page is escaped, and only
 * {@link Safe} fragments, which this class builds, go in as markup. Names, metadata and findings come from users and
 * from scanned files, so there is no way to concatenate them into a page unescaped.
 */
final class Html {
  private Html() {}

  /** Markup that this class produced; the only thing inserted without escaping. */
  record Safe(String html) {
    static final Safe EMPTY = new Safe("");

    @Override
    public String toString() {
      return html;
    }
  }

  /** An attribute; its value is always escaped. A null value leaves the attribute out. */
  record Attr(String name, String value) {}

  static Attr attr(String name, Object value) {
    return new Attr(name, value == null ? null : String.valueOf(value));
  }

  static String escape(String s) {
    var b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> {
          if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') {
            b.append('\uFFFD');
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }

  /**
   * An element: {@link Attr}s become attributes, {@link Safe} children go in as markup, iterables and arrays are
   * flattened, nulls are skipped, and anything else is escaped text.
   */
  static Safe el(String tag, Object... parts) {
    var open = new StringBuilder("<").append(tag);
    var body = new StringBuilder();
    for (Object p : parts) {
      add(open, body, p);
    }
    open.append('>');
    if (VOID.containsKey(tag)) {
      return new Safe(open.toString());
    }
    return new Safe(open.append(body).append("</").append(tag).append('>').toString());
  }

  private static final Map<String, Boolean> VOID = Map.of("input", true, "br", true, "meta", true, "link", true,
      "hr", true);

  private static void add(StringBuilder open, StringBuilder body, Object p) {
    switch (p) {
      case null -> { }
      case Attr a -> {
        if (a.value() != null) {
          open.append(' ').append(a.name()).append("=\"").append(escape(a.value())).append('"');
        }
      }
      case Safe s -> body.append(s.html());
      case Iterable<?> items -> items.forEach(i -> add(open, body, i));
      case Object[] items -> {
        for (Object i : items) {
          add(open, body, i);
        }
      }
      default -> body.append(escape(String.valueOf(p)));
    }
  }

  /** Fragments side by side. */
  static Safe join(Object... parts) {
    var b = new StringBuilder();
    for (Object p : parts) {
      add(new StringBuilder(), b, p);
    }
    return new Safe(b.toString());
  }

  /** A path from segments, each URL-encoded, so a name cannot leave its segment. */
  static String path(Object... segments) {
    var b = new StringBuilder();
    for (Object s : segments) {
      b.append('/').append(URLEncoder.encode(String.valueOf(s), StandardCharsets.UTF_8).replace("+", "%20"));
    }
    return b.toString();
  }

  /** A link. */
  static Safe a(String href, Object... children) {
    return el("a", attr("href", href), children);
  }
}
