package io.bitnet4j.gguf;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses and validates the header of a GGUF v2/v3 file (magic, counts, metadata, tensor infos) from its
 * mapped bytes, as strictly as ggml's {@code gguf_init_from_file} and llama.cpp's loader, or more so:
 *
 * <ul>
 *   <li>version 2 or 3, little-endian (v1 and byte-swapped files are refused by name);
 *   <li>counts, string lengths and array lengths checked against the bytes left before allocating;
 *   <li>no duplicate keys, no empty keys, no arrays of arrays, BOOL values 0 or 1, strict UTF-8;
 *   <li>{@code general.alignment}, if present, a UINT32 power of two (ggml default 32);
 *   <li>tensor names 1..63 bytes and unique, 1..4 dimensions each positive, element count within a
 *       {@code long}, a known type id, a row length divisible by the type's block size;
 *   <li>each tensor's offset equal to the running sum of the padded sizes before it (so tensors are in
 *       order, aligned and never overlap), and its data inside the file.
 * </ul>
 *
 * <p>ggml allows zero dimensions (and then divides by them); we reject them, and we also reject n_dims 0,
 * which no ggml writer produces.
 */
final class GgufReader {
    static final byte[] MAGIC = {'G', 'G', 'U', 'F'};
    /** The smallest possible key/value: key length, value type, a 1-byte value. */
    private static final int MIN_KV_BYTES = 8 + 4 + 1;
    /** The smallest possible tensor info: name length, n_dims, one dimension, type, offset. */
    private static final int MIN_TENSOR_INFO_BYTES = 8 + 4 + 8 + 4 + 8;

    /** Everything before the data section. */
    record Header(int version, GgufMetadata metadata, int alignment, List<TensorInfo> tensors, long dataOffset) {}

    /** One validated tensor info; {@code offset} is relative to the data section. */
    record TensorInfo(String name, GgmlType type, long[] dims, long nElements, long offset, long byteSize) {}

    private final GgufCursor in;

    private GgufReader(MemorySegment file) {
        this.in = new GgufCursor(file);
    }

    /** Parses the header of the whole-file segment {@code file}. */
    static Header read(MemorySegment file) throws GgufFormatException {
        return new GgufReader(file).readHeader();
    }

    private Header readHeader() throws GgufFormatException {
        readMagic();
        int version = readVersion();
        long nTensors = in.u64("tensor count");
        long nKv = in.u64("metadata key/value count");
        checkCount("metadata key/value count", nKv, MIN_KV_BYTES, 16);

        Map<String, GgufValue> kv = new LinkedHashMap<>();
        long alignmentAt = -1;
        for (long i = 0; i < nKv; i++) {
            long keyAt = in.position();
            String key = in.string("key " + i);
            if (key.isEmpty()) {
                throw new GgufFormatException("key " + i + " at byte " + keyAt + " is empty");
            }
            if (kv.containsKey(key)) {
                throw new GgufFormatException("duplicate key '" + key + "' at byte " + keyAt + " (key " + i + ")");
            }
            if (key.equals(GgufFile.KEY_ALIGNMENT)) {
                alignmentAt = in.position() + 4; // past the value type: where a UINT32 value is
            }
            kv.put(key, readValue("key '" + key + "'"));
        }
        GgufMetadata metadata = new GgufMetadata(kv);
        int alignment = alignment(metadata, alignmentAt);
        checkCount("tensor count", nTensors, MIN_TENSOR_INFO_BYTES, 8); // the tensor infos follow the metadata

        List<TensorInfo> infos = new ArrayList<>();
        List<Long> offsetPositions = new ArrayList<>();
        Map<String, Integer> names = new HashMap<>();
        for (int i = 0; i < nTensors; i++) {
            infos.add(readTensorInfo(i, names, offsetPositions));
        }
        long dataOffset = alignUp(in.position(), alignment, "data section start");
        checkOffsets(infos, offsetPositions, dataOffset, alignment);
        return new Header(version, metadata, alignment, List.copyOf(infos), dataOffset);
    }

    private void readMagic() throws GgufFormatException {
        in.require(4, "magic");
        byte[] m = in.bytes(4, "magic");
        if (!Arrays.equals(m, MAGIC)) {
            StringBuilder shown = new StringBuilder();
            for (byte b : m) {
                shown.append(b >= 0x20 && b < 0x7F ? (char) b : '?');
            }
            throw new GgufFormatException("not a GGUF file: magic at byte 0 is '" + shown + "', expected 'GGUF'");
        }
    }

    private int readVersion() throws GgufFormatException {
        long v = in.u32("version");
        if (v != 0 && (v & 0xFFFF) == 0) {
            throw new GgufFormatException("version at byte 4 reads as " + v + ": a big-endian GGUF file, which is not supported");
        }
        if (v == 1) {
            throw new GgufFormatException("GGUF version 1 at byte 4 is no longer supported; only versions 2 and 3 are");
        }
        if (v != 2 && v != 3) {
            throw new GgufFormatException("unsupported GGUF version " + v + " at byte 4; only versions 2 and 3 are");
        }
        return (int) v;
    }

