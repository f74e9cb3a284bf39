package dev.rampart.scan.pickle;

import dev.rampart.core.numpy.NpyHeader;
import java.util.Map;

/** Item sizes of NumPy dtypes as they appear in pickles ({@code numpy.dtype('f8', False, True)} plus BUILD state). */
final class NumpyDtypes {
  static final long OBJECT = -2;
  static final long UNKNOWN = -1;

  private NumpyDtypes() {}

  static long itemsize(Value dtype, Map<Value, Value> builtState) {
    if (!(dtype instanceof Value.Call c) || !(c.args() instanceof Value.Tuple t) || t.items().isEmpty()) {
      return UNKNOWN;
    }
    if (!(t.items().get(0) instanceof Value.Str code)) {
      return UNKNOWN;
    }
    var state = builtState.get(dtype);
    // State is (version, byteorder, subdescr, names, fields, elsize, alignment, flags); fields may hold objects.
    // NPY_ITEM_HASOBJECT in the pickled flags makes dtype.hasobject true whatever the type code says, and joblib
    // then unpickles the array's bytes; numpy's __setstate__ keeps the flags as written (a char: bit 0 survives)
    if (state instanceof Value.Tuple st && st.items().size() >= 8 && hasObjectFlag(st.items().get(7))) {
      return OBJECT;
    }
    if (state instanceof Value.Tuple st && st.items().size() >= 6) {
      if (st.items().get(4) instanceof Value.DictV fields && containsObject(fields, builtState)) {
        return OBJECT;
      }
      if (st.items().get(5) instanceof Value.Num elsize && elsize.asLong(-1) > 0) {
        return elsize.asLong(-1);
      }
    }
    return fromCode(code.value());
  }

  private static boolean hasObjectFlag(Value flags) {
    if (!(flags instanceof Value.Num n)) {
      return false;
    }
    try {
      return new java.math.BigInteger(n.text().trim()).testBit(0); // NPY_ITEM_HASOBJECT is 0x01
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static boolean containsObject(Value.DictV fields, Map<Value, Value> builtState) {
    for (Value[] e : fields.entries) {
      if (e[1] instanceof Value.Tuple t && !t.items().isEmpty() && itemsize(t.items().get(0), builtState) == OBJECT) {
        return true;
      }
    }
    return false;
  }

  static long fromCode(String raw) {
    try {
      // every spelling NumPy reads as an object dtype ('object', 'O8', 'i4,O', ...), as the .npy reader classifies it
      if (NpyHeader.holdsObjects(raw)) {
        return OBJECT;
      }
    } catch (IllegalArgumentException notADtype) {
      return UNKNOWN;
    }
    String s = raw.replaceAll("^[<>=|]", "");
    if (s.isEmpty()) {
      return UNKNOWN;
    }
    char kind = s.charAt(0);
    String digits = s.substring(1);
    if (kind == 'O') {
      return OBJECT;
    }
    long n;
    try {
      n = digits.isEmpty() ? defaultSize(kind) : Long.parseLong(digits.replaceAll("\\[.*", ""));
    } catch (NumberFormatException e) {
      return UNKNOWN;
    }
    return switch (kind) {
      case 'U' -> n * 4;
      case 'f', 'i', 'u', 'b', 'c', 'S', 'V', 'M', 'm', 'a', 'e', 'd', 'g', 'l', 'q', 'h', 'B', 'H', 'I', 'L', 'Q', '?' -> n;
      default -> UNKNOWN;
    };
  }

  private static long defaultSize(char kind) {
    return switch (kind) {
      case '?', 'b', 'B' -> 1;
      case 'h', 'H', 'e' -> 2;
      case 'i', 'I', 'f' -> 4;
      case 'l', 'L', 'q', 'Q', 'd' -> 8;
      case 'g' -> 16;
      default -> -1;
    };
  }
}
