package dev.rampart.scan.engine;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Names under which a real loader unpickles a file or member whatever its first bytes: {@code pickle.load} and
 * {@code joblib.load} by convention, {@code torch.load} for checkpoints (zip {@code data.pkl}, legacy files, the
 * members of its legacy tar format), transformers for {@code pytorch_model.bin} and {@code training_args.bin}, and
 * {@code numpy.load(allow_pickle=True)} for a {@code .npy} without the NumPy magic. Compression suffixes are looked
 * through, as joblib and pandas infer the wrapper from them.
 */
final class PickleNames {
  private static final Set<String> EXTENSIONS =
      Set.of("pkl", "pickle", "pck", "pcl", "p", "pt", "pth", "ckpt", "joblib", "jl", "dill", "sav", "npy");
  private static final Set<String> COMPRESSION = Set.of("gz", "gzip", "bz2", "xz", "lzma", "zst", "lz4", "z", "zlib");
  /** Members of torch's legacy tar checkpoints, each a pickle. */
  private static final Set<String> LEGACY_TAR_MEMBERS = Set.of("sys_info", "pickle", "storages", "tensors");
  private static final Pattern TORCH_BIN =
      Pattern.compile("(pytorch_model(-\\d+-of-\\d+)?|training_args|optimizer|scheduler|rng_state(_\\d+)?)\\.bin");

  private PickleNames() {}

  static boolean unpickledByLoader(String path) {
    int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
    String name = path.substring(slash + 1).toLowerCase(Locale.ROOT);
    if (LEGACY_TAR_MEMBERS.contains(name) || TORCH_BIN.matcher(name).matches()) {
      return true;
    }
    int dot = name.lastIndexOf('.');
    if (dot > 0 && COMPRESSION.contains(name.substring(dot + 1))) {
      name = name.substring(0, dot);
      dot = name.lastIndexOf('.');
    }
    return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1)) || TORCH_BIN.matcher(name).matches();
  }
}
