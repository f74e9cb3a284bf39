package dev.rampart.eval.llm;

/**
 * One probe: a system prompt and a user message (templates with planted values), and the detector that decides from
 * the answer whether the attack worked.
 */
public record Probe(String id, Category category, String system, String user, Detector detector) {}
