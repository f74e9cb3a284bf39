package dev.rampart.scan;

import static dev.rampart.core.Atlas.EXPLOITATION_FOR_DEFENSE_EVASION;
import static dev.rampart.core.Atlas.UNSAFE_AI_ARTIFACTS;
import static dev.rampart.core.Atlas.DENIAL_OF_AI_SERVICE;
import static dev.rampart.core.Atlas.CORRUPT_AI_MODEL;
import static dev.rampart.core.Atlas.COMMAND_AND_SCRIPTING_INTERPRETER;
import static dev.rampart.core.Stage.MODEL_EXPORT;
import static dev.rampart.core.Stage.MODEL_REGISTRY;
import static dev.rampart.core.Severity.CRITICAL;
import static dev.rampart.core.Severity.HIGH;
import static dev.rampart.core.Severity.LOW;
import static dev.rampart.core.Severity.MEDIUM;

import dev.rampart.core.Rule;
import java.util.List;

/**
 * Every rule the model scanner can raise. Ids are stable and never reused. What a file does when loaded arises at
 * model export (Production, where ATLAS's Unsafe AI Artifacts maps it); the notices that a format is pickle-based or
 * could not be analysed are the registry's format allow list to decide.
 */
public final class ScanRules {
  private ScanRules() {}

