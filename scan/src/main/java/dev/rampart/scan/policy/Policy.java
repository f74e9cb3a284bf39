package dev.rampart.scan.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Allow list first: a global is safe only when an exact (module, name) entry says so. Deny-list entries name
 * capabilities that are never safe and raise severity. The lists are versioned data shipped with Rampart; projects
 * add their own entries.
 */
public final class Policy {
  private static final String RESOURCE = "pickle-policy.json";
  private static final Set<String> EXECUTING_NAMES =
      Set.of("eval", "exec", "execfile", "system", "popen", "__import__", "spawnv", "spawnl", "execv", "execve",
          "check_output", "getoutput", "getstatusoutput");
  private static final Policy DEFAULTS = load();

  private final String version;
  private final Map<String, String> allowed;
  private final List<String[]> denied;
  private final Set<String> scannerPackages;
  private final Set<String> modules;
  private final Map<String, Shape> shapes;
  private final Map<String, String> after;
  private final List<AllowEntry> project;

  private Policy(
      String version,
      Map<String, String> allowed,
      List<String[]> denied,
      Set<String> scannerPackages,
      Map<String, Shape> shapes,
      Map<String, String> after,
      List<AllowEntry> project) {
    this.version = version;
    this.allowed = allowed;
    this.denied = denied;
    this.scannerPackages = scannerPackages;
    this.shapes = shapes;
    this.after = after;
    this.project = project;
    var known = new HashSet<String>();
    for (String dotted : allowed.keySet()) {
      known.add(dotted.substring(0, dotted.lastIndexOf('.')));
    }
    this.modules = Set.copyOf(known);
  }

  /**
   * A gadget a framework itself pickles, allowed only in the exact form it writes. {@code form} says which:
   * {@code attribute-read} ({@code getattr} of an imported global and a constant name), {@code constant-argument}
   * (one constant string argument from {@code arguments}), {@code forwards-global} (the first argument is an imported
   * global, which the callable calls and which is judged on its own).
   */
  public record Shape(String id, String callable, String form, Set<String> arguments, String seen, String reason) {}

  public static Policy defaults() {
    return DEFAULTS;
  }

  public Policy withProjectAllows(List<AllowEntry> entries) {
    var all = new ArrayList<>(project);
    all.addAll(entries);
    return new Policy(version, allowed, denied, scannerPackages, shapes, after, List.copyOf(all));
  }

  /**
   * The project's unpinned entries that can never take effect, each with why: an entry without a sha256 pin does not
   * override the deny list or the scanner-tampering list, so such an entry would otherwise be ignored in silence.
   */
  public List<String> ineffectiveAllows() {
    var out = new ArrayList<String>();
    for (AllowEntry e : project) {
      if (e.sha256().isPresent()) {
        continue;
      }
      int dot = e.global().lastIndexOf('.');
      String module = dot < 0 ? e.global() : e.global().substring(0, dot);
      String name = dot < 0 ? "" : e.global().substring(dot + 1);
      switch (classify(module, name, () -> "")) {
        case Verdict.Denied d -> out.add(e.global() + " is on the deny list (" + d.entry() + ": " + d.why()
            + "); only an entry pinned to one file with its sha256 can allow it");
        case Verdict.Tampering t -> out.add(e.global() + " belongs to the scanning tool " + t.pkg()
            + ", which a model never needs; only an entry pinned to one file with its sha256 can allow it");
        case Verdict.Allowed a -> { }
        case Verdict.NotListed n -> { }
      }
    }
    return out;
  }

  public String version() {
    return version;
  }

  public List<AllowEntry> projectAllows() {
    return project;
  }

  /**
   * Whether importing {@code module} is known to be harmless: some allow-list entry, shipped or the project's, names
   * a global in exactly this module. Importing any other module runs code nobody reviewed.
   */
  public boolean knowsModule(String module) {
    if (modules.contains(module)) {
      return true;
    }
    for (AllowEntry e : project) {
      if (e.global().startsWith(module + ".")) {
        return true;
      }
    }
    return false;
  }

  /**
   * The module prefix an earlier global of the same stream must come from for the derived entry {@code dotted} to
   * hold: a bare module name such as {@code _loss} resolves safely only once the package that registers it was
   * imported, and would otherwise be searched for on {@code sys.path}.
   */
  public java.util.Optional<String> requiredEarlierImport(String dotted) {
    return java.util.Optional.ofNullable(after.get(dotted));
  }

  /** The framework-written gadget shape this policy version accepts for {@code callable}, if any. */
  public java.util.Optional<Shape> shapeFor(String callable) {
    return java.util.Optional.ofNullable(shapes.get(callable));
  }

