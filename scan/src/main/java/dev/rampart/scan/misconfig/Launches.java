package dev.rampart.scan.misconfig;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The processes a configuration file starts, as argument vectors with their environment and network exposure:
 * compose services ({@code command}/{@code entrypoint} in string, list and {@code sh -c} forms, {@code ports},
 * {@code network_mode}), Kubernetes containers ({@code command} + {@code args}, {@code env}), Dockerfile and
 * Python exec arrays, and shell lines (joined continuations, variables assigned in the same script).
 */
final class Launches {
  /** A started process. {@code exposed} is false only when we can show that no other host reaches it. */
  record Launch(List<String> argv, Map<String, String> env, boolean exposed, int line) {}

  private static final int MAX_LAUNCHES = 1024;
  /** Where a continued line was joined, so the line count survives the join. */
  static final char CONTINUATION = '\u000b';
  private static final Pattern ASSIGNMENT =
      Pattern.compile("(?m)^\\s*(?:export\\s+)?([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"\\n]*\"|'[^'\\n]*'|[^\\s;#]*)");
  private static final Pattern EXEC_ARRAY = Pattern.compile("\\[\\s*[\"'][^\\]\\n]{0,1000}\\]");
  private static final ObjectMapper LENIENT =
      JsonMapper.builder().enable(JsonReadFeature.ALLOW_SINGLE_QUOTES).enable(JsonReadFeature.ALLOW_TRAILING_COMMA).build();

  private Launches() {}

  /** Every launch in the file whose text mentions {@code program}. */
  static List<Launch> of(ConfigFile file, String program) {
    var out = new ArrayList<Launch>();
    var compose = file.compose();
    if (compose.isPresent()) {
      compose(file, compose.get(), out);
      return out;
    }
    for (JsonNode doc : file.manifests()) {
      containers(file, doc, out, 0);
    }
    Map<String, String> vars = variables(file.text());
    String text = file.text().toString();
    Matcher arrays = EXEC_ARRAY.matcher(text);
    while (arrays.find() && out.size() < MAX_LAUNCHES) {
      if (arrays.group().contains(program)) {
        List<String> argv = stringList(parse(arrays.group()));
        if (!argv.isEmpty()) {
          int line = file.lineOf(arrays.start());
          ShellWords.commands(argv, vars).forEach(a -> out.add(new Launch(a, vars, true, line)));
        }
      }
    }
    int physical = 1;
    for (String logical : logicalLines(text)) {
      if (logical.contains(program) && out.size() < MAX_LAUNCHES) {
        int line = physical;
        ShellWords.commands(logical, vars).forEach(a -> out.add(new Launch(a, vars, true, line)));
      }
      physical += 1 + (int) logical.chars().filter(c -> c == CONTINUATION).count();
    }
    return out;
  }

  private static void compose(ConfigFile file, JsonNode root, List<Launch> out) {
    for (var it = root.path("services").fields(); it.hasNext() && out.size() < MAX_LAUNCHES; ) {
      var service = it.next();
      JsonNode s = service.getValue();
      Map<String, String> env = environment(s.path("environment"));
      boolean exposed = "host".equals(s.path("network_mode").asText()) || published(s.path("ports"));
      int line = file.lineOf(service.getKey() + ":");
      List<String> entry = words(s.path("entrypoint"), env);
      if (s.path("command").isTextual()) {
        // a string command is split like a shell line, and may itself run sh -c
        var shell = ShellWords.commands(s.path("command").asText(), env);
        if (entry.isEmpty()) {
          shell.forEach(a -> out.add(new Launch(a, env, exposed, line)));
        } else {
          var joined = new ArrayList<String>(entry);
          shell.forEach(joined::addAll);
          ShellWords.commands(joined, env).forEach(a -> out.add(new Launch(a, env, exposed, line)));
        }
      } else {
        var argv = new ArrayList<String>(entry);
        argv.addAll(stringList(s.path("command")));
        ShellWords.commands(argv, env).forEach(a -> out.add(new Launch(a, env, exposed, line)));
      }
    }
  }

  /** Kubernetes containers anywhere in a document: command + args, with literal env values. */
  private static void containers(ConfigFile file, JsonNode node, List<Launch> out, int depth) {
    if (depth > 12 || !node.isContainerNode() || out.size() >= MAX_LAUNCHES) {
      return;
    }
    if (node.isObject() && (node.has("command") || node.has("args")) && (node.has("image") || node.has("name"))) {
      var env = new HashMap<String, String>();
      for (JsonNode e : node.path("env")) {
        if (e.path("value").isValueNode()) {
          env.put(e.path("name").asText(), e.path("value").asText());
        }
      }
      var argv = new ArrayList<String>(stringList(node.path("command")));
      argv.addAll(stringList(node.path("args")));
      int line = file.lineOf(node.path("name").asText("command"));
      ShellWords.commands(argv, env).forEach(a -> out.add(new Launch(a, env, true, line)));
    }
    for (JsonNode child : node) {
      containers(file, child, out, depth + 1);
    }
  }

  /** Compose {@code ports}: any entry not bound to a loopback address publishes the service. */
  static boolean published(JsonNode ports) {
    for (JsonNode p : ports) {
      String hostIp;
      if (p.isObject()) {
        if (p.path("published").isMissingNode() && p.path("target").isMissingNode()) {
          continue;
        }
        hostIp = p.path("host_ip").asText("");
      } else {
        String spec = p.asText();
        int slash = spec.indexOf('/');
        spec = slash < 0 ? spec : spec.substring(0, slash);
        int lastColon = spec.lastIndexOf(':');
        int hostColon = lastColon < 0 ? -1 : spec.lastIndexOf(':', lastColon - 1);
        hostIp = hostColon < 0 ? "" : spec.substring(0, hostColon);
      }
      hostIp = hostIp.replace("[", "").replace("]", "");
      if (!loopback(hostIp)) {
        return true;
      }
    }
    return false;
  }

  static boolean loopback(String host) {
    return host.startsWith("127.") || host.equals("::1") || host.equalsIgnoreCase("localhost");
  }

  static boolean allInterfaces(String host) {
    String h = host.replace("[", "").replace("]", "");
    return h.equals("0.0.0.0") || h.equals("::") || h.equals("*") || h.equals("0");
  }

  private static Map<String, String> environment(JsonNode env) {
    var out = new LinkedHashMap<String, String>();
    if (env.isObject()) {
      env.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText()));
    } else {
      for (JsonNode e : env) {
        String s = e.asText();
        int eq = s.indexOf('=');
        if (eq > 0) {
          out.put(s.substring(0, eq), s.substring(eq + 1));
        }
      }
    }
    return out;
  }

  private static List<String> words(JsonNode node, Map<String, String> env) {
    if (node.isTextual()) {
      var commands = ShellWords.commands(node.asText(), env);
      return commands.isEmpty() ? List.of() : commands.get(0);
    }
    return stringList(node);
  }

  private static List<String> stringList(JsonNode node) {
    var out = new ArrayList<String>();
    if (node != null && node.isArray()) {
      node.forEach(n -> out.add(n.asText()));
    }
    return out;
  }

  private static JsonNode parse(String array) {
    try {
      return LENIENT.readTree(array);
    } catch (Exception e) {
      return null;
    }
  }

  /** Simple {@code NAME=value} assignments of a script, for expanding {@code $NAME} in its commands. */
  static Map<String, String> variables(CharSequence text) {
    var vars = new HashMap<String, String>();
    Matcher m = ASSIGNMENT.matcher(text);
    while (m.find() && vars.size() < 512) {
      String v = m.group(2);
      if (v.length() >= 2 && (v.startsWith("\"") || v.startsWith("'"))) {
        v = v.substring(1, v.length() - 1);
      }
      vars.put(m.group(1), v);
    }
    return vars;
  }

  /** Lines with backslash continuations joined; each keeps the length of its source lines for offsets. */
  private static List<String> logicalLines(String text) {
    var out = new ArrayList<String>();
    var current = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      if (line.endsWith("\\")) {
        // the backslash becomes a blank and the line break a marker the shell splitter reads as a blank
        current.append(line, 0, line.length() - 1).append(' ').append(CONTINUATION);
        continue;
      }
      current.append(line);
      out.add(current.toString());
      current.setLength(0);
    }
    if (!current.isEmpty()) {
      out.add(current.toString());
    }
    return out;
  }
}