  // --- pickle -------------------------------------------------------------------------------------------------
  public static final Rule PKL_DENYLISTED_CALL =
      Rule.of("PKL-DENYLISTED-CALL", CRITICAL, "Dangerous callable invoked when the pickle is loaded",
          "Loading this file runs a callable that executes code, spawns processes, touches files or the network."
              + " Do not load it. Re-export the model from its source in a safe format (safetensors, ONNX) and"
              + " investigate where the file came from.",
          UNSAFE_AI_ARTIFACTS, MODEL_EXPORT);
  public static final Rule PKL_DENYLISTED_IMPORT =
      Rule.of("PKL-DENYLISTED-IMPORT", HIGH, "Dangerous callable referenced by the pickle",
          "The pickle imports a callable that can execute code or touch the system, even if no direct call was"
              + " seen. Treat the file as malicious until its origin is verified.",
          UNSAFE_AI_ARTIFACTS, MODEL_EXPORT);
  public static final Rule PKL_CALL_NOT_ALLOWLISTED =
      Rule.of("PKL-CALL-NOT-ALLOWLISTED", HIGH, "Callable outside the allow list invoked when the pickle is loaded",
          "Only exactly listed framework globals may run at load time. Review the callable; if it is legitimate,"
              + " add it to the project allow list (rampart.yaml) with a reason and the file's sha256.",
          UNSAFE_AI_ARTIFACTS, MODEL_EXPORT);
  public static final Rule PKL_IMPORT_NOT_ALLOWLISTED =
      Rule.of("PKL-IMPORT-NOT-ALLOWLISTED", MEDIUM, "Global outside the allow list imported by the pickle",
          "The pickle imports a global that is not on the allow list but was not seen being called. Review it and"
              + " allow it per project if it is expected.",
          UNSAFE_AI_ARTIFACTS, MODEL_EXPORT);
  public static final Rule PKL_MODULE_NOT_ALLOWLISTED =
      Rule.of("PKL-MODULE-NOT-ALLOWLISTED", HIGH, "Pickle imports a module outside the allow list",
          "Loading the pickle imports a module that no allow-list entry names, and importing a module runs its"
              + " top-level code even when nothing from it is called. Review the module; if it is legitimate, add the"
              + " global to the project allow list (rampart.yaml) with a reason and the file's sha256.",
          UNSAFE_AI_ARTIFACTS, MODEL_EXPORT);
  public static final Rule PKL_UNRESOLVED_GLOBAL =
      Rule.of("PKL-UNRESOLVED-GLOBAL", HIGH, "Global or callable computed at load time",
          "The name of an imported global, or the callable being invoked, is only known when the pickle runs"
              + " (for example STACK_GLOBAL operands that are not constants). Static analysis cannot prove it safe.",
          UNSAFE_AI_ARTIFACTS, MODEL_EXPORT);
  public static final Rule PKL_UNRESOLVED_EXTENSION =
      Rule.of("PKL-UNRESOLVED-EXTENSION", HIGH, "Extension code that no copyreg registration resolves",
          "EXT1/EXT2/EXT4 opcodes load a global through the copyreg extension registry. The code was not"
              + " registered earlier in the stream, so its target depends on the loading process.",
          UNSAFE_AI_ARTIFACTS, MODEL_EXPORT);
  public static final Rule PKL_SCANNER_TAMPERING =
      Rule.of("PKL-SCANNER-TAMPERING", CRITICAL, "Pickle imports a model-scanning tool",
          "Importing a scanner package from inside a model is a known way to disable or fool scanners."
              + " The file is hostile.",
          EXPLOITATION_FOR_DEFENSE_EVASION, MODEL_EXPORT);
  public static final Rule PKL_GLOBAL_MUTATION =
      Rule.of("PKL-GLOBAL-MUTATION", HIGH, "Pickle mutates a module or class object",
          "BUILD, SETITEM or APPEND applied to an imported global rewrites module state (for example"
              + " numpy.__builtins__) so that later lookups resolve to attacker-chosen callables.",
          UNSAFE_AI_ARTIFACTS, MODEL_EXPORT);
  public static final Rule PKL_FRAME_DIVERGENCE =
      Rule.of("PKL-FRAME-DIVERGENCE", CRITICAL, "Pickle framing that loaders interpret differently",
          "An opcode or its argument crosses a FRAME boundary, or frames nest or overlap. Different unpicklers"
              + " (and scanners) then see different opcodes; this only appears in crafted files.",
          EXPLOITATION_FOR_DEFENSE_EVASION, MODEL_EXPORT);
  public static final Rule PKL_BROKEN_AFTER_CALL =
      Rule.of("PKL-BROKEN-AFTER-CALL", HIGH, "Pickle is malformed after a call has run",
          "The stream breaks after a callable was invoked. The loader has already executed the call when it"
              + " fails, a trick used to make scanners error out while the payload still runs.",
          EXPLOITATION_FOR_DEFENSE_EVASION, MODEL_EXPORT);
  public static final Rule PKL_STREAM_ANOMALY =
      Rule.of("PKL-STREAM-ANOMALY", MEDIUM, "Unusual pickle stream structure",
          "A second PROTO, opcodes newer than the declared protocol, trailing bytes after STOP or stacked"
              + " streams. Standard picklers never write these.",
          EXPLOITATION_FOR_DEFENSE_EVASION, MODEL_EXPORT);
  public static final Rule PKL_NESTED_PICKLE =
      Rule.of("PKL-NESTED-PICKLE", HIGH, "Pickle embedded inside a pickle constant",
          "A bytes or string constant holds another pickle (raw, base64 or hex) that can be passed to"
              + " pickle.loads or torch.load at load time. Its contents are reported separately.",
          UNSAFE_AI_ARTIFACTS, MODEL_EXPORT);
  public static final Rule PKL_MEMO_EXPANSION =
      Rule.of("PKL-MEMO-EXPANSION", MEDIUM, "Pickle references its memo far more often than it fills it",
          "Many GET/DUP operations on few memo entries build exponentially large objects at load time"
              + " (a 'billion laughs' denial of service).",
          DENIAL_OF_AI_SERVICE, MODEL_EXPORT);
  public static final Rule PKL_FORMAT =
      Rule.of("PKL-FORMAT", LOW, "Model stored in a pickle-based format",
          "Pickle-based formats can run code when loaded. Prefer safetensors, ONNX or another data-only format.",
          UNSAFE_AI_ARTIFACTS, MODEL_REGISTRY);

