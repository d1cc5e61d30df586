package io.bitnet4j.gguf;

import static io.bitnet4j.gguf.TinyGguf.QB;
import static io.bitnet4j.gguf.TinyGguf.WA;
import static io.bitnet4j.gguf.TinyGguf.WC;
import static io.bitnet4j.gguf.TinyGguf.find;
import static io.bitnet4j.gguf.TinyGguf.putText;
import static io.bitnet4j.gguf.TinyGguf.putU32;
import static io.bitnet4j.gguf.TinyGguf.putU64;
import static io.bitnet4j.gguf.TinyGguf.tensorInfo;
import static io.bitnet4j.gguf.TinyGguf.valueOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Corrupted variants of a small valid file: each must fail with a {@link GgufFormatException} whose
 * message names the problem, never another exception, an OutOfMemoryError or a hang.
 */
class GgufCorruptionTest {
    @TempDir
    Path dir;

    byte[] good;

    @BeforeEach
    void writeTheValidFile() throws IOException {
        good = TinyGguf.bytes(dir);
    }

    private GgufFile open(byte[] bytes) throws IOException {
        Path p = dir.resolve("case.gguf");
        Files.write(p, bytes);
        return GgufFile.open(p);
    }

    /** Asserts that {@code bytes} is rejected with a message containing every one of {@code expected}. */
    private String reject(byte[] bytes, String... expected) throws IOException {
        GgufFormatException e = assertThrows(GgufFormatException.class, () -> open(bytes).close());
        for (String s : expected) {
            assertTrue(e.getMessage().contains(s), "message lacks '" + s + "': " + e.getMessage());
        }
        return e.getMessage();
    }

    @Test
    void theValidFileOpens() throws IOException {
        try (GgufFile f = open(good)) {
            assertEquals(3, f.tensors().size());
            assertEquals(6, f.metadata().size());
        }
    }

    @Test
    void truncationAnywhereBeforeTheLastTensorsDataIsReported() throws IOException {
        int headerEnd = tensorInfo(good, WC) + 4 + 8 + 4 + 8;
        int firstTensorInfo = find(good, WA) - 8;
        long dataOffset;
        long dataEnd;
        try (GgufFile f = open(good)) {
            dataOffset = f.dataOffset();
            GgufTensor last = f.tensor(WC);
            dataEnd = dataOffset + last.offset() + last.byteSize();
        }
        assertTrue(dataEnd < good.length, "the last tensor is padded");
        for (int n = 0; n < good.length; n++) {
            byte[] cut = Arrays.copyOf(good, n);
            if (n >= dataEnd) {
                open(cut).close(); // only the last tensor's padding is missing: still a whole file
            } else if (n < 24) {
                reject(cut, "truncated", "at byte");
            } else if (n < firstTensorInfo) {
                reject(cut, "truncated", "key");
            } else if (n < headerEnd) {
                reject(cut, "truncated", "tensor");
            } else {
                reject(cut, "past the end of the file");
            }
        }
    }

    @Test
    void hugeCountsAndLengthsAreCheckedBeforeAllocating() throws IOException {
        reject(putU64(good, 16, 1L << 62), "metadata key/value count 4611686018427387904 at byte 16", "exceeds");
        reject(putU64(good, 8, 1L << 40), "tensor count 1099511627776 at byte 8", "exceeds");
        reject(putU64(good, 8, -1), "tensor count 18446744073709551615");
        int keyLen = find(good, "general.architecture") - 8;
        reject(putU64(good, keyLen, 1L << 40), "key 0 length 1099511627776 at byte " + keyLen, "exceeds");
        int tokensLen = valueOf(good, "t.tokens") + 4;
        reject(putU64(good, tokensLen, 1L << 60), "key 't.tokens': array length 1152921504606846976 at byte " + tokensLen);
        int scoresLen = valueOf(good, "t.scores") + 4;
        reject(putU64(good, scoresLen, (1L << 62) + 1), "key 't.scores': array length");
        int elementLen = find(good, "bé") - 8;
        reject(putU64(good, elementLen, Long.MAX_VALUE), "key 't.tokens' element 1 length", "at byte " + elementLen);
    }

    @Test
    void tensorShapesAreChecked() throws IOException {
        int nDims = tensorInfo(good, WA);
        reject(putU32(good, nDims, 5), "tensor 0 'tensor.wa': n_dims 5 at byte " + nDims + " must be 1..4");
        reject(putU32(good, nDims, 0), "n_dims 0");
        byte[] overflow = putU64(putU64(good, nDims + 4, 1L << 40), nDims + 12, 1L << 40);
        reject(overflow, "tensor 0 'tensor.wa'", "overflows a 64-bit integer");
        reject(putU64(good, nDims + 12, 0), "dimension 1 is 0 at byte " + (nDims + 12));
        reject(putU64(good, nDims + 4, -4), "dimension 0 is 18446744073709551612");
        int qbDims = tensorInfo(good, QB);
        reject(putU64(good, qbDims + 4, 16), "tensor 1 'tensor.qb': row length 16", "not a multiple of Q8_0's block size 32");
    }

