package dev.rampart.eval.llm;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A client for OpenAI-compatible chat completion endpoints ({@code POST …/chat/completions}) that cannot be made to
 * hang or to flood: every request has a hard timeout covering the whole body, answers are capped in size, requests are
 * paced to a rate, retried with backoff on 429, 5xx, timeouts and refused connections, and counted against a cap and a
 * deadline for the whole run. The API key is sent only as a bearer token and never appears in messages.
 */
public final class ChatClient {
  static final int MAX_ANSWER_BYTES = 1 << 20;
  static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(30);
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * @param model the {@code model} field; empty leaves it out (for servers that serve one model)
   * @param ratePerSecond the most requests started per second
   * @param maxRequests requests (retries included) the whole run may send
   * @param deadline the whole run's time limit
   */
  public record Settings(URI endpoint, Optional<String> model, Optional<String> apiKey, Duration timeout,
      int retries, double ratePerSecond, long maxRequests, Duration deadline, double temperature, int maxTokens) {
    public Settings {
      String scheme = String.valueOf(endpoint.getScheme());
      if (!scheme.equals("http") && !scheme.equals("https") || endpoint.getHost() == null) {
        throw new IllegalArgumentException("--endpoint must be an http(s) URL such as http://localhost:8000/v1");
      }
      if (endpoint.getRawUserInfo() != null) {
        throw new IllegalArgumentException("--endpoint must not carry credentials; put the key in the variable "
            + "named by --api-key-env");
      }
      if (!(ratePerSecond > 0) || maxRequests < 1 || retries < 0 || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("rate, request cap and timeout must be positive, retries at least 0");
      }
    }

    /** Where completions are posted: the URL itself if it ends in /chat/completions, else that path under it. */
    URI completions() {
      String path = endpoint.getPath() == null ? "" : endpoint.getPath();
      if (path.endsWith("/chat/completions")) {
        return endpoint;
      }
      return endpoint.resolve((path.endsWith("/") ? path : path + "/") + "chat/completions");
    }

    /** The endpoint as shown in reports: scheme, host, port and path only. */
    public String display() {
      return endpoint.getScheme() + "://" + endpoint.getHost() + (endpoint.getPort() < 0 ? "" : ":"
          + endpoint.getPort()) + (endpoint.getPath() == null ? "" : endpoint.getPath());
    }
  }

  private final Settings settings;
  private final HttpClient http;
  private final long startedNanos = System.nanoTime();
  private long nextSlotNanos = startedNanos;
  private long requests;
  private long retried;