    /** A u64 count read at {@code at}, taken as signed (as ggml does) and bounded by how many minimal items the rest of the file can hold. */
    private void checkCount(String what, long n, int minItemBytes, long at) throws GgufFormatException {
        if (n < 0 || n > in.remaining() / minItemBytes) {
            throw in.exceeds(what, n, at);
        }
        if (n > GgufCursor.MAX_ARRAY) {
            throw new GgufFormatException(what + " " + n + " at byte " + at + " is more than this reader can hold");
        }
    }

    private GgufValue readValue(String what) throws GgufFormatException {
        GgufValueType type = readValueType(what + " value type");
        if (type != GgufValueType.ARRAY) {
            return readScalarOrString(type, what);
        }
        long typeAt = in.position();
        GgufValueType elementType = readValueType(what + " array element type");
        if (elementType == GgufValueType.ARRAY) {
            throw new GgufFormatException(what + ": array of arrays at byte " + typeAt + " is not supported (ggml rejects nested arrays)");
        }
        long countAt = in.position();
        long n = in.u64(what + " array length");
        long minElementBytes = elementType.isFixedSize() ? elementType.size() : 8;
        if (n < 0 || n > in.remaining() / minElementBytes) {
            throw in.exceeds(what + ": array length", n, countAt);
        }
        if (n * minElementBytes > GgufCursor.MAX_ARRAY) {
            throw new GgufFormatException(what + ": array length " + n + " at byte " + countAt + " is too long to hold in memory");
        }
        if (elementType == GgufValueType.STRING) {
            return new GgufArray(readStrings((int) n, what));
        }
        long dataAt = in.position();
        byte[] raw = in.bytes((int) (n * elementType.size()), what + " array data");
        try {
            return new GgufArray(elementType, raw, null);
        } catch (IllegalArgumentException e) {
            throw new GgufFormatException(what + ": array at byte " + dataAt + ": " + e.getMessage());
        }
    }

    /**
     * The {@code n} strings of array {@code what}, kept as the file's bytes ({@link Utf8Strings}) after a check that each
     * is strict UTF-8. A loop of its own: a vocabulary's 100,000+ strings make it the hot loop of a load, and in
     * {@link #readValue} it made the JIT compile all of that method twice (on-stack and whole, 70 ms of C2's time at
     * the start of a 2B model's load, docs/bench-log.md session 16), where this small one is cheap.
     */
    private Utf8Strings readStrings(int n, String what) throws GgufFormatException {
        long regionAt = in.position();
        int[] starts = new int[n];
        for (int i = 0; i < n; i++) {
            long start = in.skipString(what, i);
            if (start - regionAt > GgufCursor.MAX_ARRAY) {
                throw new GgufFormatException(what + ": the strings from byte " + regionAt + " are too long to hold in memory");
            }
            starts[i] = (int) (start - regionAt);
        }
        long end = in.position();
        if (end - regionAt > GgufCursor.MAX_ARRAY) {
            throw new GgufFormatException(what + ": the strings from byte " + regionAt + " are too long to hold in memory");
        }
        byte[] region = in.copy(regionAt, (int) (end - regionAt));
        int bad = Utf8Strings.firstInvalid(region, starts);
        if (bad >= 0) {
            throw new GgufFormatException(what + " element " + bad + " at byte " + (regionAt + starts[bad] - 8) + " is not valid UTF-8");
        }
        return new Utf8Strings(region, starts);
    }

    private GgufValueType readValueType(String what) throws GgufFormatException {
        long at = in.position();
        long id = in.u32(what);
        try {
            return GgufValueType.fromId(id);
        } catch (IllegalArgumentException e) {
            throw new GgufFormatException(what + " at byte " + at + ": " + e.getMessage());
        }
    }

    private GgufValue readScalarOrString(GgufValueType type, String what) throws GgufFormatException {
        if (type == GgufValueType.STRING) {
            return new GgufValue.Text(in.string(what));
        }
        long at = in.position();
        long bits = in.bits(type.size(), what);
        if (type == GgufValueType.BOOL && bits > 1) {
            throw new GgufFormatException(what + ": BOOL value " + bits + " at byte " + at + " must be 0 or 1");
        }
        return new GgufValue.Scalar(type, bits);
    }

