package dev.rampart.cli.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Docs are tests: every shell command in the README and {@code docs/} runs, in order, against the packaged jar (not
 * the test classpath) in a fresh copy of the repository's files, and must end with the exit code its page promises
 * (see {@link DocBlocks} for the directives). A documented command that fails is a failing build.
 */
class DocsIT {
  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  private static final Path JAR = REPO.resolve("cli/target/rampart.jar");
  private static final Pattern EXPORT = Pattern.compile("\\bexport\\s+((?:[A-Z_][A-Z0-9_]*=\\S+\\s*)+)");
  private static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);
  private static final Pattern ASSIGNMENTS = Pattern.compile("(?:[A-Za-z_][A-Za-z0-9_]*=[^\\s;|&`'\"]*\\s*)+");
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)}?");

  @TestFactory
  Stream<DynamicTest> everyDocumentedCommandRuns() throws IOException {
    assertThat(JAR).as("the packaged jar; run 'mvn verify' (the jar is built in the package phase)").exists();
    var pages = new ArrayList<Path>();
    pages.add(REPO.resolve("README.md"));
    try (Stream<Path> docs = Files.walk(REPO.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
    }
    String only = System.getProperty("docs.pages", ""); // -Ddocs.pages=monitoring runs the pages whose path has it
    return pages.stream().filter(p -> p.toString().contains(only)).map(page -> DynamicTest.dynamicTest(REPO.relativize(page).toString(), () -> run(page)));
  }

  private void run(Path page) throws Exception {
    DocBlocks doc = DocBlocks.read(page);
    if (doc.blocks().isEmpty()) {
      return;
    }
    Path work = workspace();
    Path logs = Files.createTempDirectory("rampart-docs-logs-"); // outside the workspace, which commands scan
    Files.createDirectories(logs.resolve("home"));
    var env = new HashMap<String, String>();
    env.put("HOME", logs.resolve("home").toString());
    env.put("CI", "true");
    env.put("NO_COLOR", "1");
    env.put("LLM_API_KEY", "docs-test-key");
    var failures = new ArrayList<String>();
    Process background = null;
    // the pages' LLM examples talk to an OpenAI-compatible endpoint on port 8000: a real one that holds its ground
    try (var chat = new dev.rampart.eval.llm.SimulatedChatServer(
        dev.rampart.eval.llm.SimulatedChatServer.Behaviour.HARDENED, 8000)) {
      for (DocBlocks.Block block : doc.blocks()) {
        if (block.directive().containsKey("skip")) {
          System.err.println("docs-test: " + block.where() + " skipped: " + block.directive().get("skip"));
          continue;
        }
        var output = new StringBuilder();
        for (int i = 0; i < block.commands().size(); i++) {
          String command = block.commands().get(i);
          if (command.startsWith("./mvnw")) {
            continue; // the build that runs this test
          }
          if (ASSIGNMENTS.matcher(command).matches()) {
            assign(command, env); // `oms=path`: later commands of the page use $oms, as in the reader's shell
            continue;
          }
          if (i == 0 && block.directive().containsKey("background")) {
            stop(background);
            background = start(work, logs, env, command, Pattern.compile(block.directive().get("background")),
                block, failures);
            continue;
          }
          Result r = execute(work, logs, env, command, timeout(block));
          output.append(r.output());
          exports(r.output(), env);
          if (r.exit() != block.expectedExit(i)) {
            failures.add(block.where() + ": `" + command + "` exited " + r.exit() + ", the page promises "
                + block.expectedExit(i) + "\n" + tail(r.output()));
          }
        }
        String expect = block.directive().get("expect");
        if (expect != null && !Pattern.compile(expect).matcher(output).find()) {
          failures.add(block.where() + ": output does not contain /" + expect + "/\n" + tail(output.toString()));
        }
      }
    } finally {
      stop(background);
    }
    assertThat(failures).as("documented commands of " + REPO.relativize(page)).isEmpty();
  }

  record Result(int exit, String output) {}

  private static Duration timeout(DocBlocks.Block block) {
    String t = block.directive().get("timeout");
    return t == null ? DEFAULT_TIMEOUT : Duration.ofSeconds(Long.parseLong(t));
  }

  private static ProcessBuilder shell(Path work, Map<String, String> env, String command) {
    var pb = new ProcessBuilder("bash", "-c", command).directory(work.toFile()).redirectErrorStream(true);
    pb.environment().putAll(env);
    return pb;
  }

  private static Result execute(Path work, Path logs, Map<String, String> env, String command, Duration timeout)
      throws Exception {
    Path log = Files.createTempFile(logs, "cmd", ".log");
    Process p = shell(work, env, command).redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(
        Path.of("/dev/null").toFile())).start();
    if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
      stop(p);
      return new Result(-1, Files.readString(log, StandardCharsets.UTF_8) + "\n(timed out after " + timeout + ")");
    }
    return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  /** Starts a long-running command and waits until its output says it is ready. */
  private static Process start(Path work, Path logs, Map<String, String> env, String command, Pattern ready,
      DocBlocks.Block block, List<String> failures) throws Exception {
    // the command replaces the shell (so stopping it stops the server): anything chained after it would never run
    String code = command.replaceFirst("\\s#.*$", "");
    if (code.contains("&&") || code.contains("||") || code.contains(";")) {
      failures.add(block.where() + ": `" + command + "` chains commands in a background block, which runs only the"
          + " first; give the others a block of their own");
      return null;
    }
    Path log = Files.createTempFile(logs, "bg", ".log");
    Process p = shell(work, env, "exec " + command).redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (System.nanoTime() < deadline) {
      String out = Files.readString(log, StandardCharsets.UTF_8);
      if (ready.matcher(out).find()) {
        Thread.sleep(300); // let the lines after the ready line (the exports) arrive
        exports(Files.readString(log, StandardCharsets.UTF_8), env);
        return p;
      }
      if (!p.isAlive()) {
        failures.add(block.where() + ": `" + command + "` stopped with exit " + p.exitValue() + " before it was ready\n"
            + tail(out));
        return null;
      }
      Thread.sleep(200);
    }
    failures.add(block.where() + ": `" + command + "` was not ready within 3 minutes\n"
        + tail(Files.readString(log, StandardCharsets.UTF_8)));
    stop(p);
    return null;
  }

  static void assign(String command, Map<String, String> env) {
    for (String pair : command.trim().split("\\s+")) {
      int eq = pair.indexOf('=');
      Matcher v = VARIABLE.matcher(pair.substring(eq + 1));
      env.put(pair.substring(0, eq), v.replaceAll(m -> Matcher.quoteReplacement(env.getOrDefault(m.group(1), ""))));
    }
  }

  /** Applies {@code export NAME=value ...} lines a command printed, as a reader would paste them. */
  static void exports(CharSequence output, Map<String, String> env) {
    Matcher m = EXPORT.matcher(output);
    while (m.find()) {
      for (String pair : m.group(1).trim().split("\\s+")) {
        int eq = pair.indexOf('=');
        env.put(pair.substring(0, eq), pair.substring(eq + 1));
      }
    }
  }

  private static void stop(Process p) throws InterruptedException {
    if (p == null) {
      return;
    }
    p.descendants().forEach(ProcessHandle::destroy);
    p.destroy();
    if (!p.waitFor(20, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly().waitFor();
    }
  }

  private static String tail(String output) {
    String[] lines = output.split("\n");
    int from = Math.max(0, lines.length - 25);
    return "    | " + String.join("\n    | ", java.util.Arrays.copyOfRange(lines, from, lines.length));
  }

  /** A fresh copy of the repository's files (tracked and new, not ignored), with a {@code ./rampart} that runs the jar. */
  private static Path workspace() throws Exception {
    Path work = Files.createTempDirectory("rampart-docs-");
    Process ls = new ProcessBuilder("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
        .directory(REPO.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String listing = new String(ls.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(ls.waitFor()).as("git ls-files in " + REPO).isZero();
    for (String name : listing.split("\0")) {
      if (name.isEmpty()) {
        continue;
      }
      Path from = REPO.resolve(name);
      if (!Files.isRegularFile(from) || name.equals("rampart")) {
        continue;
      }
      Path to = work.resolve(name);
      Files.createDirectories(to.getParent());
      Files.copy(from, to);
    }
    String java = ProcessHandle.current().info().command().orElse("java");
    String opts = Runtime.version().feature() >= 24 ? "--sun-misc-unsafe-memory-access=allow " : "";
    Path launcher = work.resolve("rampart");
    Files.writeString(launcher, "#!/usr/bin/env bash\nexec '" + java + "' " + opts + "-jar '" + JAR + "' \"$@\"\n");
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    return work;
  }
}
