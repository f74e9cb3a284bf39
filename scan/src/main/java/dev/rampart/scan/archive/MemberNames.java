package dev.rampart.scan.archive;

import dev.rampart.scan.ScanRules;
import dev.rampart.scan.engine.Target;

/** Checks archive member names for paths that escape the extraction folder. */
final class MemberNames {
  private MemberNames() {}

  static boolean escapes(String name) {
    String n = name.replace('\\', '/');
    if (n.startsWith("/") || n.matches("^[A-Za-z]:.*") || n.startsWith("//")) {
      return true;
    }
    for (String part : n.split("/")) {
      if (part.equals("..")) {
        return true;
      }
    }
    return n.indexOf('\0') >= 0;
  }

  static void check(Target target, String name) {
    if (escapes(name)) {
      target.report(ScanRules.ARCHIVE_PATH_TRAVERSAL, "member '" + printable(name) + "' escapes the extraction folder");
    }
  }

  static String printable(String s) {
    var sb = new StringBuilder();
    for (char c : s.toCharArray()) {
      sb.append(c < 0x20 || c == 0x7f ? '?' : c);
      if (sb.length() > 200) {
        sb.append("...");
        break;
      }
    }
    return sb.toString();
  }
}
