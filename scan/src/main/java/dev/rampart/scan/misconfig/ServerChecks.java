package dev.rampart.scan.misconfig;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;

/** Checks on how ML servers are started and configured: command lines, compose files, config files. */
final class ServerChecks {
  private static final Pattern RAY_DASHBOARD_ALL =
      Pattern.compile("(?i)(?:--dashboard-host[= ]+|dashboard_host\\s*=\\s*|dashboard-host[\"']?\\s*:\\s*)[\"']?0\\.0\\.0\\.0");
  /** RAY_AUTH_MODE=token as an export, env file, compose mapping or list entry; Ray >= 2.55's Kubernetes token auth. */
  private static final Pattern RAY_TOKEN_AUTH =
      Pattern.compile("(?i)RAY_AUTH_MODE[\"']?\\s*[:=]\\s*[\"']?token\\b|RAY_ENABLE_K8S_TOKEN_AUTH[\"']?\\s*[:=]\\s*[\"']?(?:true|1)\\b");

  private static final Pattern MLFLOW_BASIC_AUTH_INI = Pattern.compile("(?im)^\\s*admin_password\\s*=");
  private static final Pattern DEFAULT_ADMIN_PASSWORD = Pattern.compile("(?im)^\\s*admin_password\\s*=\\s*password1234\\s*$");
  private static final Pattern DEFAULT_PERMISSION = Pattern.compile("(?im)^\\s*default_permission\\s*=\\s*(\\S+)");
  private static final Pattern FLASK_SECRET =
      Pattern.compile("MLFLOW_FLASK_SERVER_SECRET_KEY[\"']?\\s*[:=]\\s*[\"']?([^\\s\"'$][^\\s\"']*)");
  private static final Pattern MLFLOW_WEAK_MIDDLEWARE =
      Pattern.compile("(?i)--allowed-hosts[= ]+[\"']?\\*|--cors-allowed-origins[= ]+[\"']?\\*|--disable-security-middleware|--gunicorn-opts|--waitress-opts"
          + "|MLFLOW_SERVER_(?:ALLOWED_HOSTS|CORS_ALLOWED_ORIGINS)[\"']?\\s*[:=]\\s*[\"']?\\*|MLFLOW_SERVER_DISABLE_SECURITY_MIDDLEWARE[\"']?\\s*[:=]\\s*[\"']?(?:true|1)\\b");
  private static final Pattern MLFLOW_URI_USERINFO =
      Pattern.compile("(?i)(?:--backend-store-uri|--default-artifact-root|MLFLOW_TRACKING_URI)[\"']?(?:\\s*[:=]\\s*|\\s+)[\"']?[a-z0-9+]+://[^\\s:/@\"']+:[^\\s@/\"'$]+@");

  private static final Pattern TS_ADDRESS_ALL =
      Pattern.compile("(?im)^\\s*(inference|management|metrics)_address\\s*=\\s*https?://(?:0\\.0\\.0\\.0|\\[::\\])");
  private static final Pattern TS_MANAGEMENT =
      Pattern.compile("(?im)^\\s*management_address\\s*=\\s*(?:https?|unix)://(\\[[^\\]]*\\]|[^:/\\s]*)");
  private static final Pattern TS_CONFIG = Pattern.compile("(?im)^\\s*(?:inference_address|management_address|model_store)\\s*=");
  private static final Pattern TS_NO_AUTH =
      Pattern.compile("(?i)disable_token_authorization\\s*=\\s*true|--disable-token-auth|TS_DISABLE_TOKEN_AUTHORIZATION[\"']?\\s*[:=]\\s*[\"']?true|enable_model_api\\s*=\\s*true");
  private static final Pattern TS_ALLOWED_URLS = Pattern.compile("(?im)^\\s*allowed_urls\\s*=\\s*(.*)$");
  private static final Pattern TORCHSERVE =
      Pattern.compile("(?im)torchserve\\s+--start|pytorch/torchserve|torch-model-archiver|^\\s*torchserve\\b|TS_CONFIG_FILE");

