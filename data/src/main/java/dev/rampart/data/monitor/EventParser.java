package dev.rampart.data.monitor;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads one event line with a streaming JSON parser: {@code ts}, {@code id}, {@code features} (an object),
 * {@code prediction}, {@code probability} (the predicted class's probability, or every class's as an array or
 * object, from which the largest is taken) and {@code label}. A line with an {@code id} and a {@code label} but no
 * features is a late label. Limits on nesting and string length keep a hostile line cheap.
 */
final class EventParser {
  private final JsonFactory factory =
      JsonFactory.builder()
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .streamReadConstraints(
              StreamReadConstraints.builder().maxNestingDepth(8).maxStringLength(64 * 1024).maxNumberLength(64).build())
          .build();
  private final Map<String, Integer> numericSlot = new HashMap<>();
  private final Map<String, Integer> categoricalSlot = new HashMap<>();
  private final InputCounters counters;

  EventParser(ReferenceProfile profile, InputCounters counters) {
    this.counters = counters;
    for (FeatureProfile f : profile.features()) {
      switch (f) {
        case FeatureProfile.Numeric n -> numericSlot.put(n.name(), numericSlot.size());
        case FeatureProfile.Categorical c -> categoricalSlot.put(c.name(), categoricalSlot.size());
      }
    }
  }

  int numericSlot(String name) {
    return numericSlot.getOrDefault(name, -1);
  }

  int categoricalSlot(String name) {
    return categoricalSlot.getOrDefault(name, -1);
  }

  Event newEvent() {
    return new Event(numericSlot.size(), categoricalSlot.size());
  }

  /** Fills {@code e} from the line; false (and counted) when the line is not a usable event. */
  boolean parse(String line, Event e) {
    e.clear();
    boolean sawFeatures = false;
    try (JsonParser p = factory.createParser(line)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return false;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken t = p.nextToken();
        switch (field) {
          case "ts" -> e.ts = scalar(p, t);
          case "id" -> e.id = scalar(p, t);
          case "prediction" -> e.prediction = scalar(p, t);
          case "label" -> e.label = t == JsonToken.VALUE_NULL ? null : scalar(p, t);
          case "probability" -> confidence(p, t, e);
          case "features" -> {
            if (t != JsonToken.START_OBJECT) {
              return false;
            }
            sawFeatures = true;
            features(p, e);
          }
          default -> p.skipChildren();
        }
      }
      if (p.nextToken() != null) {
        return false;
      }
    } catch (IOException | IllegalStateException ex) {
      return false;
    }
    e.labelOnly = !sawFeatures && e.label != null && e.id != null;
    return sawFeatures || e.labelOnly;
  }

  private void features(JsonParser p, Event e) throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken t = p.nextToken();
      int slot = numericSlot.getOrDefault(name, -1);
      if (slot >= 0) {
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
          double v = p.getDoubleValue();
          if (Double.isFinite(v)) {
            e.numbers[slot] = v;
          } else {
            counters.nonFinite++;
          }
        } else if (t != JsonToken.VALUE_NULL) {
          p.skipChildren();
          throw new IllegalStateException("feature " + name + " is not a number");
        }
        continue;
      }
      slot = categoricalSlot.getOrDefault(name, -1);
      if (slot >= 0) {
        e.categories[slot] = t == JsonToken.VALUE_NULL ? null : scalar(p, t);
        continue;
      }
      counters.unknown(name);
      p.skipChildren();
    }
  }

  private static void confidence(JsonParser p, JsonToken t, Event e) throws IOException {
    switch (t) {
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> e.confidence = p.getDoubleValue();
      case START_ARRAY -> {
        double best = Double.NaN;
        int index = 0;
        int bestIndex = -1;
        while (p.nextToken() != JsonToken.END_ARRAY) {
          double v = p.getDoubleValue();
          if (Double.isNaN(best) || v > best) {
            best = v;
            bestIndex = index;
          }
          index++;
        }
        e.confidence = best;
        if (e.prediction == null && bestIndex >= 0) {
          e.prediction = Integer.toString(bestIndex);
        }
      }
      case START_OBJECT -> {
        double best = Double.NaN;
        String bestName = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          p.nextToken();
          double v = p.getDoubleValue();
          if (Double.isNaN(best) || v > best) {
            best = v;
            bestName = name;
          }
        }
        e.confidence = best;
        if (e.prediction == null) {
          e.prediction = bestName;
        }
      }
      case VALUE_NULL -> e.confidence = Double.NaN;
      default -> throw new IllegalStateException("probability must be a number, an array or an object");
    }
  }

  private static String scalar(JsonParser p, JsonToken t) throws IOException {
    return switch (t) {
      case VALUE_STRING -> p.getText();
      case VALUE_NUMBER_INT -> p.getText();
      case VALUE_NUMBER_FLOAT -> {
        double v = p.getDoubleValue();
        yield v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : p.getText();
      }
      case VALUE_TRUE, VALUE_FALSE -> p.getText();
      default -> throw new IllegalStateException("expected a scalar");
    };
  }
}
