package io.bitnet4j.convert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.gguf.GgmlType;
import io.bitnet4j.gguf.GgufFile;
import io.bitnet4j.gguf.GgufTensor;
import io.bitnet4j.gguf.GgufValue;
import io.bitnet4j.gguf.GgufWriter;
import io.bitnet4j.testing.Fixtures;
import io.bitnet4j.testing.SeededArrays;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Post-training ternarization: the per-tensor absmean result, its statistics, the selection and bad input. */
class QuantizationTest {
    @TempDir
    Path dir;

    /** A small float model: an embedding, one norm and two linear weights of rows of 256. */
    private Path floatModel(Map<String, float[]> weights) throws IOException {
        Path p = dir.resolve("float.gguf");
        weights.putIfAbsent("token_embd.weight", SeededArrays.gaussian(1, 256 * 4, 0.02));
        weights.putIfAbsent("blk.0.attn_norm.weight", SeededArrays.gaussian(2, 256, 1));
        weights.putIfAbsent("blk.0.attn_q.weight", SeededArrays.gaussian(3, 256 * 256, 0.05));
        weights.putIfAbsent("blk.0.ffn_up.weight", SeededArrays.gaussian(4, 256 * 512, 0.05));
        try (GgufWriter w = GgufWriter.create(p)) {
            w.put("general.architecture", GgufValue.string("llama"));
            for (var e : weights.entrySet()) {
                int n = e.getValue().length;
                w.addTensor(e.getKey(), GgmlType.F32, n == 256 ? new long[] {256} : new long[] {256, n / 256});
            }
            for (var e : weights.entrySet()) {
                ByteBuffer b = ByteBuffer.allocate(4 * e.getValue().length).order(ByteOrder.LITTLE_ENDIAN);
                b.asFloatBuffer().put(e.getValue());
                w.writeTensor(e.getKey(), b.array());
            }
            w.finish();
        }
        return p;
    }

    private List<QuantStats> quantize(Path in, Path out, QuantizeOptions o) throws IOException {
        List<QuantStats> stats = new ArrayList<>();
        try (ModelSource src = ModelSource.gguf(in)) {
            Quantization.quantize(src, out, o, new ModelConverter.Listener() {
                @Override
                public void finished(ModelConverter.TensorResult r, SourceTensor prepared) {
                    Quantization.stats(prepared).ifPresent(stats::add);
                }
            }, w -> { });
        }
        return stats;
    }

    @Test
    void perTensorAbsmeanTritsAndScaleAreWrittenInEveryTernaryType() throws IOException {
        Map<String, float[]> w = new LinkedHashMap<>();
        Path in = floatModel(w);
        float[] q = w.get("blk.0.attn_q.weight");
        double sum = 0;
        for (float v : q) {
            sum += Math.abs(v);
        }
        float inv = 1f / (float) (sum / q.length); // BitNet's weight_quant (the mean is far above its 1e-5 floor)
        float scale = 1f / inv;
        for (GgmlType type : new GgmlType[] {GgmlType.I2_S, GgmlType.TQ2_0, GgmlType.TQ1_0}) {
            Path out = dir.resolve(type + ".gguf");
            List<QuantStats> stats = quantize(in, out, new QuantizeOptions(type, LayerSelection.parse("all"), GgmlType.F16, ScaleOptimizer.NONE));
            try (GgufFile f = GgufFile.open(out)) {
                float[] got = ConversionTest.values(f.tensor("blk.0.attn_q.weight"));
                float stored = type == GgmlType.I2_S ? scale : Float.float16ToFloat(Float.floatToFloat16(scale));
                int zeros = 0;
                double err = 0;
                double norm = 0;
                for (int i = 0; i < q.length; i++) {
                    float t = Math.max(-1f, Math.min(1f, (float) Math.rint(q[i] * inv)));
                    assertEquals(t * stored, got[i], 0f, type + " element " + i);
                    zeros += t == 0 ? 1 : 0;
                    err += (q[i] - t * scale) * (double) (q[i] - t * scale);
                    norm += (double) q[i] * q[i];
                }
                assertEquals(GgmlType.F16, f.tensor("token_embd.weight").type());
                assertEquals(GgmlType.F32, f.tensor("blk.0.attn_norm.weight").type());
                assertEquals(FileType.of(type), f.metadata().getLong("general.file_type"));
                QuantStats s = stats.get(0);
                assertEquals("blk.0.attn_q.weight", s.tensor());
                assertEquals((double) zeros / q.length, s.sparsity(), 1e-12);
                assertEquals(Math.sqrt(err / norm), s.relativeRmsError(), 1e-9);
                assertEquals(scale, s.scale());
                assertEquals(2, stats.size());
            }
        }
    }

