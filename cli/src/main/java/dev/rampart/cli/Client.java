package dev.rampart.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * Talks to a Rampart server. The URL and token come from RAMPART_URL and RAMPART_TOKEN, or from
 * {@code ~/.config/rampart/client.properties} (url=..., token=...), never from flags: tokens do not belong in shell
 * history.
 */
final class Client {
  static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final String url;
  private final String token;

  Client(String url, String token) {
    this.url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    this.token = token;
  }

  static Client fromEnvironment() throws IOException {
    return fromEnvironment(null);
  }

  /** As {@link #fromEnvironment()}, with the server address given explicitly (the token never is). */
  static Client fromEnvironment(String serverUrl) throws IOException {
    String url = serverUrl != null ? serverUrl
        : System.getenv("RAMPART_URL") != null ? System.getenv("RAMPART_URL") : System.getProperty("rampart.url");
    String token = System.getenv("RAMPART_TOKEN") != null ? System.getenv("RAMPART_TOKEN") : System.getProperty("rampart.token");
    Path cfg = Path.of(System.getProperty("user.home"), ".config", "rampart", "client.properties");
    if ((url == null || token == null) && Files.exists(cfg)) {
      var p = new java.util.Properties();
      try (var in = Files.newInputStream(cfg)) {
        p.load(in);
      }
      url = url != null ? url : p.getProperty("url");
      token = token != null ? token : p.getProperty("token");
    }
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException("no API token: set RAMPART_TOKEN (and RAMPART_URL) or write ~/.config/rampart/client.properties");
    }
    return new Client(url == null ? "http://127.0.0.1:8080" : url, token.trim());
  }

  /**
   * {@code /api/v1/projects/{project}/{segments...}} with every segment percent-encoded: names come from the command
   * line and must not change the path they are put in.
   */
  static String projectPath(String project, Object... segments) {
    var sb = new StringBuilder("/api/v1/projects/").append(segment(project));
    for (Object s : segments) {
      sb.append('/').append(segment(String.valueOf(s)));
    }
    return sb.toString();
  }

  private static String segment(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** A server answer; errors carry the server's stable code and message. */
  record Answer(int status, JsonNode body, String text) {
    boolean ok() {
      return status >= 200 && status < 300;
    }

    String error() {
      return body != null && body.has("error") ? body.at("/error/code").asText() + ": " + body.at("/error/message").asText() : text;
    }
  }

  Answer call(String method, String path, Object json) throws IOException {
    var b = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofMinutes(10)).header("Authorization", "Bearer " + token);
    if (json == null) {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(json)));
    }
    return send(b.build());
  }

  /** A request whose body is sent as it is (JSON lines, a profile document). */
  Answer callRaw(String method, String path, byte[] body) throws IOException {
    return send(HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofMinutes(10))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/octet-stream")
        .method(method, HttpRequest.BodyPublishers.ofByteArray(body)).build());
  }

  /** Uploads files as multipart: each model file under its relative name, plus optional documents and fields. */
  Answer upload(String path, List<Object[]> files, List<Object[]> fields) throws IOException {
    String boundary = "rampart-" + UUID.randomUUID();
    var out = new ByteArrayOutputStream();
    for (Object[] f : files) {
      out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + f[0] + "\"; filename=\"" + f[1]
          + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
      out.writeBytes(Files.readAllBytes((Path) f[2]));
      out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
    }
    for (Object[] f : fields) {
      out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + f[0] + "\"\r\n\r\n" + f[1] + "\r\n")
          .getBytes(StandardCharsets.UTF_8));
    }
    out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return send(HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofMinutes(30))
        .header("Authorization", "Bearer " + token).header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray())).build());
  }

  private Answer send(HttpRequest req) throws IOException {
    try {
      var r = http.send(req, HttpResponse.BodyHandlers.ofString());
      JsonNode body = null;
      try {
        body = r.body().isBlank() ? null : JSON.readTree(r.body());
      } catch (IOException notJson) {
        body = null;
      }
      return new Answer(r.statusCode(), body, r.body());
    } catch (java.net.ConnectException e) {
      throw new IOException("cannot reach the Rampart server at " + url + "; start it with 'rampart server' or set RAMPART_URL");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    }
  }
}