  private static final Pattern TRITON_CONTROL =
      Pattern.compile("(?i)--model-control-mode[= \"',]+(explicit|poll)");
  private static final Pattern TRITON_LOCAL = Pattern.compile("--http-address[= ]+[\"']?127\\.0\\.0\\.1");

  private static final Pattern JUPYTER_EMPTY_TOKEN =
      Pattern.compile("(?i)(?:c\\.(?:NotebookApp|ServerApp|IdentityProvider)\\.token\\s*=\\s*(?:''|\"\")|--(?:NotebookApp|ServerApp|IdentityProvider)\\.token=(?:''|\"\"|\\s|$))");
  private static final Pattern JUPYTER_PASSWORD =
      Pattern.compile("(?i)(?:NotebookApp|ServerApp|PasswordIdentityProvider)\\.(?:hashed_)?password\\s*=\\s*['\"][^'\"]+");
  private static final Pattern JUPYTER_ALL_INTERFACES =
      Pattern.compile("(?i)(?:c\\.(?:NotebookApp|ServerApp)\\.ip\\s*=\\s*['\"](?:0\\.0\\.0\\.0|\\*)['\"]|--ip[= ]+['\"]?(?:0\\.0\\.0\\.0|\\*))");
  private static final Pattern JUPYTER_ROOT_OR_XSRF =
      Pattern.compile("(?i)(?:allow_root\\s*=\\s*True|--allow-root|disable_check_xsrf\\s*=\\s*True)");

  private static final Pattern CLEARML_FILESERVER = Pattern.compile("(?i)clearml[^\\n]*\\n(?:[^\\n]*\\n){0,12}?[^\\n]*fileserver|fileserver[^\\n]*clearml");
  private static final Pattern PUBLISHED_8081 = Pattern.compile("(?m)^\\s*-\\s*[\"']?(?:0\\.0\\.0\\.0:)?8081:8081");

  private ServerChecks() {}

  static void check(ConfigFile file, Reporter out) {
    if (file.mentions("dashboard")) {
      ray(file, out);
    }
    if (file.mentions("mlflow", "admin_password", "default_permission")) {
      mlflow(file, out);
    }
    if (file.mentions("torchserve", "_address", "model_store", "torch-model-archiver", "ts_")) {
      torchServe(file, out);
    }
    if (file.mentions("model-control-mode")) {
      triton(file, out);
    }
    if (file.mentions("notebookapp", "serverapp", "identityprovider", "--ip")) {
      jupyter(file, out);
    }
    if (file.mentions("clearml")) {
      clearml(file, out);
    }
  }

  private static void ray(ConfigFile file, Reporter out) {
    Matcher m = file.matcher(RAY_DASHBOARD_ALL);
    if (m.find() && !file.contains(RAY_TOKEN_AUTH) && !RayAuth.tokenAuthInManifests(file)) {
      out.add(MisconfigRules.RAY_01, m.group(), file.lineOf(m.start()));
    }
  }

  private static void mlflow(ConfigFile file, Reporter out) {
    for (var launch : Launches.of(file, "mlflow")) {
      var mlflow = MlflowLaunch.read(launch.argv(), launch.env());
      if (mlflow.isPresent() && mlflow.get().unauthenticatedOnAllInterfaces() && launch.exposed()) {
        out.add(MisconfigRules.MLF_01, String.join(" ", launch.argv()), launch.line());
      }
    }
    if (file.name().equals("basic_auth.ini") || file.contains(MLFLOW_BASIC_AUTH_INI)) {
      Matcher pw = file.matcher(DEFAULT_ADMIN_PASSWORD);
      if (pw.find()) {
        out.add(MisconfigRules.MLF_02, "admin_password is the shipped default", file.lineOf(pw.start()));
      }
      Matcher perm = file.matcher(DEFAULT_PERMISSION);
      if (perm.find() && !perm.group(1).equalsIgnoreCase("NO_PERMISSIONS")) {
        out.add(MisconfigRules.MLF_02, "default_permission = " + perm.group(1), file.lineOf(perm.start()));
      }
    }
    find(file, FLASK_SECRET, MisconfigRules.MLF_03, out);
    find(file, MLFLOW_WEAK_MIDDLEWARE, MisconfigRules.MLF_04, out);
    find(file, MLFLOW_URI_USERINFO, MisconfigRules.MLF_06, out);
  }

