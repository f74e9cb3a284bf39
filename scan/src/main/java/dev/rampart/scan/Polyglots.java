package dev.rampart.scan;

import dev.rampart.scan.archive.ZipListing;
import dev.rampart.scan.engine.Alternative;
import dev.rampart.scan.engine.Format;
import dev.rampart.scan.io.Blob;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Finds the interpretations a loader could take that a first-bytes detection misses. The HDF5 library (h5py, so
 * Keras {@code .h5}) looks for its superblock at offset 0, 512, 1024, 2048 and every further power of two, so a user
 * block can put any decoy in front of a real model; Python's {@code zipfile} (Keras {@code .keras},
 * {@code numpy.load} of {@code .npz}) finds a zip from its end record, whatever precedes it.
 */
final class Polyglots {
  private static final byte[] HDF5_SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

  private Polyglots() {}

  static List<Alternative> find(Blob blob, Format primary) throws IOException {
    var found = new ArrayList<Alternative>();
    if (primary != Format.HDF5) {
      long superblock = hdf5Superblock(blob);
      if (superblock > 0) {
        found.add(new Alternative(Format.HDF5, superblock, true, false, "the HDF5 library searches for its superblock there"));
      }
    }
    if (primary == Format.ZIP && !startsWithZipHeader(blob)
        && dev.rampart.scan.pickle.PickleSniffer.startsStream(blob)) {
      // a zip found from its end behind a pickle: pickle.load and torch.load's legacy path read the pickle at the
      // start and never look at what follows it, so the pickle is what they run
      found.add(new Alternative(Format.PICKLE, 0, true, false, "pickle.load reads the stream at the start of the file"));
    }
    if (primary != Format.ZIP && ZipListing.endsWithZip(blob)) {
      // TFLite metadata writers append the model's associated files (labels, vocabularies) as a zip
      found.add(new Alternative(Format.ZIP, 0, true, primary == Format.TFLITE,
          "Python's zipfile reads a zip from its end record"));
    }
    return found;
  }

  private static boolean startsWithZipHeader(Blob blob) throws IOException {
    return blob.size() >= 4 && Arrays.equals(blob.readBytes(0, 4), new byte[] {'P', 'K', 3, 4});
  }

  /** The first offset, among 512 and its doublings, where the HDF5 library would find a superblock; -1 if none. */
  static long hdf5Superblock(Blob blob) throws IOException {
    for (long at = 512; at > 0 && at + HDF5_SIGNATURE.length <= blob.size(); at <<= 1) {
      if (Arrays.equals(blob.readBytes(at, HDF5_SIGNATURE.length), HDF5_SIGNATURE)) {
        return at;
      }
    }
    return -1;
  }
}
