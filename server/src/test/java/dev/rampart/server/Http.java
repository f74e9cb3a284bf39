package dev.rampart.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/** A small HTTP client for the tests: real requests over loopback to a real server. */
final class Http {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient client = HttpClient.newHttpClient();
  private final String base;
  /** Every API exchange, for checking against the OpenAPI document ({@link Conformance}). */
  final List<Conformance.Exchange> exchanges = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

  Http(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  record Response(int status, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (Exception e) {
        throw new AssertionError("not JSON (" + status + "): " + body, e);
      }
    }

    String code() {
      return json().at("/error/code").asText();
    }
  }

  /** A multipart part: a form field or a file. */
  record Part(String field, String filename, byte[] content) {
    static Part file(String field, String filename, byte[] content) {
      return new Part(field, filename, content);
    }

    static Part field(String field, String value) {
      return new Part(field, null, value.getBytes(StandardCharsets.UTF_8));
    }
  }

  Response send(String method, String path, String token, String body) {
    var b = HttpRequest.newBuilder(URI.create(base + path)).method(method,
        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return execute(method, path, b);
  }

  Response get(String path, String token) {
    return send("GET", path, token, null);
  }

  Response post(String path, String token, Object body) {
    return send("POST", path, token, body instanceof String s ? s : write(body));
  }

  Response put(String path, String token, Object body) {
    return send("PUT", path, token, body instanceof String s ? s : write(body));
  }

  Response multipart(String path, String token, List<Part> parts) {
    String boundary = "rampart-" + UUID.randomUUID();
    var out = new ByteArrayOutputStream();
    for (Part p : parts) {
      out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + p.field() + "\""
          + (p.filename() == null ? "" : "; filename=\"" + p.filename() + "\"") + "\r\n"
          + (p.filename() == null ? "" : "Content-Type: application/octet-stream\r\n") + "\r\n").getBytes(StandardCharsets.UTF_8));
      out.writeBytes(p.content());
      out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
    }
    out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    var b = HttpRequest.newBuilder(URI.create(base + path))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray()));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return execute("POST", path, b);
  }

  /** A browser-like request: form fields (when given) and a cookie, answered raw (headers and all, no redirects). */
  HttpResponse<String> browser(String method, String path, String cookie, java.util.Map<String, String> form, String... headers) {
    var b = HttpRequest.newBuilder(URI.create(base + path));
    if (form != null) {
      var body = new StringBuilder();
      form.forEach((k, v) -> body.append(body.isEmpty() ? "" : "&").append(java.net.URLEncoder.encode(k, StandardCharsets.UTF_8))
          .append('=').append(java.net.URLEncoder.encode(v, StandardCharsets.UTF_8)));
      b.method(method, HttpRequest.BodyPublishers.ofString(body.toString())).header("Content-Type", "application/x-www-form-urlencoded");
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    if (cookie != null) {
      b.header("Cookie", "rampart_session=" + cookie);
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    try {
      return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private Response execute(String method, String path, HttpRequest.Builder b) {
    try {
      var r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
      exchanges.add(new Conformance.Exchange(method, path, r.statusCode(), r.headers().firstValue("Content-Type").orElse(""),
          r.body()));
      return new Response(r.statusCode(), r.body());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static String write(Object o) {
    try {
      return JSON.writeValueAsString(o);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
