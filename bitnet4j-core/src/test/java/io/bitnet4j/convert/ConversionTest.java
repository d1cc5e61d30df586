package io.bitnet4j.convert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.gguf.GgmlType;
import io.bitnet4j.gguf.GgufFile;
import io.bitnet4j.gguf.GgufTensor;
import io.bitnet4j.gguf.TensorCodec;
import io.bitnet4j.gguf.TernarySource;
import io.bitnet4j.testing.Fixtures;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole-model conversion against llama.cpp's and bitnet.cpp's files, between ternary formats, and the metadata. */
class ConversionTest {
    @TempDir
    Path dir;

    static final ModelConverter.Listener QUIET = new ModelConverter.Listener() {};

    static Path convert(Path in, Path out, ConvertOptions options, List<String> warnings) throws IOException {
        try (ModelSource src = ModelSource.gguf(in)) {
            Conversion.convert(src, out, options, Optional.empty(), QUIET, warnings::add);
        }
        return out;
    }

    static byte[] bytes(GgufTensor t, long length) {
        return t.data().asSlice(0, length).toArray(ValueLayout.JAVA_BYTE);
    }

    @Test
    void f32TinyModelToTqGivesLlamaQuantizesBytes() throws IOException {
        Path f32 = Fixtures.require("models/bitnet-silu-tiny/bitnet-silu-tiny-f32.gguf");
        for (GgmlType type : new GgmlType[] {GgmlType.TQ2_0, GgmlType.TQ1_0}) {
            String suffix = type.name().toLowerCase();
            Path expected = Fixtures.require("models/bitnet-silu-tiny/bitnet-silu-tiny-" + suffix + ".gguf");
            Path out = convert(f32, dir.resolve(suffix + ".gguf"), ConvertOptions.to(type), new ArrayList<>());
            try (GgufFile ours = GgufFile.open(out); GgufFile theirs = GgufFile.open(expected)) {
                assertEquals(theirs.tensors().size(), ours.tensors().size());
                for (GgufTensor t : theirs.tensors()) {
                    GgufTensor o = ours.tensor(t.name());
                    assertEquals(t.type(), o.type(), t.name());
                    assertArrayEquals(t.dims(), o.dims(), t.name());
                    assertArrayEquals(bytes(t, t.byteSize()), bytes(o, o.byteSize()), type + " " + t.name());
                }
                assertEquals(theirs.metadata().getLong("general.file_type"), ours.metadata().getLong("general.file_type"));
                assertEquals(2, ours.metadata().getLong("general.quantization_version"));
                assertEquals(theirs.metadata().get("tokenizer.ggml.tokens"), ours.metadata().get("tokenizer.ggml.tokens"));
            }
        }
    }

    @Test
    void f32TinyModelToI2sGivesBitnetCppsBytes() throws IOException {
        Path f32 = Fixtures.require("models/bitnet-i2s-tiny/bitnet-tiny-b158-f32.gguf");
        Path expected = Fixtures.require("models/bitnet-i2s-tiny/bitnet-tiny-b158-i2s.gguf");
        Path out = convert(f32, dir.resolve("i2s.gguf"), ConvertOptions.to(GgmlType.I2_S), new ArrayList<>());
        try (GgufFile ours = GgufFile.open(out); GgufFile theirs = GgufFile.open(expected)) {
            int i2s = 0;
            for (GgufTensor t : theirs.tensors()) {
                GgufTensor o = ours.tensor(t.name());
                assertEquals(t.type(), o.type(), t.name());
                // I2_S: codes and scale only; bitnet.cpp leaves the 28 padding bytes unwritten
                long compared = t.type() == GgmlType.I2_S ? t.nElements() / 4 + 4 : t.byteSize();
                assertArrayEquals(bytes(t, compared), bytes(o, compared), t.name());
                i2s += t.type() == GgmlType.I2_S ? 1 : 0;
            }
            assertEquals(28, i2s);
            assertEquals(40, ours.metadata().getLong("general.file_type"));
            assertEquals("bitnet-b1.58", ours.metadata().getString("general.architecture"));
        }
    }

    @Test
    void peerTernaryFilesConvertBetweenEveryPairKeepingEveryTrit() throws IOException {
        Path tq2 = Fixtures.require("models/bitnet-silu-tiny/bitnet-silu-tiny-tq2_0.gguf");
        Path i2s = Fixtures.require("models/bitnet-i2s-tiny/bitnet-tiny-silu-i2s.gguf");
        GgmlType[] ternary = {GgmlType.TQ1_0, GgmlType.TQ2_0, GgmlType.I2_S};
        for (Path in : new Path[] {tq2, i2s}) {
            for (GgmlType to : ternary) {
                List<String> warnings = new ArrayList<>();
                Path out = convert(in, dir.resolve("x-" + to + ".gguf"), ConvertOptions.to(to), warnings);
                try (GgufFile src = GgufFile.open(in); GgufFile dst = GgufFile.open(out)) {
                    for (GgufTensor t : src.tensors()) {
                        if (!ConvertOptions.isTernary(t.type())) {
                            continue;
                        }
                        GgufTensor o = dst.tensor(t.name());
                        assertEquals(to, o.type());
                        assertArrayEquals(trits(t), trits(o), in.getFileName() + " → " + to + " " + t.name());
                        float[] a = values(t);
                        float[] b = values(o);
                        // TQ scales are fp16: I2_S's float32 scale is rounded, and a warning says by how much
                        boolean rounded = t.type() == GgmlType.I2_S && to != GgmlType.I2_S;
                        for (int i = 0; i < a.length; i++) {
                            assertEquals(a[i], b[i], rounded ? Math.abs(a[i]) * 0x1p-11f : 0f, t.name() + " element " + i);
                        }
                    }
                }
                boolean rounded = in == i2s && to != GgmlType.I2_S;
                assertEquals(rounded, !warnings.isEmpty(), warnings.toString());
                assertTrue(warnings.size() <= 1 && warnings.stream().allMatch(w -> w.contains("28 tensors keep every trit")), warnings.toString());
            }
        }
    }

