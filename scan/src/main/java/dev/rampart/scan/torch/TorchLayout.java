package dev.rampart.scan.torch;

import java.util.List;
import java.util.Optional;

/**
 * Knows the member layout of PyTorch zip checkpoints ({@code <prefix>/data.pkl}, {@code data/<n>} storages,
 * TorchScript {@code code/}), so tensor payloads can be skipped and code members recognised.
 */
public final class TorchLayout {
  /** The role of one zip member in a PyTorch archive. */
  public enum Role {
    /** A tensor storage: raw numbers, only sniffed for hidden pickles. */
    STORAGE,
    /** TorchScript source that torch.jit.load compiles. */
    TORCHSCRIPT_CODE,
    /** Python source imported by torch.package. */
    PYTHON_SOURCE,
    /** Anything else: analysed by content. */
    OTHER
  }

  private final Optional<String> prefix;
  private final boolean torchPackage;

  private TorchLayout(Optional<String> prefix, boolean torchPackage) {
    this.prefix = prefix;
    this.torchPackage = torchPackage;
  }

  public static TorchLayout of(List<String> names) {
    Optional<String> prefix = Optional.empty();
    boolean pkg = false;
    for (String n : names) {
      if (n.endsWith("data.pkl") && (n.equals("data.pkl") || n.endsWith("/data.pkl"))) {
        prefix = Optional.of(n.substring(0, n.length() - "data.pkl".length()));
      }
      if (n.endsWith(".data/extern_modules") || n.endsWith(".data/version") && names.stream().anyMatch(x -> x.endsWith(".py"))) {
        pkg = true;
      }
    }
    return new TorchLayout(prefix, pkg);
  }

  public boolean isTorch() {
    return prefix.isPresent() || torchPackage;
  }

  public Role role(String name) {
    if (prefix.isPresent()) {
      String p = prefix.get();
      if (name.startsWith(p + "data/") || name.startsWith(p + ".data/")) {
        return Role.STORAGE;
      }
      if (name.startsWith(p + "code/") && name.endsWith(".py")) {
        return Role.TORCHSCRIPT_CODE;
      }
    }
    if (torchPackage && name.endsWith(".py")) {
      return Role.PYTHON_SOURCE;
    }
    return Role.OTHER;
  }

}
