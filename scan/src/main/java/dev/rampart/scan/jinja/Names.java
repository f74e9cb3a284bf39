package dev.rampart.scan.jinja;

import dev.rampart.core.Severity;
import java.util.Set;
import java.util.regex.Pattern;

/** Which attribute and item names lead from a template into Python internals. */
final class Names {
  /** Frame, code and function attributes that are not dunders but reach globals, builtins or bytecode. */
  private static final Set<String> INTERNALS = Set.of("mro", "f_globals", "f_builtins", "f_locals", "f_back",
      "f_code", "gi_frame", "gi_code", "gi_yieldfrom", "cr_frame", "cr_code", "cr_await", "ag_frame", "ag_code",
      "tb_frame", "tb_next", "co_code", "co_consts", "co_names", "func_globals", "func_code", "func_closure",
      "im_func", "im_self", "cell_contents");
  /**
   * Names of modules and functions that run commands or code. Only as attributes: as dictionary keys ('system'
   * is a chat role) they are everyday words, and a subscript reaches them only after an internal was reached.
   */
  private static final Set<String> EXECUTION = Set.of("os", "sys", "subprocess", "builtins", "modules", "popen",
      "system", "eval", "exec", "check_output", "check_call", "getoutput", "getstatusoutput", "spawnl", "spawnlp",
      "spawnv", "spawnvp", "execl", "execle", "execlp", "execv", "execve", "execvp", "import_module",
      "load_module", "fork", "forkpty", "kill", "unlink", "remove", "rmdir", "putenv", "environ");
  private static final Pattern MANGLED = Pattern.compile("_[A-Za-z0-9]\\w*__\\w+");

  private Names() {}

  /** The severity of reaching {@code name} through getattr (attribute true) or a subscript; null if harmless. */
  static Severity classify(String name, boolean attribute) {
    String n = PythonStrings.strip(name);
    if (n.length() > 4 && n.startsWith("__") && n.endsWith("__") || MANGLED.matcher(n).matches()
        || INTERNALS.contains(n) || attribute && EXECUTION.contains(n)) {
      return Severity.CRITICAL;
    }
    if (n.startsWith("_") && n.length() > 1) {
      return Severity.HIGH;
    }
    return null;
  }
}
