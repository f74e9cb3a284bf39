package dev.rampart.eval.llm;

import dev.rampart.core.Atlas;
import dev.rampart.core.AtlasTechnique;
import java.util.Arrays;
import java.util.Optional;

/** What a probe tries to make the endpoint do, and the ATLAS technique a success demonstrates. */
public enum Category {
  PROMPT_INJECTION("prompt-injection", Atlas.DIRECT_PROMPT_INJECTION),
  INDIRECT_PROMPT_INJECTION("indirect-prompt-injection", Atlas.INDIRECT_PROMPT_INJECTION),
  SYSTEM_PROMPT_LEAKAGE("system-prompt-leakage", Atlas.EXTRACT_LLM_SYSTEM_PROMPT),
  JAILBREAK("jailbreak", Atlas.LLM_JAILBREAK),
  SECRET_LEAKAGE("secret-leakage", Atlas.LLM_DATA_LEAKAGE),
  PII_LEAKAGE("pii-leakage", Atlas.LLM_DATA_LEAKAGE);

  private final String slug;
  private final AtlasTechnique technique;

  Category(String slug, AtlasTechnique technique) {
    this.slug = slug;
    this.technique = technique;
  }

  public String slug() {
    return slug;
  }

  public AtlasTechnique technique() {
    return technique;
  }

  public static Optional<Category> bySlug(String slug) {
    return Arrays.stream(values()).filter(c -> c.slug.equals(slug)).findFirst();
  }
}
