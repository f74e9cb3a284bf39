package dev.rampart.scan.misconfig;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What {@code mlflow server} (or {@code mlflow ui}) binds and whether an authentication app wraps it, read from its
 * argument vector as MLflow's CLI reads it: {@code --host}/{@code -h} (default 127.0.0.1, or {@code MLFLOW_HOST}),
 * and {@code --app-name} (basic-auth, or a plugin's app such as an OIDC one).
 */
record MlflowLaunch(String host, Optional<String> app) {
  private static final Set<String> SUBCOMMANDS = Set.of("server", "ui");
  private static final String DEFAULT_HOST = "127.0.0.1";

  boolean unauthenticatedOnAllInterfaces() {
    return Launches.allInterfaces(host) && app.isEmpty();
  }

  static Optional<MlflowLaunch> read(List<String> argv, Map<String, String> env) {
    for (int i = 0; i + 1 < argv.size(); i++) {
      String word = argv.get(i);
      String program = word.substring(word.lastIndexOf('/') + 1);
      if ((program.equals("mlflow") || program.equals("mlflow.exe")) && SUBCOMMANDS.contains(argv.get(i + 1))) {
        return Optional.of(options(argv.subList(i + 2, argv.size()), env));
      }
    }
    return Optional.empty();
  }

  private static MlflowLaunch options(List<String> args, Map<String, String> env) {
    String host = env.getOrDefault("MLFLOW_HOST", DEFAULT_HOST);
    Optional<String> app = Optional.empty();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      String next = i + 1 < args.size() ? args.get(i + 1) : "";
      if (a.equals("--host") || a.equals("-h")) {
        host = next;
        i++;
      } else if (a.startsWith("--host=")) {
        host = a.substring("--host=".length());
      } else if (a.equals("--app-name")) {
        app = next.isBlank() ? app : Optional.of(next);
        i++;
      } else if (a.startsWith("--app-name=")) {
        String value = a.substring("--app-name=".length());
        app = value.isBlank() ? app : Optional.of(value);
      }
    }
    return new MlflowLaunch(host, app);
  }
}
