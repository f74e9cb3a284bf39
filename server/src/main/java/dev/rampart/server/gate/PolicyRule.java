package dev.rampart.server.gate;

/** One named rule of a gate policy: a CEL expression over the promotion's facts that must be true. */
public record PolicyRule(String name, String expression, String message) {}
