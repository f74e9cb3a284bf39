package dev.rampart.server.witness;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;

/**
 * The witness over HTTP: {@code POST /add-checkpoint} as C2SP {@code tlog-witness} defines it, and
 * {@code GET /<hex sha256(origin)>/checkpoint} for monitors (the latest cosigned checkpoint of a log).
 */
public final class WitnessServer implements AutoCloseable {
  private final Javalin app;

  private WitnessServer(Javalin app) {
    this.app = app;
  }

  public static WitnessServer start(Witness witness, String host, int port) {
    var app = Javalin.create(config -> {
      config.concurrency.useVirtualThreads = true;
      config.http.maxRequestSize = AddCheckpoint.MAX_BYTES;
      config.startup.showJavalinBanner = false;
      config.routes.post("/add-checkpoint", ctx -> answer(ctx, witness.add(ctx.body())));
      config.routes.get("/{origin}/checkpoint", ctx -> monitor(ctx, witness));
    });
    app.start(host, port);
    return new WitnessServer(app);
  }

  private static void answer(Context ctx, Witness.Outcome outcome) {
    switch (outcome) {
      case Witness.Outcome.Cosigned c -> text(ctx, 200, "text/plain; charset=utf-8", c.lines());
      case Witness.Outcome.Conflict c -> {
        ctx.header("Rampart-Reason", ascii(c.reason()));
        text(ctx, 409, "text/x.tlog.size", c.knownSize() + "\n");
      }
      case Witness.Outcome.Refused r -> text(ctx, r.status(), "text/plain; charset=utf-8", r.reason() + "\n");
    }
  }

  private static void monitor(Context ctx, Witness witness) throws java.io.IOException {
    String hex = ctx.pathParam("origin");
    if (!hex.matches("[0-9a-f]{64}")) {
      text(ctx, 404, "text/plain; charset=utf-8", "not found\n");
      return;
    }
    var note = witness.latestNoteByHash(hex);
    if (note.isPresent()) {
      text(ctx, 200, "text/plain; charset=utf-8", note.get());
    } else {
      text(ctx, 404, "text/plain; charset=utf-8", "no checkpoint cosigned for this log\n");
    }
  }

  private static void text(Context ctx, int status, String type, String body) {
    ctx.status(status).contentType(type).result(body.getBytes(StandardCharsets.UTF_8));
  }

  /** Header values carry ASCII only. */
  private static String ascii(String s) {
    return s.replaceAll("[^\\x20-\\x7e]", "?");
  }

  public int port() {
    return app.port();
  }

  @Override
  public void close() {
    app.stop();
  }
}