  // --- containers ---------------------------------------------------------------------------------------------
  public static final Rule ZIP_NAME_MISMATCH =
      Rule.of("ZIP-NAME-MISMATCH", HIGH, "Zip local header and central directory disagree",
          "A member's name in its local header differs from the central directory. Tools that read one or the"
              + " other see different files (CVE-2025-1944).",
          EXPLOITATION_FOR_DEFENSE_EVASION, MODEL_EXPORT);
  public static final Rule ZIP_FLAG_EVASION =
      Rule.of("ZIP-FLAG-EVASION", HIGH, "Zip member flags that hide it from some readers",
          "General-purpose flag bits 0x1, 0x20 or 0x40 make Python's zipfile refuse the member while PyTorch"
              + " still loads it (CVE-2025-1945). Rampart scanned the bytes the way PyTorch reads them.",
          EXPLOITATION_FOR_DEFENSE_EVASION, MODEL_EXPORT);
  public static final Rule ZIP_LOCAL_HEADER_MISMATCH =
      Rule.of("ZIP-LOCAL-HEADER-MISMATCH", HIGH, "Zip local header and central directory describe a member differently",
          "A member's compression method, size or CRC in its local header differs from the central directory."
              + " Streaming extractors read the local header and get other bytes than loaders that read the"
              + " directory; an honest writer never produces this.",
          EXPLOITATION_FOR_DEFENSE_EVASION, MODEL_EXPORT);
  public static final Rule ZIP_DIRECTORY_MISMATCH =
      Rule.of("ZIP-DIRECTORY-MISMATCH", HIGH, "Zip end record and central directory disagree",
          "The end record's entry count or directory offset does not match the central directory. PyTorch's reader"
              + " trusts the count and the offset, while Python's zipfile walks the directory that precedes the end"
              + " record, so each sees different members. Rampart scanned every directory and record it found.",
          EXPLOITATION_FOR_DEFENSE_EVASION, MODEL_EXPORT);
  public static final Rule ZIP_CRC_MISMATCH =
      Rule.of("ZIP-CRC-MISMATCH", HIGH, "Zip member CRC does not match its contents",
          "PyTorch ignores CRC errors while many scanners abort on them (CVE-2025-10156). The member was"
              + " scanned anyway; the file has been altered after it was written.",
          EXPLOITATION_FOR_DEFENSE_EVASION, MODEL_EXPORT);
  public static final Rule ARCHIVE_PATH_TRAVERSAL =
      Rule.of("ARCHIVE-PATH-TRAVERSAL", HIGH, "Archive member path escapes the extraction folder",
          "Absolute paths, '..' segments or drive letters let extraction overwrite files elsewhere (zip-slip).",
          UNSAFE_AI_ARTIFACTS, MODEL_EXPORT);
  public static final Rule ARCHIVE_LINK =
      Rule.of("ARCHIVE-LINK", HIGH, "Archive member is a symbolic or hard link",
          "Links inside model archives can point outside the model folder when extracted.",
          UNSAFE_AI_ARTIFACTS, MODEL_EXPORT);
  public static final Rule ARCHIVE_BOMB =
      Rule.of("ARCHIVE-BOMB", HIGH, "Compressed member inflates beyond the ratio budget",
          "A member expands far more than real model data does; it is a decompression bomb or hides data.",
          DENIAL_OF_AI_SERVICE, MODEL_EXPORT);
  public static final Rule TORCH_SCRIPT_CODE =
      Rule.of("TORCH-SCRIPT-CODE", MEDIUM, "TorchScript code inside the model",
          "TorchScript archives carry code that torch.jit.load compiles and runs. Make sure the model comes"
              + " from a trusted build.",
          UNSAFE_AI_ARTIFACTS, MODEL_EXPORT);
  public static final Rule TORCH_SCRIPT_SUSPICIOUS =
      Rule.of("TORCH-SCRIPT-SUSPICIOUS", HIGH, "TorchScript code calls outside tensor operations",
          "The TorchScript code refers to custom operator namespaces, file or process access. Review it before"
              + " loading the model.",
          UNSAFE_AI_ARTIFACTS, MODEL_EXPORT);
  public static final Rule PYTHON_SOURCE =
      Rule.of("PYTHON-SOURCE", HIGH, "Python source code packaged with the model",
          "torch.package and similar formats import packaged Python modules when loaded; that is arbitrary code.",
          UNSAFE_AI_ARTIFACTS, MODEL_EXPORT);

