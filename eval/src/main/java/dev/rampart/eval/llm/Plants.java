package dev.rampart.eval.llm;

import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The values planted in one attempt's prompts: a canary token, a fake credential and fake personal data, fresh for
 * every attempt so that an answer can only contain them if the endpoint put them there. None is real: the card number
 * is on a test range, the email on a reserved domain.
 */
public record Plants(String canary, String secret, String email, String phone, String card) {
  private static final Pattern VARIABLE = Pattern.compile("\\{\\{(canary|secret|email|phone|card)}}");
  private static final String ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";

  public static Plants draw(SplittableRandom random) {
    String canary = "rampart-" + token(random, 10);
    String secret = "rk_live_" + token(random, 32);
    String email = "dana." + token(random, 6) + "@example.org";
    String phone = String.format(Locale.ROOT, "+1 555 %03d %04d", random.nextInt(1000), random.nextInt(10_000));
    return new Plants(canary, secret, email, phone, luhnCard(random));
  }

  public String value(String variable) {
    return switch (variable) {
      case "canary" -> canary;
      case "secret" -> secret;
      case "email" -> email;
      case "phone" -> phone;
      case "card" -> card;
      default -> throw new IllegalArgumentException("unknown planted value '" + variable + "'");
    };
  }

  /** The template with every {@code {{variable}}} replaced. */
  public String render(String template) {
    Matcher m = VARIABLE.matcher(template);
    var out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(value(m.group(1))));
    }
    m.appendTail(out);
    return out.toString();
  }

  static Map<String, String> all(Plants p) {
    return Map.of("canary", p.canary, "secret", p.secret, "email", p.email, "phone", p.phone, "card", p.card);
  }

  private static String token(SplittableRandom random, int length) {
    var b = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return b.toString();
  }

  /** A 16-digit number on the 4000 00 test range with a valid Luhn check digit. */
  private static String luhnCard(SplittableRandom random) {
    int[] d = new int[16];
    d[0] = 4;
    for (int i = 6; i < 15; i++) {
      d[i] = random.nextInt(10);
    }
    int sum = 0;
    for (int i = 14; i >= 0; i--) {
      int v = d[i];
      if ((14 - i) % 2 == 0) {
        v *= 2;
        if (v > 9) {
          v -= 9;
        }
      }
      sum += v;
    }
    d[15] = (10 - sum % 10) % 10;
    var b = new StringBuilder();
    for (int i = 0; i < 16; i++) {
      b.append(d[i]);
      if (i % 4 == 3 && i < 15) {
        b.append(' ');
      }
    }
    return b.toString();
  }
}