    @Test
    void unknownTypeIdsAreRejected() throws IOException {
        int typeAt = tensorInfo(good, WA) + 4 + 16;
        reject(putU32(good, typeAt, 99), "tensor 0 'tensor.wa': type at byte " + typeAt, "unknown ggml type id 99");
        reject(putU32(good, typeAt, 31), "Q4_0_4_4", "removed");
        int valueType = valueOf(good, "k.aaa") - 4;
        reject(putU32(good, valueType, 13), "key 'k.aaa' value type at byte " + valueType, "unknown GGUF value type 13");
        int elementType = valueOf(good, "t.scores");
        reject(putU32(good, elementType, 9), "key 't.scores': array of arrays at byte " + elementType);
        reject(putU32(good, elementType, 77), "array element type", "unknown GGUF value type 77");
    }

    @Test
    void offsetsMustBeTheRunningPaddedSizes() throws IOException {
        int qbOffset = tensorInfo(good, QB) + 4 + 16 + 4;
        reject(putU64(good, qbOffset, 33), "tensor 1 'tensor.qb': offset 33 at byte " + qbOffset + " should be 32");
        reject(putU64(good, qbOffset, 0), "offset 0", "should be 32"); // overlapping tensor.wa
        int wcOffset = tensorInfo(good, WC) + 4 + 8 + 4;
        reject(putU64(good, wcOffset, 1L << 50), "tensor 2 'tensor.wc': offset 1125899906842624", "should be 96");
        reject(putU64(good, wcOffset, -32), "should be 96");
        reject(Arrays.copyOf(good, good.length - 40), "tensor 2 'tensor.wc': data of 16 bytes", "past the end of the file");
    }

    @Test
    void stringsMustBeValidUtf8() throws IOException {
        int key = find(good, "general.architecture");
        byte[] badKey = good.clone();
        badKey[key + 3] = (byte) 0xFF;
        reject(badKey, "key 0 at byte " + (key - 8) + " is not valid UTF-8");
        int value = find(good, "tiny");
        byte[] badValue = good.clone();
        badValue[value] = (byte) 0xC0; // an overlong lead byte
        reject(badValue, "key 'general.architecture'", "not valid UTF-8");
        int element = find(good, "bé");
        byte[] surrogate = good.clone();
        surrogate[element + 1] = (byte) 0xED; // "é" is 2 bytes; ED A0 would start a UTF-16 surrogate
        surrogate[element + 2] = (byte) 0xA0;
        reject(surrogate, "key 't.tokens' element 1", "not valid UTF-8");
        byte[] badName = good.clone();
        badName[find(good, WA)] = (byte) 0x80;
        reject(badName, "tensor 0 name", "not valid UTF-8");
    }

    @Test
    void duplicatesAreRejected() throws IOException {
        int bbb = find(good, "k.bbb");
        reject(putText(good, bbb, "k.aaa"), "duplicate key 'k.aaa' at byte " + (bbb - 8));
        int wc = find(good, WC);
        reject(putText(good, wc, WA), "duplicate tensor name 'tensor.wa' at byte " + (wc - 8), "tensors 0 and 2");
        reject(putU64(good, find(good, "k.aaa") - 8, 0), "key 2", "is empty");
    }

    @Test
    void alignmentMustBeAUint32PowerOfTwo() throws IOException {
        int at = valueOf(good, "general.alignment");
        reject(putU32(good, at, 0), "general.alignment 0 at byte " + at, "not a power of two");
        reject(putU32(good, at, 3), "general.alignment 3", "not a power of two");
        reject(putU32(good, at - 4, GgufValueType.INT32.id()), "general.alignment at byte " + at + " is a INT32", "must be a UINT32");
        // a larger power of two is valid, but then every offset is wrong
        reject(putU32(good, at, 64), "tensor 1 'tensor.qb': offset 32", "should be 64");
    }

    @Test
    void headerFieldsAreChecked() throws IOException {
        reject(putText(good, 0, "GGML"), "not a GGUF file: magic at byte 0 is 'GGML'");
        reject(putU32(good, 4, 1), "GGUF version 1", "no longer supported");
        reject(putU32(good, 4, 4), "unsupported GGUF version 4 at byte 4");
        reject(putU32(good, 4, 0), "unsupported GGUF version 0");
        reject(putU32(good, 4, 0x0300_0000), "big-endian");
        byte[] bool = good.clone();
        int at = valueOf(good, "k.bbb");
        bool[at] = 2;
        reject(bool, "key 'k.bbb': BOOL value 2 at byte " + at + " must be 0 or 1");
        reject(new byte[0], "truncated: magic at byte 0");
    }

    @Test
    void randomByteFlipsInTheHeaderNeverEscapeAsOtherExceptions() throws IOException {
        int headerEnd = tensorInfo(good, WC) + 24;
        SplittableRandom random = new SplittableRandom(20250601);
        int rejected = 0;
        for (int trial = 0; trial < 400; trial++) {
            byte[] b = good.clone();
            for (int k = random.nextInt(1, 5); k > 0; k--) {
                b[random.nextInt(headerEnd)] = (byte) random.nextInt(256);
            }
            try (GgufFile f = open(b)) {
                f.tensors().forEach(t -> t.data().get(java.lang.foreign.ValueLayout.JAVA_BYTE, t.byteSize() - 1));
            } catch (GgufFormatException e) {
                rejected++;
            } catch (RuntimeException | Error e) {
                fail("trial " + trial + " escaped as " + e, e);
            }
        }
        assertTrue(rejected > 100, "most random corruptions are caught: " + rejected);
    }
}