  // --- formats ------------------------------------------------------------------------------------------------
  public static final Rule NPY_OBJECT_ARRAY =
      Rule.of("NPY-OBJECT-ARRAY", MEDIUM, "NumPy object array (loads through pickle)",
          "Object arrays need np.load(allow_pickle=True), which unpickles the body. Its pickle is analysed and"
              + " reported separately; store numeric arrays instead.",
          UNSAFE_AI_ARTIFACTS, MODEL_EXPORT);
  public static final Rule NPY_HEADER_INVALID =
      Rule.of("NPY-HEADER-INVALID", MEDIUM, "NumPy header inconsistent with its data",
          "The header's dtype and shape do not match the bytes that follow: the file was truncated or altered.",
          CORRUPT_AI_MODEL, MODEL_EXPORT);
  public static final Rule KERAS_LAMBDA =
      Rule.of("KERAS-LAMBDA", HIGH, "Keras Lambda layer with serialized Python code",
          "Lambda layers carry marshalled Python bytecode that runs when the model is loaded or called"
              + " (CVE-2024-3660). Replace the Lambda with a registered custom layer.",
          UNSAFE_AI_ARTIFACTS, MODEL_EXPORT);
  public static final Rule KERAS_CALLABLE =
      Rule.of("KERAS-CALLABLE", HIGH, "Keras config refers to a callable outside Keras",
          "A module/class_name/registered_name triple points at an arbitrary Python callable, which Keras"
              + " imports and calls even in safe mode on vulnerable versions (CVE-2025-1550).",
          UNSAFE_AI_ARTIFACTS, MODEL_EXPORT);
  public static final Rule KERAS_UNSAFE_DESERIALIZATION =
      Rule.of("KERAS-UNSAFE-DESERIALIZATION", CRITICAL, "Keras config turns off safe deserialization",
          "The model tries to enable unsafe deserialization while loading (CVE-2025-9906).",
          UNSAFE_AI_ARTIFACTS, MODEL_EXPORT);
  public static final Rule KERAS_CUSTOM_OBJECT =
      Rule.of("KERAS-CUSTOM-OBJECT", MEDIUM, "Keras config needs custom objects",
          "Loading needs user-registered classes or functions; review what the loading code registers.",
          UNSAFE_AI_ARTIFACTS, MODEL_EXPORT);
  public static final Rule KERAS_FILE_ACCESS =
      Rule.of("KERAS-FILE-ACCESS", HIGH, "Keras layer argument loads a file",
          "A layer argument such as a lookup vocabulary, a TFSMLayer filepath or another path makes Keras read a"
              + " file (or load and run a SavedModel) named by the model itself when it is loaded. Ship such data"
              + " inside the model instead.",
          UNSAFE_AI_ARTIFACTS, MODEL_EXPORT);
  public static final Rule FORMAT_POLYGLOT =
      Rule.of("FORMAT-POLYGLOT", HIGH, "File reads as more than one model format",
          "The file is one format at its start and another where a loader also looks (an HDF5 superblock after a"
              + " user block, a zip found from the end). A loader may take the hidden interpretation; both were"
              + " analysed. Real exports do not do this.",
          EXPLOITATION_FOR_DEFENSE_EVASION, MODEL_EXPORT);
  public static final Rule TF_PYFUNC =
      Rule.of("TF-PYFUNC", CRITICAL, "TensorFlow graph calls back into Python",
          "PyFunc, PyFuncStateless and EagerPyFunc run arbitrary Python when the graph executes.",
          UNSAFE_AI_ARTIFACTS, MODEL_EXPORT);
  public static final Rule TF_FILE_OP =
      Rule.of("TF-FILE-OP", HIGH, "TensorFlow graph reads or writes files",
          "ReadFile, WriteFile, ImmutableConst or PrintV2 to a file touch the file system when the graph runs.",
          UNSAFE_AI_ARTIFACTS, MODEL_EXPORT);
  public static final Rule TF_NETWORK_OP =
      Rule.of("TF-NETWORK-OP", HIGH, "TensorFlow graph sends data to a URL or remote endpoint",
          "Debug ops with debug_urls, RPC ops and file ops on remote URLs stream tensors out of the process when"
              + " the graph runs.",
          UNSAFE_AI_ARTIFACTS, MODEL_EXPORT);
  public static final Rule ONNX_EXTERNAL_DATA_ESCAPE =
      Rule.of("ONNX-EXTERNAL-DATA-ESCAPE", HIGH, "ONNX external data path leaves the model folder",
          "An absolute path or '..' lets the runtime read or write arbitrary files (CVE-2022-25882,"
              + " CVE-2024-27318, CVE-2025-51480).",
          UNSAFE_AI_ARTIFACTS, MODEL_EXPORT);
  public static final Rule ONNX_CUSTOM_OP =
      Rule.of("ONNX-CUSTOM-OP", MEDIUM, "ONNX operator from a custom domain",
          "The graph needs a custom operator library; that native code runs inside the runtime.",
          UNSAFE_AI_ARTIFACTS, MODEL_EXPORT);
  public static final Rule ONNX_TENSOR_SIZE =
      Rule.of("ONNX-TENSOR-SIZE", MEDIUM, "ONNX tensor data does not match its shape",
          "An initializer's bytes disagree with its dims and type: the model was truncated or altered.",
          CORRUPT_AI_MODEL, MODEL_EXPORT);
  public static final Rule MODEL_CUSTOM_OP =
      Rule.of("MODEL-CUSTOM-OP", MEDIUM, "Model needs custom native operators",
          "A TFLite or ORT model names custom operators; the runtime resolves them to native code that the"
              + " loading application registers.",
          UNSAFE_AI_ARTIFACTS, MODEL_EXPORT);
  public static final Rule MODEL_STRUCTURE =
      Rule.of("MODEL-STRUCTURE", HIGH, "Model file breaks its format's structure",
          "Offsets, counts or lengths point outside the file or the format's limits; loaders read out of bounds"
              + " or the file was altered.",
          CORRUPT_AI_MODEL, MODEL_EXPORT);
  public static final Rule SAFETENSORS_HEADER =
      Rule.of("SAFETENSORS-HEADER", HIGH, "safetensors header breaks the format's invariants",
          "Offsets that overlap, leave gaps, run past the file or disagree with dtype and shape are signs of"
              + " tampering and make loaders read out of bounds.",
          CORRUPT_AI_MODEL, MODEL_EXPORT);
  public static final Rule METADATA_CODE =
      Rule.of("METADATA-CODE", MEDIUM, "Code or URL in model metadata",
          "Metadata strings should be plain descriptions; code and URLs in them are instructions for some"
              + " downstream tool.",
          UNSAFE_AI_ARTIFACTS, MODEL_EXPORT);
  public static final Rule GGUF_BOUNDS =
      Rule.of("GGUF-BOUNDS", HIGH, "GGUF counts, lengths or tensor offsets out of bounds",
          "A count, string length or tensor offset points beyond the file; loaders read out of bounds"
              + " (CVE-2026-7482).",
          CORRUPT_AI_MODEL, MODEL_EXPORT);
  public static final Rule TEMPLATE_INJECTION =
      Rule.of("TEMPLATE-INJECTION", HIGH, "Chat template escapes the Jinja sandbox",
          "The template reaches Python internals (dunder attributes, globals, subclasses), which runs code on"
              + " servers that render it (CVE-2024-34359).",
          COMMAND_AND_SCRIPTING_INTERPRETER, MODEL_EXPORT);
  public static final Rule HF_REMOTE_CODE =
      Rule.of("HF-REMOTE-CODE", MEDIUM, "Model configuration needs remote code",
          "auto_map entries make transformers import Python files from the model repository"
              + " (trust_remote_code). Review that code or pin a reviewed revision.",
          UNSAFE_AI_ARTIFACTS, MODEL_EXPORT);
  public static final Rule MLFLOW_CUSTOM_CODE =
      Rule.of("MLFLOW-CUSTOM-CODE", MEDIUM, "MLflow model runs its own Python code when loaded",
          "The MLmodel file's python_function flavour names a loader module outside MLflow, a code folder put on"
              + " sys.path, or a cloudpickled PythonModel: mlflow.pyfunc.load_model imports or unpickles it. Review"
              + " that code (and the pickle's findings) before loading.",
          UNSAFE_AI_ARTIFACTS, MODEL_EXPORT);
  public static final Rule MLFLOW_PATH_ESCAPE =
      Rule.of("MLFLOW-PATH-ESCAPE", HIGH, "MLflow model points its loader at a file outside the model",
          "A flavour's path in the MLmodel file (data, code, model_data, pickled_model, python_model, artifacts,"
              + " environment files) is absolute, climbs with '..' or is a URI, so the loader reads something this"
              + " scan did not see.",
          UNSAFE_AI_ARTIFACTS, MODEL_EXPORT);
  public static final Rule HF_PATH_ESCAPE =
      Rule.of("HF-PATH-ESCAPE", HIGH, "Model configuration points at a file outside the model",
          "A file-path field names an absolute path, '..' or a secrets file such as .env, which the loader"
              + " reads and may upload.",
          UNSAFE_AI_ARTIFACTS, MODEL_EXPORT);

  // --- incompleteness -----------------------------------------------------------------------------------------
  public static final Rule SCAN_INCOMPLETE =
      Rule.incompleteness("SCAN-INCOMPLETE", "Part of the artifact could not be analysed",
          "Truncated, malformed, encrypted or over-budget content was not fully analysed, so it cannot be"
              + " called safe. Fix or re-export the file, or raise the limit named in the evidence.",
          UNSAFE_AI_ARTIFACTS, MODEL_REGISTRY);
  public static final Rule SCAN_UNSUPPORTED =
      Rule.incompleteness("SCAN-UNSUPPORTED", "Model format that Rampart cannot analyse yet",
          "The content is a model or container format without an analyser, so it was not checked.",
          UNSAFE_AI_ARTIFACTS, MODEL_REGISTRY);

  /** All rules, for documentation and SARIF rule tables. */
  public static List<Rule> all() {
    return Rule.declaredIn(ScanRules.class);
  }
}
