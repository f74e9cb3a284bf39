package dev.rampart.core.ignore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.rampart.core.Finding;
import dev.rampart.core.Report;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code .rampartignore.yaml} file: a list of accepted findings. Entries without a statement or an expiry are
 * refused when the file is read, so nothing is accepted silently or forever.
 */
public final class IgnoreFile {
  private final List<IgnoreEntry> entries;

  private IgnoreFile(List<IgnoreEntry> entries) {
    this.entries = List.copyOf(entries);
  }

  public static IgnoreFile empty() {
    return new IgnoreFile(List.of());
  }

  public static IgnoreFile of(List<IgnoreEntry> entries) {
    return new IgnoreFile(entries);
  }

  /** Reads and validates an ignore file; any invalid entry is an {@link InvalidIgnoreFileException}. */
  public static IgnoreFile read(Path file) throws IOException {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new InvalidIgnoreFileException(file + " is not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (root == null || root.isNull()) {
      return empty();
    }
    if (!root.isArray()) {
      throw new InvalidIgnoreFileException(file + " must be a YAML list of entries (- id: RULE-ID ...)");
    }
    var entries = new ArrayList<IgnoreEntry>();
    int n = 0;
    for (JsonNode e : root) {
      n++;
      String where = file + " entry " + n;
      String id = e.path("id").asText("");
      if (id.isBlank()) {
        throw new InvalidIgnoreFileException(where + ": 'id' (the rule id) is required");
      }
      String statement = e.path("statement").asText("");
      if (statement.isBlank()) {
        throw new InvalidIgnoreFileException(where + " (" + id + "): 'statement' is required: say why it is accepted");
      }
      String expires = e.path("expires").asText("");
      if (expires.isBlank()) {
        throw new InvalidIgnoreFileException(where + " (" + id + "): 'expires' (YYYY-MM-DD) is required");
      }
      LocalDate date;
      try {
        date = LocalDate.parse(expires);
      } catch (DateTimeParseException ex) {
        throw new InvalidIgnoreFileException(where + " (" + id + "): 'expires' must be a date like 2026-06-30");
      }
      var paths = new ArrayList<String>();
      e.path("paths").forEach(p -> paths.add(p.asText()));
      Optional<String> sha = e.hasNonNull("sha256") ? Optional.of(e.get("sha256").asText()) : Optional.empty();
      if (sha.isPresent() && !sha.get().matches("[0-9a-fA-F]{64}")) {
        throw new InvalidIgnoreFileException(where + " (" + id + "): 'sha256' must be 64 hex digits");
      }
      entries.add(new IgnoreEntry(id, paths, sha, statement, date));
    }
    return new IgnoreFile(entries);
  }

  public List<IgnoreEntry> entries() {
    return entries;
  }

  /** Entries past their expiry; their findings come back, and the caller warns about them. */
  public List<IgnoreEntry> expired(LocalDate today) {
    return entries.stream().filter(e -> e.expired(today)).toList();
  }

  /** Moves matched findings to the report's suppressed list. */
  public Report apply(Report report, LocalDate today) {
    var kept = new ArrayList<Finding>();
    var suppressed = new ArrayList<>(report.suppressed());
    for (Finding f : report.findings()) {
      var match = entries.stream().filter(e -> !e.expired(today) && e.matches(f)).findFirst();
      if (match.isPresent()) {
        suppressed.add(new Report.Suppressed(f, match.get().statement()));
      } else {
        kept.add(f);
      }
    }
    return new Report(report.kind(), report.toolVersion(), report.createdAt(), report.roots(), kept, suppressed, report.artifacts());
  }

  /** The ignore file has an entry Rampart will not accept. */
  public static final class InvalidIgnoreFileException extends IOException {
    public InvalidIgnoreFileException(String message) {
      super(message);
    }
  }
}