    @Test
    void leastSquaresScalesReproduceLlamaQuantizeOnTernaryValuedWeights() throws IOException {
        // The F32 tiny model holds t·s per tensor. Absmean keeps every t; refitting the scale gives s back exactly,
        // so the TQ2_0 file equals llama-quantize's byte for byte.
        Path f32 = Fixtures.require("models/bitnet-silu-tiny/bitnet-silu-tiny-f32.gguf");
        Path expected = Fixtures.require("models/bitnet-silu-tiny/bitnet-silu-tiny-tq2_0.gguf");
        Path out = dir.resolve("lsq.gguf");
        List<QuantStats> stats = quantize(f32, out, new QuantizeOptions(GgmlType.TQ2_0, LayerSelection.parse("all"), GgmlType.F16,
                ScaleOptimizer.LEAST_SQUARES));
        assertEquals(28, stats.size());
        assertTrue(stats.stream().allMatch(s -> s.relativeRmsError() == 0), stats.toString());
        try (GgufFile ours = GgufFile.open(out); GgufFile theirs = GgufFile.open(expected)) {
            for (GgufTensor t : theirs.tensors()) {
                assertArrayEquals(t.data().toArray(ValueLayout.JAVA_BYTE), ours.tensor(t.name()).data().toArray(ValueLayout.JAVA_BYTE), t.name());
            }
        }
    }

    @Test
    void onlySelectedTensorsAreTernarized() throws IOException {
        Map<String, float[]> w = new LinkedHashMap<>();
        Path in = floatModel(w);
        Path out = dir.resolve("sel.gguf");
        List<QuantStats> stats = quantize(in, out, new QuantizeOptions(GgmlType.TQ2_0, LayerSelection.parse("blk.*.ffn_*"), GgmlType.BF16,
                ScaleOptimizer.NONE));
        assertEquals(List.of("blk.0.ffn_up.weight"), stats.stream().map(QuantStats::tensor).toList());
        try (GgufFile f = GgufFile.open(out)) {
            assertEquals(GgmlType.BF16, f.tensor("blk.0.attn_q.weight").type());
            assertEquals(GgmlType.TQ2_0, f.tensor("blk.0.ffn_up.weight").type());
        }
        assertTrue(LayerSelection.parse("attn_q").selects("blk.7.attn_q.weight", new long[] {256, 256}));
        assertFalse(LayerSelection.parse("attn_q").selects("blk.7.attn_k.weight", new long[] {256, 256}));
        assertTrue(LayerSelection.parse("experts").selects("blk.0.ffn_up_exps.weight", new long[] {256, 512, 8}));
        assertFalse(LayerSelection.parse("all").selects("blk.0.attn_norm.weight", new long[] {256}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> quantize(in, dir.resolve("x.gguf"), new QuantizeOptions(GgmlType.TQ2_0, LayerSelection.parse("experts"), GgmlType.F16,
                        ScaleOptimizer.NONE)));
        assertTrue(e.getMessage().contains("selects no tensor"), e.getMessage());
    }

    @Test
    void nanWeightsAndTernaryInputsAreRejectedByName() throws IOException {
        Map<String, float[]> w = new LinkedHashMap<>();
        floatModel(w);
        w.get("blk.0.ffn_up.weight")[256 * 3 + 7] = Float.NaN;
        Path in = dir.resolve("nan.gguf");
        java.nio.file.Files.move(floatModel(w), in);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> quantize(in, dir.resolve("x.gguf"),
                new QuantizeOptions(GgmlType.I2_S, LayerSelection.parse("all"), GgmlType.F16, ScaleOptimizer.NONE)));
        assertTrue(e.getMessage().contains("'blk.0.ffn_up.weight'") && e.getMessage().contains("NaN at row 3, column 7"), e.getMessage());
        Path tq = Fixtures.require("models/bitnet-silu-tiny/bitnet-silu-tiny-tq2_0.gguf");
        e = assertThrows(IllegalArgumentException.class, () -> quantize(tq, dir.resolve("y.gguf"),
                new QuantizeOptions(GgmlType.I2_S, LayerSelection.parse("all"), GgmlType.F16, ScaleOptimizer.NONE)));
        assertTrue(e.getMessage().contains("already ternary"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new QuantizeOptions(GgmlType.F16, LayerSelection.parse("all"), GgmlType.F16, ScaleOptimizer.NONE));
    }
}