  /**
   * Judges {@code module.name}. The name may be dotted; every dotted suffix is checked against the deny list too,
   * because {@code pathlib.os.system} reaches {@code os.system}.
   *
   * @param fileSha256 the outer file's digest, computed only when a pinned project entry needs it
   */
  public Verdict classify(String module, String name, Supplier<String> fileSha256) {
    String dotted = name.isEmpty() ? module : module + "." + name;
    String root = module.contains(".") ? module.substring(0, module.indexOf('.')) : module;
    if (scannerPackages.contains(root)) {
      return new Verdict.Tampering(root);
    }
    for (AllowEntry e : project) {
      if (e.global().equals(dotted) && e.sha256().isPresent() && e.sha256().get().equals(fileSha256.get())) {
        return new Verdict.Allowed("project");
      }
    }
    // curated exact entries win over deny prefixes: torch.jit._pickle.build_intlist is safe, torch.jit.load is not
    var profile = allowed.get(dotted);
    if (profile != null) {
      return new Verdict.Allowed(profile);
    }
    // TorchScript archives name their compiled classes __torch__.*; no Python module has that name, so a Python
    // unpickler cannot import them, and torch.jit.load resolves them to TorchScript code that is checked separately
    if (module.equals("__torch__") || module.startsWith("__torch__.")) {
      return new Verdict.Allowed("torchscript");
    }
    for (String candidate : candidates(module, name)) {
      for (String[] d : denied) {
        if (candidate.equals(d[0]) || candidate.startsWith(d[0] + ".")) {
          return new Verdict.Denied(d[0], d[1]);
        }
      }
    }
    String last = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1) : name;
    if (EXECUTING_NAMES.contains(last)) {
      // after a module's namespace is rewritten (numpy.__builtins__), any module can hand out eval or system
      return new Verdict.Denied("*." + last, "executes code or commands under any module name");
    }
    for (AllowEntry e : project) {
      if (e.global().equals(dotted) && e.sha256().isEmpty()) {
        return new Verdict.Allowed("project");
      }
    }
    return new Verdict.NotListed();
  }

  /** The full dotted name, and every suffix of the qualname that still has a module part. */
  static List<String> candidates(String module, String name) {
    var out = new ArrayList<String>();
    out.add(name.isEmpty() ? module : module + "." + name);
    if (name.isEmpty()) {
      return out;
    }
    String[] parts = name.split("\\.");
    for (int i = 0; i + 1 < parts.length; i++) {
      out.add(String.join(".", java.util.Arrays.copyOfRange(parts, i, parts.length)));
    }
    return out;
  }

  private static Policy load() {
    try (InputStream in = Policy.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("policy resource missing: " + RESOURCE);
      }
      JsonNode root = new ObjectMapper().readTree(in);
      var allowed = new HashMap<String, String>();
      var after = new HashMap<String, String>();
      root.get("allow")
          .fields()
          .forEachRemaining(
              profile ->
                  profile.getValue()
                      .fields()
                      .forEachRemaining(
                          module ->
                              module.getValue()
                                  .forEach(n -> allowed.put(module.getKey() + "." + n.asText(), profile.getKey()))));
      // entries derived from recordings of real libraries: each group names the versions it was seen in and why
      for (JsonNode group : root.path("derived")) {
        for (String field : List.of("module", "names", "seen", "reason", "profile")) {
          if (!group.hasNonNull(field)) {
            throw new IllegalStateException("derived policy entry without " + field + ": " + group);
          }
        }
        String module = group.get("module").asText();
        group.get("names").forEach(n -> allowed.put(module + "." + n.asText(), group.get("profile").asText()));
        if (group.hasNonNull("after")) {
          group.get("names").forEach(n -> after.put(module + "." + n.asText(), group.get("after").asText()));
        }
      }
      var shapes = new HashMap<String, Shape>();
      for (JsonNode s : root.path("shapes")) {
        var arguments = new HashSet<String>();
        s.path("arguments").forEach(a -> arguments.add(a.asText()));
        var shape = new Shape(s.get("id").asText(), s.get("callable").asText(), s.get("form").asText(),
            Set.copyOf(arguments), s.get("seen").asText(), s.get("reason").asText());
        if (!Set.of("attribute-read", "constant-argument", "forwards-global").contains(shape.form())) {
          throw new IllegalStateException("unknown shape form " + shape.form() + " in " + shape.id());
        }
        shapes.put(shape.callable(), shape);
      }
      var denied = new ArrayList<String[]>();
      root.get("deny").forEach(d -> denied.add(new String[] {d.get("name").asText(), d.get("why").asText()}));
      var scanners = new HashSet<String>();
      root.get("scannerPackages").forEach(s -> scanners.add(s.asText()));
      return new Policy(root.get("version").asText(), Map.copyOf(allowed), List.copyOf(denied), Set.copyOf(scanners),
          Map.copyOf(shapes), Map.copyOf(after), List.of());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
