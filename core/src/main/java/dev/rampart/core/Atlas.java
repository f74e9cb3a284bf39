package dev.rampart.core;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The ATLAS techniques Rampart's rules refer to, with their names at {@link #DATA_VERSION}. */
public final class Atlas {
  /** The ATLAS data release the names below are taken from. */
  public static final String DATA_VERSION = "5.6.0";

  public static final AtlasTechnique USER_EXECUTION = t("AML.T0011", "User Execution");
  public static final AtlasTechnique UNSAFE_AI_ARTIFACTS = t("AML.T0011.000", "Unsafe AI Artifacts");
  public static final AtlasTechnique COMMAND_AND_SCRIPTING_INTERPRETER =
      t("AML.T0050", "Command and Scripting Interpreter");
  public static final AtlasTechnique REVERSE_SHELL = t("AML.T0072", "Reverse Shell");
  public static final AtlasTechnique SUPPLY_CHAIN_COMPROMISE = t("AML.T0010", "AI Supply Chain Compromise");
  public static final AtlasTechnique SUPPLY_CHAIN_DATA = t("AML.T0010.002", "Data");
  public static final AtlasTechnique SUPPLY_CHAIN_MODEL = t("AML.T0010.003", "Model");
  public static final AtlasTechnique EXPLOITATION_FOR_DEFENSE_EVASION =
      t("AML.T0107", "Exploitation for Defense Evasion");
  public static final AtlasTechnique MASQUERADING = t("AML.T0074", "Masquerading");
  public static final AtlasTechnique MANIPULATE_AI_MODEL = t("AML.T0018", "Manipulate AI Model");
  public static final AtlasTechnique EMBED_MALWARE = t("AML.T0018.002", "Embed Malware");
  public static final AtlasTechnique CORRUPT_AI_MODEL = t("AML.T0076", "Corrupt AI Model");
  public static final AtlasTechnique DENIAL_OF_AI_SERVICE = t("AML.T0029", "Denial of AI Service");
  public static final AtlasTechnique UNSECURED_CREDENTIALS = t("AML.T0055", "Unsecured Credentials");
  public static final AtlasTechnique LLM_PROMPT_INJECTION = t("AML.T0051", "LLM Prompt Injection");
  public static final AtlasTechnique DIRECT_PROMPT_INJECTION = t("AML.T0051.000", "Direct");
  public static final AtlasTechnique INDIRECT_PROMPT_INJECTION = t("AML.T0051.001", "Indirect");
  public static final AtlasTechnique LLM_JAILBREAK = t("AML.T0054", "LLM Jailbreak");
  public static final AtlasTechnique EXTRACT_LLM_SYSTEM_PROMPT = t("AML.T0056", "Extract LLM System Prompt");
  public static final AtlasTechnique LLM_DATA_LEAKAGE = t("AML.T0057", "LLM Data Leakage");
  public static final AtlasTechnique EXPLOIT_PUBLIC_FACING_APPLICATION =
      t("AML.T0049", "Exploit Public-Facing Application");
  public static final AtlasTechnique ESCAPE_TO_HOST = t("AML.T0105", "Escape to Host");
  public static final AtlasTechnique VALID_ACCOUNTS = t("AML.T0012", "Valid Accounts");
  public static final AtlasTechnique SUPPLY_CHAIN_SOFTWARE = t("AML.T0010.001", "AI Software");
  public static final AtlasTechnique DISCOVER_AI_ARTIFACTS = t("AML.T0007", "Discover AI Artifacts");
  public static final AtlasTechnique POISON_TRAINING_DATA = t("AML.T0020", "Poison Training Data");
  public static final AtlasTechnique PUBLISH_POISONED_DATASETS = t("AML.T0019", "Publish Poisoned Datasets");
  public static final AtlasTechnique EVADE_AI_MODEL = t("AML.T0015", "Evade AI Model");
  public static final AtlasTechnique ERODE_AI_MODEL_INTEGRITY = t("AML.T0031", "Erode AI Model Integrity");

  private static final Map<String, AtlasTechnique> BY_ID =
      List.of(
              USER_EXECUTION,
              UNSAFE_AI_ARTIFACTS,
              COMMAND_AND_SCRIPTING_INTERPRETER,
              REVERSE_SHELL,
              SUPPLY_CHAIN_COMPROMISE,
              SUPPLY_CHAIN_DATA,
              SUPPLY_CHAIN_MODEL,
              EXPLOITATION_FOR_DEFENSE_EVASION,
              MASQUERADING,
              MANIPULATE_AI_MODEL,
              EMBED_MALWARE,
              CORRUPT_AI_MODEL,
              DENIAL_OF_AI_SERVICE,
              UNSECURED_CREDENTIALS,
              LLM_PROMPT_INJECTION,
              DIRECT_PROMPT_INJECTION,
              INDIRECT_PROMPT_INJECTION,
              LLM_JAILBREAK,
              EXTRACT_LLM_SYSTEM_PROMPT,
              LLM_DATA_LEAKAGE,
              EXPLOIT_PUBLIC_FACING_APPLICATION,
              ESCAPE_TO_HOST,
              VALID_ACCOUNTS,
              SUPPLY_CHAIN_SOFTWARE,
              DISCOVER_AI_ARTIFACTS,
              POISON_TRAINING_DATA,
              PUBLISH_POISONED_DATASETS,
              EVADE_AI_MODEL,
              ERODE_AI_MODEL_INTEGRITY)
          .stream()
          .collect(Collectors.toUnmodifiableMap(AtlasTechnique::id, Function.identity()));

  private Atlas() {}

  private static AtlasTechnique t(String id, String name) {
    return new AtlasTechnique(id, name);
  }

  public static Optional<AtlasTechnique> byId(String id) {
    return Optional.ofNullable(BY_ID.get(id));
  }
}
