package dev.rampart.server.witness;

import dev.rampart.integrity.log.Cosignature;
import dev.rampart.integrity.log.LogException;
import dev.rampart.integrity.log.SignedNote;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/** Submits checkpoints to one witness by the C2SP {@code tlog-witness} protocol and checks what comes back. */
final class WitnessClient {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final int MAX_ANSWER = 64 * 1024;

  private final WitnessEndpoint witness;
  private final HttpClient http;

  WitnessClient(WitnessEndpoint witness, HttpClient http) {
    this.witness = witness;
    this.http = http;
  }

  WitnessEndpoint witness() {
    return witness;
  }

  /** What the witness said. */
  sealed interface Answer {
    /** A cosignature that verified under the witness's key, as a signature line. */
    record Cosigned(SignedNote.Line line, long time) implements Answer {}

    /** The witness knows another size of the log (409 with {@code text/x.tlog.size}). */
    record KnownSize(long size) implements Answer {}

    /** Anything else: the witness refused, answered nonsense, or could not be reached. */
    record Failed(String reason) implements Answer {}
  }

  Answer submit(long oldSize, List<byte[]> proof, String note, String checkpointText) {
    String body = new AddCheckpoint(oldSize, proof, note).format();
    HttpResponse<byte[]> response;
    try {
      response = http.send(HttpRequest.newBuilder(witness.addCheckpoint()).timeout(TIMEOUT)
          .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
          HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      return new Answer.Failed("unreachable: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer.Failed("interrupted");
    }
    byte[] raw = response.body();
    String text = new String(raw, 0, Math.min(raw.length, MAX_ANSWER), StandardCharsets.UTF_8);
    return switch (response.statusCode()) {
      case 200 -> cosignature(text, checkpointText);
      case 409 -> {
        String size = text.strip();
        yield size.matches("0|[1-9][0-9]{0,18}") ? new Answer.KnownSize(Long.parseLong(size))
            : new Answer.Failed("409 without a size");
      }
      default -> new Answer.Failed("HTTP " + response.statusCode() + ": " + text.strip());
    };
  }

  /** The one line of the answer that is this witness's valid cosignature of the checkpoint; other lines are ignored. */
  private Answer cosignature(String text, String checkpointText) {
    for (String line : text.split("\n")) {
      try {
        var parsed = SignedNote.parseLine(line);
        var time = Cosignature.verify(checkpointText, parsed, witness.key());
        if (time.isPresent()) {
          return new Answer.Cosigned(parsed, time.get());
        }
      } catch (LogException e) {
        // not a signature line; keep looking
      }
    }
    return new Answer.Failed("the answer holds no valid cosignature by " + witness.name());
  }
}
