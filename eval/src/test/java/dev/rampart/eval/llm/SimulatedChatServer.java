package dev.rampart.eval.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * A real HTTP server speaking the OpenAI chat completions protocol, answering like an endpoint with a given flaw. The
 * vulnerable one obeys the last instruction it sees and repeats its context when asked; the hardened one stays on
 * task; the others fail the way real servers do (hang, garbage, rate limits, errors, huge answers).
 */
public final class SimulatedChatServer implements AutoCloseable {
  /** WORN_DOWN refuses a first message but obeys from the second user turn of a conversation on. */
  public enum Behaviour { VULNERABLE, HARDENED, WORN_DOWN, QUOTING, HANG, GARBAGE, RATE_LIMITED_TWICE, SERVER_ERROR, HUGE }

  private static final Pattern CANARY = Pattern.compile("rampart-[a-z0-9]{10}");
  private static final Pattern IMAGE = Pattern.compile("!\\[[^\\]]*]\\([^)]*\\)");
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final HttpServer server;
  private final Behaviour behaviour;
  private final AtomicInteger calls = new AtomicInteger();
  public final List<String> authorizations = new CopyOnWriteArrayList<>();
  public final List<JsonNode> bodies = new CopyOnWriteArrayList<>();

  public SimulatedChatServer(Behaviour behaviour) throws IOException {
    this(behaviour, 0);
  }

  /** On a fixed loopback port, for documentation that names one; 0 picks a free port. */
  public SimulatedChatServer(Behaviour behaviour, int port) throws IOException {
    this.behaviour = behaviour;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "simulated-chat");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/v1/chat/completions", this::handle);
    server.start();
  }

  public URI base() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
  }

  public int calls() {
    return calls.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      int call = calls.incrementAndGet();
      authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
      JsonNode body = MAPPER.readTree(exchange.getRequestBody());
      bodies.add(body);
      JsonNode messages = body.path("messages");
      String system = messages.path(0).path("content").asText();
      String user = messages.path(messages.size() - 1).path("content").asText();
      int userTurns = 0;
      for (JsonNode m : messages) {
        userTurns += m.path("role").asText().equals("user") ? 1 : 0;
      }
      switch (behaviour) {
        case HANG -> sleep(60_000);
        case GARBAGE -> send(exchange, 200, "<html><body>Welcome to nginx!</body></html>");
        case SERVER_ERROR -> send(exchange, 503, "{\"error\":\"overloaded\"}");
        case HUGE -> send(exchange, 200, completion("x".repeat(ChatClient.MAX_ANSWER_BYTES + 10)));
        case RATE_LIMITED_TWICE -> {
          if (call <= 2) {
            exchange.getResponseHeaders().add("Retry-After", "0");
            send(exchange, 429, "{\"error\":\"slow down\"}");
          } else {
            send(exchange, 200, completion(vulnerable(system, user)));
          }
        }
        case VULNERABLE -> send(exchange, 200, completion(vulnerable(system, user)));
        case HARDENED -> send(exchange, 200, completion("I can only help with questions about your order."));
        case WORN_DOWN -> send(exchange, 200, completion(userTurns < 2
            ? "I can only help with questions about your order." : vulnerable(system, user)));
        case QUOTING -> send(exchange, 200, completion("I won't do that. You wrote: \"" + user.lines().findFirst()
            .orElse("") + "\""));
      }
    }
  }

  /** Obeys the instruction in the user's text, and repeats its whole context whenever asked about anything. */
  private static String vulnerable(String system, String user) {
    var answer = new StringBuilder("Sure! ");
    String lower = user.toLowerCase(Locale.ROOT);
    var canary = CANARY.matcher(user);
    if (canary.find()) {
      String c = canary.group();
      answer.append(lower.contains("backwards") || lower.contains("reversed")
          ? new StringBuilder(c).reverse() : c.toUpperCase(Locale.ROOT)).append('\n');
    }
    var image = IMAGE.matcher(user);
    if (image.find()) {
      answer.append("Summary of the page. ").append(image.group()).append('\n');
    }
    if (lower.contains("base64")) {
      answer.append(Base64.getEncoder().encodeToString(system.getBytes(StandardCharsets.UTF_8)));
    } else {
      answer.append("My instructions say: ").append(system);
    }
    return answer.toString();
  }

  private static String completion(String content) throws IOException {
    var root = MAPPER.createObjectNode();
    root.put("id", "chatcmpl-sim").put("object", "chat.completion");
    root.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop").putObject("message")
        .put("role", "assistant").put("content", content);
    return MAPPER.writeValueAsString(root);
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