  private static void torchServe(ConfigFile file, Reporter out) {
    boolean tokenAuthOff = file.contains(TS_NO_AUTH);
    Matcher address = file.matcher(TS_ADDRESS_ALL);
    while (address.find()) {
      // the inference and metrics APIs serve by design; on all interfaces they matter once token auth is off
      if (address.group(1).equalsIgnoreCase("management") || tokenAuthOff) {
        out.add(MisconfigRules.TS_01, address.group(), file.lineOf(address.start()));
      }
    }
    find(file, TS_NO_AUTH, MisconfigRules.TS_01, out);
    // allowed_urls limits what the management API registers; a management API bound to loopback (TorchServe's
    // default, http://127.0.0.1:8081) cannot be asked to register anything from the network
    if (file.contains(TS_CONFIG) && managementReachable(file)) {
      Matcher urls = file.matcher(TS_ALLOWED_URLS);
      if (!urls.find()) {
        out.add(MisconfigRules.TS_01, "allowed_urls is not set, so models may be fetched from any URL", 1);
      } else if (anyHostAllowed(urls.group(1))) {
        out.add(MisconfigRules.TS_01, urls.group(), file.lineOf(urls.start()));
      }
    }
    Matcher present = file.matcher(TORCHSERVE);
    if (present.find() || file.contains(TS_CONFIG)) {
      out.add(MisconfigRules.TS_02, "TorchServe is configured here", 1);
    }
  }

  private static boolean managementReachable(ConfigFile file) {
    Matcher m = file.matcher(TS_MANAGEMENT);
    if (!m.find()) {
      return false;
    }
    String host = m.group(1).replace("[", "").replace("]", "");
    return !m.group().toLowerCase(java.util.Locale.ROOT).contains("unix://") && !Launches.loopback(host);
  }

  /** allowed_urls entries are regular expressions; one whose host part is a wildcard admits any server. */
  private static boolean anyHostAllowed(String value) {
    for (String entry : value.split(",")) {
      String e = entry.strip();
      int scheme = e.indexOf("://");
      String host = scheme < 0 ? e : e.substring(scheme + 3);
      int slash = host.indexOf('/');
      host = slash < 0 ? host : host.substring(0, slash);
      if (host.contains("*") || host.contains("+") || e.isEmpty()) {
        return true;
      }
    }
    return false;
  }

  private static void triton(ConfigFile file, Reporter out) {
    Matcher m = file.matcher(TRITON_CONTROL);
    if (m.find() && !file.contains(TRITON_LOCAL)) {
      out.add(MisconfigRules.TRT_01, m.group(), file.lineOf(m.start()));
    }
  }

  private static void jupyter(ConfigFile file, Reporter out) {
    Matcher empty = file.matcher(JUPYTER_EMPTY_TOKEN);
    if (empty.find() && !file.contains(JUPYTER_PASSWORD)) {
      out.add(MisconfigRules.JUP_01, empty.group() + " and no password", file.lineOf(empty.start()));
    }
    Matcher all = file.matcher(JUPYTER_ALL_INTERFACES);
    Matcher weak = file.matcher(JUPYTER_ROOT_OR_XSRF);
    if (all.find() && weak.find()) {
      out.add(MisconfigRules.JUP_01, all.group() + " with " + weak.group(), file.lineOf(all.start()));
    }
  }

  private static void clearml(ConfigFile file, Reporter out) {
    if (file.contains(CLEARML_FILESERVER)) {
      Matcher port = file.matcher(PUBLISHED_8081);
      if (port.find()) {
        out.add(MisconfigRules.CLR_01, "file server port published: " + port.group(), file.lineOf(port.start()));
      }
    }
  }

  private static void find(ConfigFile file, Pattern p, dev.rampart.core.Rule rule, Reporter out) {
    Matcher m = file.matcher(p);
    while (m.find()) {
      out.add(rule, m.group(), file.lineOf(m.start()));
    }
  }
}