    @Test
    void ternaryRoundTripReturnsTheSameBytes() throws IOException {
        Path tq2 = Fixtures.require("models/bitnet-silu-tiny/bitnet-silu-tiny-tq2_0.gguf");
        Path viaI2s = convert(tq2, dir.resolve("a.gguf"), ConvertOptions.to(GgmlType.I2_S), new ArrayList<>());
        Path viaTq1 = convert(viaI2s, dir.resolve("b.gguf"), ConvertOptions.to(GgmlType.TQ1_0), new ArrayList<>());
        Path back = convert(viaTq1, dir.resolve("c.gguf"), ConvertOptions.to(GgmlType.TQ2_0), new ArrayList<>());
        try (GgufFile a = GgufFile.open(tq2); GgufFile b = GgufFile.open(back)) {
            for (GgufTensor t : a.tensors()) {
                assertArrayEquals(bytes(t, t.byteSize()), bytes(b.tensor(t.name()), t.byteSize()), t.name());
            }
        }
    }

    @Test
    void floatTargetsDequantizeTernaryModelsExactly() throws IOException {
        Path tq1 = Fixtures.require("models/bitnet-silu-tiny/bitnet-silu-tiny-tq1_0.gguf");
        Path f32 = Fixtures.require("models/bitnet-silu-tiny/bitnet-silu-tiny-f32.gguf");
        for (GgmlType to : new GgmlType[] {GgmlType.F32, GgmlType.F16, GgmlType.BF16}) {
            float tolerance = to == GgmlType.BF16 ? 0x1p-8f : 0f; // relative: bfloat16 keeps 8 significant bits
            Path out = convert(tq1, dir.resolve(to + ".gguf"), ConvertOptions.to(to), new ArrayList<>());
            try (GgufFile ours = GgufFile.open(out); GgufFile ref = GgufFile.open(f32)) {
                assertEquals(FileType.of(to), ours.metadata().getLong("general.file_type"));
                assertFalse(ours.metadata().contains("general.quantization_version"), "a float file is not quantized");
                for (GgufTensor t : ref.tensors()) {
                    float[] a = values(t);
                    float[] b = values(ours.tensor(t.name()));
                    for (int i = 0; i < a.length; i++) {
                        // the scales and the embedding are fp16-exact, so F32 and F16 are exact
                        assertEquals(a[i], b[i], Math.abs(a[i]) * tolerance, to + " " + t.name() + " element " + i);
                    }
                }
            }
        }
    }

    @Test
    void architectureRenamesKeysAndSaysWhatLlamaCppWillCompute() throws IOException {
        Path i2s = Fixtures.require("models/bitnet-i2s-tiny/bitnet-tiny-b158-i2s.gguf");
        List<String> warnings = new ArrayList<>();
        ConvertOptions o = new ConvertOptions(GgmlType.TQ2_0, Optional.empty(), Optional.empty(), GgmlType.F16, Optional.of("bitnet"));
        Path out = convert(i2s, dir.resolve("bitnet.gguf"), o, warnings);
        try (GgufFile f = GgufFile.open(out); GgufFile src = GgufFile.open(i2s)) {
            assertEquals("bitnet", f.metadata().getString("general.architecture"));
            assertEquals("relu2", f.metadata().getString("bitnet.hidden_activation"));
            for (String key : src.metadata().keys()) {
                if (key.startsWith("bitnet-b1.58.")) {
                    assertEquals(src.metadata().get(key), f.metadata().get("bitnet." + key.substring("bitnet-b1.58.".length())), key);
                }
            }
            assertTrue(f.metadata().keys().stream().noneMatch(k -> k.startsWith("bitnet-b1.58.")));
            assertEquals(37, f.metadata().getLong("general.file_type"));
        }
        assertTrue(warnings.stream().anyMatch(w -> w.contains("SiLU")), warnings.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> convert(i2s, dir.resolve("x.gguf"),
                new ConvertOptions(GgmlType.TQ2_0, Optional.empty(), Optional.empty(), GgmlType.F16, Optional.of("llama")), warnings));
        assertTrue(e.getMessage().contains("'bitnet-b1.58' to 'llama'"), e.getMessage());
    }

    static byte[] trits(GgufTensor t) {
        TernarySource s = (TernarySource) TensorCodec.rows(t);
        byte[] out = new byte[Math.toIntExact(s.elements())];
        s.readTrits(0, (int) s.rows(), out);
        return out;
    }

    static float[] values(GgufTensor t) {
        var rows = TensorCodec.rows(t);
        float[] out = new float[Math.toIntExact(rows.elements())];
        rows.readRows(0, (int) rows.rows(), out);
        return out;
    }
}
