package aha.model;

import aha.BadInputException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The safetensors format: an 8-byte little-endian header length, a JSON header ({@code dtype},
 * {@code shape}, {@code data_offsets} per tensor, plus {@code __metadata__}) padded with spaces to
 * 8 bytes, then the raw little-endian data. Reads F32, F16 and BF16 into float32 arrays; writes F32
 * or BF16 (rounded to nearest even).
 */
public final class SafeTensors {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What a checkpoint is written as. */
  public enum Dtype {
    F32(4),
    BF16(2);

    final int bytes;

    Dtype(int bytes) {
      this.bytes = bytes;
    }
  }

  private SafeTensors() {}

  /** Header entry of one tensor. */
  record Entry(String dtype, long[] shape, long begin, long end) {}

  /** Reads every tensor of {@code file} as float32 arrays in {@code manager}, keyed by name. */
  public static Map<String, NDArray> read(Path file, NDManager manager) {
    Map<String, NDArray> out = new LinkedHashMap<>();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      Map<String, Entry> header = header(ch, file);
      long dataStart = 8 + headerLength(ch, file);
      for (var e : header.entrySet()) {
        Entry t = e.getValue();
        String name = e.getKey();
        long n = new Shape(t.shape()).size();
        int width = width(t.dtype(), file, name);
        if (t.end() - t.begin() != n * width || dataStart + t.end() > size || t.begin() < 0) {
          throw new BadInputException(
              file
                  + ": tensor "
                  + name
                  + " has data_offsets that do not match its shape "
                  + new Shape(t.shape())
                  + " and dtype "
                  + t.dtype());
        }
        MappedByteBuffer raw =
            ch.map(FileChannel.MapMode.READ_ONLY, dataStart + t.begin(), t.end() - t.begin());
        raw.order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer floats = toFloat32(raw, t.dtype(), n);
        NDArray a = manager.create(floats, new Shape(t.shape()), DataType.FLOAT32);
        a.setName(name);
        out.put(name, a);
      }
    } catch (IOException e) {
      throw new BadInputException(
          "Cannot read safetensors file " + file + ": " + e.getMessage(), e);
    }
    return out;
  }

  /** The header's tensor entries, in file order ({@code __metadata__} left out). */
  static Map<String, Entry> header(FileChannel ch, Path file) throws IOException {
    long len = headerLength(ch, file);
    ByteBuffer hb = ByteBuffer.allocate((int) len);
    ch.read(hb, 8);
    JsonNode root;
    try {
      root = JSON.readTree(new String(hb.array(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new BadInputException(file + ": the safetensors header is not valid JSON", e);
    }
    Map<String, Entry> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      var f = it.next();
      if (f.getKey().equals("__metadata__")) continue;
      JsonNode t = f.getValue();
      JsonNode shape = t.get("shape");
      JsonNode off = t.get("data_offsets");
      if (shape == null || off == null || !t.has("dtype") || off.size() != 2) {
        throw new BadInputException(
            file + ": tensor " + f.getKey() + " lacks dtype, shape or data_offsets");
      }
      long[] dims = new long[shape.size()];
      for (int i = 0; i < dims.length; i++) dims[i] = shape.get(i).asLong();
      out.put(
          f.getKey(),
          new Entry(t.get("dtype").asText(), dims, off.get(0).asLong(), off.get(1).asLong()));
    }
    return out;
  }

  private static long headerLength(FileChannel ch, Path file) throws IOException {
    ByteBuffer lb = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    if (ch.read(lb, 0) != 8) {
      throw new BadInputException(file + " is too short to be a safetensors file");
    }
    long len = lb.getLong(0);
    if (len <= 0 || len > 100_000_000 || 8 + len > ch.size()) {
      throw new BadInputException(file + " has a bad safetensors header length " + len);
    }
    return len;
  }

  private static int width(String dtype, Path file, String name) {
    switch (dtype) {
      case "F32":
        return 4;
      case "F16":
      case "BF16":
        return 2;
      default:
        throw new BadInputException(
            file + ": tensor " + name + " has dtype " + dtype + "; expected F32, F16 or BF16");
    }
  }

  /** A fresh, writable, native-order direct buffer of float32 values. */
  private static ByteBuffer toFloat32(ByteBuffer raw, String dtype, long n) {
    ByteBuffer out =
        ByteBuffer.allocateDirect(Math.toIntExact(n * 4)).order(ByteOrder.nativeOrder());
    if (dtype.equals("F32")) {
      out.asFloatBuffer().put(raw.asFloatBuffer());
      return out;
    }
    boolean bf16 = dtype.equals("BF16");
    for (long i = 0; i < n; i++) {
      int h = raw.getShort((int) (2 * i)) & 0xFFFF;
      out.putFloat((int) (4 * i), bf16 ? Float.intBitsToFloat(h << 16) : halfToFloat(h));
    }
    return out;
  }

  /** IEEE 754 binary16 to float (Java 17 has no Float.float16ToFloat). */
  static float halfToFloat(int h) {
    int sign = (h & 0x8000) << 16;
    int exp = (h >>> 10) & 0x1F;
    int mant = h & 0x3FF;
    if (exp == 0x1F) {
      return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13)); // inf / NaN
    }
    if (exp == 0) {
      float v = mant * 0x1p-24f; // subnormal (or zero)
      return sign != 0 ? -v : v;
    }
    return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
  }

  /** float to bfloat16 bits, rounding to nearest even (NaN kept a NaN). */
  static short floatToBf16(float f) {
    int bits = Float.floatToRawIntBits(f);
    if (Float.isNaN(f)) return (short) ((bits >>> 16) | 0x40);
    int rounding = 0x7FFF + ((bits >>> 16) & 1);
    return (short) ((bits + rounding) >>> 16);
  }

  private static float[] floats(NDArray a) {
    if (a.getDataType() == DataType.FLOAT32) return a.toFloatArray();
    try (NDArray f = a.toType(DataType.FLOAT32, false)) {
      return f.toFloatArray();
    }
  }

  /**
   * Writes {@code tensors} (any float dtype, converted) to {@code file} with {@code __metadata__
   * {"format":"pt"}}, the tensors sorted by name and stored back to back.
   */
  public static void write(Path file, Map<String, NDArray> tensors, Dtype dtype)
      throws IOException {
    Map<String, NDArray> sorted = new TreeMap<>(tensors);
    ObjectNode header = JSON.createObjectNode();
    header.putObject("__metadata__").put("format", "pt");
    long offset = 0;
    for (var e : sorted.entrySet()) {
      long bytes = e.getValue().getShape().size() * dtype.bytes;
      ObjectNode t = header.putObject(e.getKey());
      t.put("dtype", dtype.name());
      var shape = t.putArray("shape");
      for (long d : e.getValue().getShape().getShape()) shape.add(d);
      t.putArray("data_offsets").add(offset).add(offset + bytes);
      offset += bytes;
    }
    byte[] json = JSON.writeValueAsBytes(header);
    int padded = (json.length + 7) / 8 * 8;
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
      ByteBuffer lb = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      out.write(lb.putLong(padded).array());
      out.write(json);
      for (int i = json.length; i < padded; i++) out.write(' ');
      for (NDArray a : sorted.values()) {
        float[] v = floats(a);
        ByteBuffer b = ByteBuffer.allocate(v.length * dtype.bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (dtype == Dtype.F32) {
          b.asFloatBuffer().put(v);
        } else {
          for (float f : v) b.putShort(floatToBf16(f));
        }
        out.write(b.array());
      }
    }
  }
}