  public ChatClient(Settings settings) {
    this.settings = settings;
    this.http = HttpClient.newBuilder().connectTimeout(settings.timeout()).followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  /** Requests sent so far, retries included. */
  public long requests() {
    return requests;
  }

  public long retries() {
    return retried;
  }

  /**
   * The assistant's answer to a system prompt and a conversation: user and assistant messages alternating, starting
   * and ending with the user's.
   */
  public String complete(String system, List<String> conversation) throws ChatException, InterruptedException {
    if (conversation.size() % 2 == 0) {
      throw new IllegalArgumentException("a conversation starts and ends with a user message");
    }
    byte[] body = body(system, conversation);
    ChatException last = null;
    for (int attempt = 0; attempt <= settings.retries(); attempt++) {
      if (attempt > 0) {
        retried++;
      }
      stopIfSpent();
      pace();
      requests++;
      try {
        var response = send(body);
        int status = response.statusCode();
        if (status == 200) {
          return content(response.body());
        }
        last = new ChatException.Status(status, statusMessage(status));
        if (status != 429 && status < 500) {
          throw last;
        }
        backoff(attempt, response.headers().firstValue("Retry-After"));
      } catch (ChatException.Timeout | ChatException.Unreachable e) {
        last = e;
        backoff(attempt, Optional.empty());
      }
    }
    throw last;
  }

  private HttpResponse<byte[]> send(byte[] body) throws ChatException, InterruptedException {
    var builder = HttpRequest.newBuilder(settings.completions()).timeout(settings.timeout())
        .header("Content-Type", "application/json").header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    settings.apiKey().ifPresent(k -> builder.header("Authorization", "Bearer " + k));
    var future = http.sendAsync(builder.build(), info -> new Capped());
    try {
      return future.get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new ChatException.Timeout("no complete answer within " + settings.timeout().toSeconds()
          + " s; raise --timeout if the endpoint is slow");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      for (Throwable t = cause; t != null; t = t.getCause()) {
        if (t instanceof AnswerTooLarge) {
          throw new ChatException.BadAnswer("the answer is over " + MAX_ANSWER_BYTES + " bytes");
        }
        if (t instanceof java.net.http.HttpTimeoutException) {
          throw new ChatException.Timeout("no answer within " + settings.timeout().toSeconds() + " s");
        }
        cause = t;
      }
      throw new ChatException.Unreachable(unreachable(e.getCause()));
    }
  }

  /**
   * Why the endpoint could not be reached, in words that say what to do: the JDK reports a refused connection as a
   * ConnectException over a ClosedChannelException, which names neither the address nor the fix.
   */
  private String unreachable(Throwable failure) {
    String where = settings.display();
    String host = settings.completions().getHost();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof java.net.ConnectException || t instanceof java.nio.channels.ClosedChannelException) {
        return "connection refused at " + where + ": nothing is listening there. Start the model server (for example"
            + " 'ollama serve' or 'vllm serve MODEL'), or give the right address with --endpoint";
      }
      if (t instanceof java.net.UnknownHostException || t instanceof java.nio.channels.UnresolvedAddressException) {
        return "the host " + host + " of " + where + " is not known; check the address given with --endpoint";
      }
      if (t instanceof javax.net.ssl.SSLException) {
        return "the TLS handshake with " + where + " failed (" + t.getMessage() + "); check that the endpoint speaks"
            + " https, or use http:// for a local server";
      }
    }
    Throwable root = failure;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return where + " is unreachable (" + root.getClass().getSimpleName()
        + (root.getMessage() == null ? "" : ": " + root.getMessage()) + "); check --endpoint";
  }

  private void stopIfSpent() throws ChatException.Stopped {
    if (requests >= settings.maxRequests()) {
      throw new ChatException.Stopped("the cap of " + settings.maxRequests() + " requests was reached; raise "
          + "--max-requests to probe further");
    }
    if (System.nanoTime() - startedNanos > settings.deadline().toNanos()) {
      throw new ChatException.Stopped("the run's deadline of " + settings.deadline().toSeconds() + " s passed; "
          + "raise --deadline to probe further");
    }
  }

  private void pace() throws InterruptedException {
    long now = System.nanoTime();
    if (nextSlotNanos > now) {
      TimeUnit.NANOSECONDS.sleep(nextSlotNanos - now);
    }
    nextSlotNanos = Math.max(now, nextSlotNanos) + (long) (1e9 / settings.ratePerSecond());
  }

  private void backoff(int attempt, Optional<String> retryAfter) throws InterruptedException {
    if (attempt >= settings.retries()) {
      return;
    }
    long millis = (long) (500 * Math.pow(2, attempt));
    if (retryAfter.isPresent()) {
      try {
        millis = Math.max(0, Long.parseLong(retryAfter.get().trim()) * 1000);
      } catch (NumberFormatException dateForm) {
        // an HTTP date: keep the exponential backoff
      }
    }
    long left = settings.deadline().toMillis() - (System.nanoTime() - startedNanos) / 1_000_000;
    Thread.sleep(Math.max(0, Math.min(millis, Math.min(MAX_RETRY_AFTER.toMillis(), left))));
  }

  private byte[] body(String system, List<String> conversation) {
    var root = MAPPER.createObjectNode();
    settings.model().ifPresent(m -> root.put("model", m));
    var messages = root.putArray("messages");
    messages.addObject().put("role", "system").put("content", system);
    for (int i = 0; i < conversation.size(); i++) {
      messages.addObject().put("role", i % 2 == 0 ? "user" : "assistant").put("content", conversation.get(i));
    }
    root.put("temperature", settings.temperature());
    root.put("max_tokens", settings.maxTokens());
    try {
      return MAPPER.writeValueAsBytes(root);
    } catch (JacksonException e) {
      throw new IllegalStateException(e);
    }
  }

  static String content(byte[] body) throws ChatException.BadAnswer {
    JsonNode root;
    try {
      root = MAPPER.readTree(body);
    } catch (IOException e) {
      throw new ChatException.BadAnswer("the endpoint answered with something that is not JSON; is --endpoint an "
          + "OpenAI-compatible API (…/v1)?");
    }
    JsonNode content = root == null ? null : root.path("choices").path(0).path("message").path("content");
    if (content != null && content.isTextual()) {
      return content.asText();
    }
    if (content != null && content.isArray()) {
      var text = new StringBuilder();
      content.forEach(part -> text.append(part.path("text").asText("")));
      return text.toString();
    }
    throw new ChatException.BadAnswer("the answer has no choices[0].message.content; is --endpoint an "
        + "OpenAI-compatible chat completions API?");
  }

  private static String statusMessage(int status) {
    return switch (status) {
      case 401, 403 -> "the endpoint refused the request (HTTP " + status + "); put a valid key in the variable named "
          + "by --api-key-env";
      case 404 -> "no chat completions API at this URL (HTTP 404); give the base URL, such as http://host:8000/v1";
      case 429 -> "the endpoint kept rate-limiting (HTTP 429); lower --rate";
      default -> "the endpoint answered HTTP " + status;
    };
  }

  private static final class AnswerTooLarge extends IOException {}

  /** Collects the body and gives up past {@link #MAX_ANSWER_BYTES}. */
  private static final class Capped implements HttpResponse.BodySubscriber<byte[]> {
    private final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    private final java.util.concurrent.CompletableFuture<byte[]> done = new java.util.concurrent.CompletableFuture<>();
    private Flow.Subscription subscription;

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      for (ByteBuffer b : buffers) {
        if (done.isDone()) {
          return;
        }
        if (out.size() + b.remaining() > MAX_ANSWER_BYTES) {
          subscription.cancel();
          done.completeExceptionally(new AnswerTooLarge());
          return;
        }
        byte[] chunk = new byte[b.remaining()];
        b.get(chunk);
        out.writeBytes(chunk);
      }
    }

    @Override
    public void onError(Throwable t) {
      done.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      done.complete(out.toByteArray());
    }

    @Override
    public java.util.concurrent.CompletionStage<byte[]> getBody() {
      return done;
    }
  }
}
