package dev.rampart.scan.tensorflow;

import dev.rampart.scan.engine.Analyzer;
import dev.rampart.scan.engine.SafeJson;
import dev.rampart.scan.engine.Target;
import dev.rampart.scan.io.Blob;
import dev.rampart.scan.keras.KerasConfig;
import dev.rampart.scan.protobuf.ProtoReader;
import java.io.IOException;

/** {@code keras_metadata.pb} of a TF SavedModel: each node's JSON metadata is a Keras layer config. */
public final class KerasMetadataAnalyzer implements Analyzer {
  @Override
  public void analyze(Target target, Blob blob) throws IOException {
    var saved = ProtoReader.of(blob);
    int index = 0;
    while (saved.next()) {
      if (saved.field() != 1 || saved.wireType() != ProtoReader.LEN) {
        continue;
      }
      var node = saved.message();
      while (node.next()) {
        if (node.field() == 5 && node.wireType() == ProtoReader.LEN) {
          String json = node.string(target.limits().maxJsonBytes());
          if (json.startsWith("{")) {
            KerasConfig.walk(target, SafeJson.parse(json), "keras_metadata.nodes[" + index + "]");
          }
        }
      }
      index++;
    }
  }
}
