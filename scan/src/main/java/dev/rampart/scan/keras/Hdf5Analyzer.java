package dev.rampart.scan.keras;

import dev.rampart.scan.engine.Analyzer;
import dev.rampart.scan.engine.SafeJson;
import dev.rampart.scan.engine.Target;
import dev.rampart.scan.io.Blob;
import dev.rampart.scan.io.BlobChannel;
import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/** HDF5 (Keras {@code .h5}): reads the model and training configs from the root attributes, never the weights. */
public final class Hdf5Analyzer implements Analyzer {
  @Override
  public void analyze(Target target, Blob blob) throws IOException {
    try (var hdf = new HdfFile(new BlobChannel(blob), URI.create("file:/rampart/" + Integer.toHexString(target.location().path().hashCode()) + ".h5"))) {
      for (String name : new String[] {"model_config", "training_config"}) {
        Attribute attr = hdf.getAttribute(name);
        if (attr == null) {
          continue;
        }
        String json = text(attr.getData());
        if (json == null) {
          target.incomplete("HDF5 attribute " + name + " is not a string");
          continue;
        }
        KerasConfig.walk(target, SafeJson.parse(json), name);
      }
    } catch (io.jhdf.exceptions.HdfException e) {
      throw new IOException("HDF5 structure could not be read: " + e.getMessage(), e);
    }
  }

  private static String text(Object data) {
    if (data instanceof String s) {
      return s;
    }
    if (data instanceof byte[] b) {
      return new String(b, StandardCharsets.UTF_8);
    }
    if (data instanceof String[] arr && arr.length == 1) {
      return arr[0];
    }
    return null;
  }
}