    private static int alignment(GgufMetadata metadata, long at) throws GgufFormatException {
        if (!metadata.contains(GgufFile.KEY_ALIGNMENT)) {
            return GgufFile.DEFAULT_ALIGNMENT;
        }
        GgufValue v = metadata.get(GgufFile.KEY_ALIGNMENT);
        if (!(v instanceof GgufValue.Scalar s) || s.type() != GgufValueType.UINT32) {
            throw new GgufFormatException(GgufFile.KEY_ALIGNMENT + " at byte " + at + " is a "
                    + GgufMetadata.describeType(v) + "; it must be a UINT32");
        }
        long a = s.asLong();
        if (a == 0 || (a & (a - 1)) != 0 || a > (1 << 30)) {
            throw new GgufFormatException(GgufFile.KEY_ALIGNMENT + " " + a + " at byte " + at
                    + " is not a power of two in 1..2^30");
        }
        return (int) a;
    }

    private TensorInfo readTensorInfo(int i, Map<String, Integer> names, List<Long> offsetPositions) throws GgufFormatException {
        long nameAt = in.position();
        String name = in.string("tensor " + i + " name");
        int nameBytes = GgufFile.utf8Length(name);
        if (nameBytes == 0 || nameBytes > GgufFile.MAX_TENSOR_NAME_BYTES) {
            throw new GgufFormatException("tensor " + i + " name at byte " + nameAt + " is " + nameBytes
                    + " bytes long; it must be 1.." + GgufFile.MAX_TENSOR_NAME_BYTES);
        }
        Integer earlier = names.putIfAbsent(name, i);
        if (earlier != null) {
            throw new GgufFormatException("duplicate tensor name '" + name + "' at byte " + nameAt + " (tensors " + earlier + " and " + i + ")");
        }
        String what = "tensor " + i + " '" + name + "'";

        long dimsAt = in.position();
        long nDims = in.u32(what + " n_dims");
        if (nDims < 1 || nDims > GgufFile.MAX_DIMS) {
            throw new GgufFormatException(what + ": n_dims " + nDims + " at byte " + dimsAt + " must be 1.." + GgufFile.MAX_DIMS);
        }
        long[] dims = new long[(int) nDims];
        long nElements = 1;
        for (int d = 0; d < nDims; d++) {
            long at = in.position();
            dims[d] = in.u64(what + " dimension " + d);
            if (dims[d] <= 0) {
                throw new GgufFormatException(what + ": dimension " + d + " is " + Long.toUnsignedString(dims[d])
                        + " at byte " + at + "; it must be in 1..2^63-1");
            }
            if (nElements > Long.MAX_VALUE / dims[d]) {
                throw new GgufFormatException(what + ": the element count of dims " + unsigned(dims, d + 1) + " at byte "
                        + dimsAt + " overflows a 64-bit integer");
            }
            nElements *= dims[d];
        }

        long typeAt = in.position();
        long typeId = in.u32(what + " type");
        GgmlType type;
        long byteSize;
        try {
            type = GgmlType.fromId(typeId);
        } catch (IllegalArgumentException e) {
            throw new GgufFormatException(what + ": type at byte " + typeAt + ": " + e.getMessage());
        }
        if (dims[0] % type.blockSize() != 0) {
            throw new GgufFormatException(what + ": row length " + dims[0] + " (dimension 0) at byte " + dimsAt
                    + " is not a multiple of " + type + "'s block size " + type.blockSize());
        }
        try {
            byteSize = type.byteSize(nElements);
        } catch (IllegalArgumentException e) {
            throw new GgufFormatException(what + " at byte " + dimsAt + ": " + e.getMessage());
        }
        offsetPositions.add(in.position());
        long offset = in.u64(what + " offset");
        return new TensorInfo(name, type, dims, nElements, offset, byteSize);
    }

    private static String unsigned(long[] dims, int n) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            b.append(i > 0 ? ", " : "").append(Long.toUnsignedString(dims[i]));
        }
        return b.append(']').toString();
    }

    /** ggml's rule: tensor i starts where the padded tensors before it end, and the data lies in the file. */
    private void checkOffsets(List<TensorInfo> infos, List<Long> offsetPositions, long dataOffset, int alignment)
            throws GgufFormatException {
        long expected = 0;
        for (int i = 0; i < infos.size(); i++) {
            TensorInfo t = infos.get(i);
            String what = "tensor " + i + " '" + t.name() + "'";
            if (t.offset() != expected) {
                throw new GgufFormatException(what + ": offset " + Long.toUnsignedString(t.offset()) + " at byte "
                        + offsetPositions.get(i) + " should be " + expected);
            }
            long start = dataOffset + expected;
            if (t.byteSize() > in.fileSize() - start) {
                throw new GgufFormatException(what + ": data of " + t.byteSize() + " bytes at byte " + start
                        + " runs past the end of the file at byte " + in.fileSize());
            }
            expected = alignUp(expected + t.byteSize(), alignment, what + " padded end");
        }
    }

    private static long alignUp(long n, int alignment, String what) throws GgufFormatException {
        long r = (n + alignment - 1) & -(long) alignment;
        if (r < n) {
            throw new GgufFormatException(what + " " + n + " overflows when padded to " + alignment);
        }
        return r;
    }
}
