package dev.rampart.data.monitor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.rampart.core.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a model saw and said at training or validation time, in a few kilobytes: feature sketches, the class prior,
 * the prediction distribution, the model's reference performance, and the calibration CBPE needs. It is a file like
 * any artifact: {@link #digest()} identifies it, and it can be signed.
 *
 * @param source the reference dataset's OMS digest
 * @param prior label shares, empty when the reference had no labels
 * @param predictions predicted-class shares, empty when the reference had no predictions
 * @param performance reference accuracy and its spread over chunks, present when labels and predictions were both
 *     there
 * @param calibration maps a reported confidence to the probability of being right; identity when calibration did not
 *     help
 * @param reconstruction how the continuous features move together, for multivariate drift; empty when there were too
 *     few of them or rows, and in profiles of version 1
 */
public record ReferenceProfile(
    int version,
    String source,
    long rows,
    List<FeatureProfile> features,
    Map<String, Double> prior,
    Map<String, Double> predictions,
    Optional<Performance> performance,
    Calibration calibration,
    Optional<ReconstructionProfile> reconstruction) {

  public static final int VERSION = 2;
  /** Version 1 lacks the reconstruction section; it is read, and watched without multivariate drift. */
  private static final int OLDEST_READABLE = 1;

  public ReferenceProfile {
    reconstruction = reconstruction == null ? Optional.empty() : reconstruction;
  }
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .registerModule(new com.fasterxml.jackson.datatype.jdk8.Jdk8Module())
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  /**
   * @param accuracy on the whole reference
   * @param chunkMean mean accuracy over equal chunks of the reference, the baseline alerts compare with
   * @param chunkStd its standard deviation; an alert fires outside mean ± 3 std
   * @param chunkRows the size of those chunks; spreads are rescaled to a window's size
   * @param estimable whether the reference carried confidences, so that CBPE can estimate accuracy without labels
   * @param estimatedChunkMean the same for the CBPE estimate (0 when not estimable), so estimate and reality are
   *     compared like with like
   */
  public record Performance(
      double accuracy,
      int chunkRows,
      double chunkMean,
      double chunkStd,
      boolean estimable,
      double estimatedChunkMean,
      double estimatedChunkStd) {}

  public byte[] toJson() {
    try {
      return MAPPER.writeValueAsBytes(this);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** SHA-256 of the canonical JSON. */
  public String digest() {
    return "sha256:" + Sha256.of(new String(toJson(), StandardCharsets.UTF_8));
  }

  public void write(Path file) throws IOException {
    Files.write(file, toJson());
  }

  /** Reads a profile written by {@link #write}; anything else is refused with the reason. */
  public static ReferenceProfile read(Path file) throws IOException {
    return parse(Files.readAllBytes(file), file.toString());
  }

  /** Parses profile JSON; {@code source} names it in errors. */
  public static ReferenceProfile parse(byte[] json, String source) throws IOException {
    ReferenceProfile p;
    try {
      p = MAPPER.readValue(json, ReferenceProfile.class);
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new IOException(source + ": not a Rampart reference profile (" + e.getOriginalMessage() + ")", e);
    }
    if (p == null || p.version() < OLDEST_READABLE || p.version() > VERSION || p.features() == null
        || p.calibration() == null) {
      throw new IOException(source + ": not a Rampart reference profile of version " + OLDEST_READABLE + " to "
          + VERSION + "; re-create it with rampart monitor profile");
    }
    if (p.reconstruction().isPresent()) {
      var r = p.reconstruction().get();
      try {
        r.validate();
      } catch (IllegalArgumentException e) {
        throw new IOException(source + ": " + e.getMessage() + "; re-create it with rampart monitor profile", e);
      }
      var numeric = p.features().stream().filter(FeatureProfile.Numeric.class::isInstance).map(FeatureProfile::name)
          .toList();
      if (!numeric.containsAll(r.features())) {
        throw new IOException(source + ": its reconstruction section names features that are not numeric features "
            + "of the profile; re-create it with rampart monitor profile");
      }
    }
    return p;
  }
}
