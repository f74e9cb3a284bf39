package dev.rampart.data.learn;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Lower-cased word tokens of a text value; anything that is not a letter or digit separates words. */
public final class Tokens {
  private Tokens() {}

  public static List<String> words(String text) {
    var out = new ArrayList<String>();
    int start = -1;
    for (int i = 0; i <= text.length(); i++) {
      boolean word = i < text.length() && Character.isLetterOrDigit(text.charAt(i));
      if (word && start < 0) {
        start = i;
      } else if (!word && start >= 0) {
        out.add(text.substring(start, i).toLowerCase(Locale.ROOT));
        start = -1;
      }
    }
    return out;
  }
}
