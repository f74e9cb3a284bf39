package dev.rampart.core;

import java.util.Objects;

/**
 * A MITRE ATLAS technique, keyed by its id. The name is the one pinned in {@link Atlas#DATA_VERSION}; ids are stable
 * across ATLAS releases while names are not.
 */
public record AtlasTechnique(String id, String name) {
  public AtlasTechnique {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    if (!id.matches("AML\\.(T|M|TA|CS)\\d{4}(\\.\\d{3})?")) {
      throw new IllegalArgumentException("not an ATLAS id: " + id);
    }
  }

  @Override
  public String toString() {
    return id + " " + name;
  }
}
