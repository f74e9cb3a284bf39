package dev.rampart.scan.misconfig;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import dev.rampart.core.Rule;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Pinned versions of ML servers and libraries below their minimum safe version, in requirements and lock files,
 * conda environments, pip commands and container image tags. Only exact pins are judged: a range says nothing
 * about what is installed.
 */
final class VersionFloors {
  record Floor(Rule rule, String floor) {}

  private static final Map<String, Floor> PACKAGES =
      Map.of(
          "ray", new Floor(MisconfigRules.VER_RAY, "2.54.0"),
          "mlflow", new Floor(MisconfigRules.VER_MLFLOW, "3.15.0"),
          "mlflow-skinny", new Floor(MisconfigRules.VER_MLFLOW, "3.15.0"),
          "torchserve", new Floor(MisconfigRules.VER_TORCHSERVE, "0.11.0"),
          "bentoml", new Floor(MisconfigRules.VER_BENTOML, "1.4.8"),
          "clearml", new Floor(MisconfigRules.VER_CLEARML, "1.14.3"),
          "llama-cpp-python", new Floor(MisconfigRules.VER_LLAMA_CPP, "0.2.72"),
          "torch", new Floor(MisconfigRules.VER_TORCH, "2.10"));

  private static final Map<String, Floor> IMAGES =
      Map.of(
          "rayproject/ray", PACKAGES.get("ray"),
          "rayproject/ray-ml", PACKAGES.get("ray"),
          "nvcr.io/nvidia/tritonserver", new Floor(MisconfigRules.VER_TRITON, "25.08"),
          "pytorch/torchserve", PACKAGES.get("torchserve"),
          "ghcr.io/mlflow/mlflow", PACKAGES.get("mlflow"),
          "bentoml/bento-server", PACKAGES.get("bentoml"));

  private static final String NAMES = "ray|mlflow-skinny|mlflow|torchserve|bentoml|clearml|llama[-_]cpp[-_]python|torch";
  private static final String VERSION = "v?([0-9]+(?:\\.[0-9]+)*)";

  /** {@code name==1.2.3}, {@code name[extra]==1.2.3}, conda's {@code - name=1.2.3}; anchored to a line or a quote. */
  private static final Pattern PIN =
      Pattern.compile("(?im)(?:^\\s*-?\\s*|[\"'\\s])(" + NAMES + ")(?:\\[[^\\]\\n]*\\])?\\s*(?:===|==|=)\\s*" + VERSION + "(?:[\\s\"',;#]|$)");
  /** poetry.lock, uv.lock, pdm.lock: a name line followed by a version line. */
  private static final Pattern LOCK_ENTRY =
      Pattern.compile("(?im)^name\\s*=\\s*\"(" + NAMES + ")\"\\s*\\n(?:[^\\n]*\\n){0,3}?version\\s*=\\s*\"" + VERSION + "\"");
  /** Pipfile.lock. */
  private static final Pattern PIPFILE_ENTRY =
      Pattern.compile("(?i)\"(" + NAMES + ")\"\\s*:\\s*\\{[^}]{0,400}?\"version\"\\s*:\\s*\"==" + VERSION + "\"");
  private static final Pattern IMAGE =
      Pattern.compile("(?i)(rayproject/ray-ml|rayproject/ray|nvcr\\.io/nvidia/tritonserver|pytorch/torchserve|ghcr\\.io/mlflow/mlflow|bentoml/bento-server):" + VERSION);

  private static final Pattern PIP_INSTALL = Pattern.compile("(?im)pip3?\\s+install[^\\n]*");

  private static final Set<String> MANIFEST_NAMES =
      Set.of("pyproject.toml", "setup.cfg", "setup.py", "pipfile", "environment.yml", "environment.yaml", "poetry.lock",
          "uv.lock", "pdm.lock", "pipfile.lock", "dockerfile", "containerfile");

  private VersionFloors() {}

  static void check(ConfigFile file, Reporter out) {
    if (isDependencyManifest(file.name())) {
      scan(file, PIN, out);
      scan(file, LOCK_ENTRY, out);
      scan(file, PIPFILE_ENTRY, out);
    } else if (file.mentions("pip install", "pip3 install")) {
      // in scripts and compose files only explicit pip installs count as pins
      Matcher pip = file.matcher(PIP_INSTALL);
      while (pip.find()) {
        Matcher m = PIN.matcher(pip.group());
        while (m.find()) {
          report(m.group(1), m.group(2), m.group().strip(), file.lineOf(pip.start()), out);
        }
      }
    }
    if (!file.mentions("rayproject/", "tritonserver", "pytorch/torchserve", "mlflow/mlflow", "bentoml/")) {
      return;
    }
    Matcher image = file.matcher(IMAGE);
    while (image.find()) {
      Floor floor = IMAGES.get(image.group(1).toLowerCase(Locale.ROOT));
      if (floor != null && older(image.group(2), floor.floor())) {
        out.add(floor.rule(), image.group() + " is older than " + floor.floor(), file.lineOf(image.start()));
      }
    }
  }

  static boolean isDependencyManifest(String name) {
    return MANIFEST_NAMES.contains(name)
        || name.startsWith("requirements") && (name.endsWith(".txt") || name.endsWith(".in"))
        || name.startsWith("constraints") && name.endsWith(".txt")
        || name.startsWith("conda") && (name.endsWith(".yml") || name.endsWith(".yaml"))
        || name.endsWith(".dockerfile");
  }

  private static void scan(ConfigFile file, Pattern p, Reporter out) {
    Matcher m = file.matcher(p);
    while (m.find()) {
      report(m.group(1), m.group(2), m.group().strip(), file.lineOf(m.start()), out);
    }
  }

  private static void report(String name, String version, String evidence, int line, Reporter out) {
    Floor floor = PACKAGES.get(name.toLowerCase(Locale.ROOT).replace('_', '-'));
    if (floor != null && older(version, floor.floor())) {
      out.add(floor.rule(), evidence + " (minimum safe version " + floor.floor() + ")", line);
    }
  }

  /** Numeric, component-wise comparison; missing components count as zero. */
  static boolean older(String version, String floor) {
    List<String> a = List.of(version.split("\\."));
    List<String> b = List.of(floor.split("\\."));
    for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
      long x = i < a.size() ? parse(a.get(i)) : 0;
      long y = i < b.size() ? parse(b.get(i)) : 0;
      if (x != y) {
        return x < y;
      }
    }
    return false;
  }

  private static long parse(String component) {
    try {
      return Long.parseLong(component.length() > 12 ? component.substring(0, 12) : component);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
