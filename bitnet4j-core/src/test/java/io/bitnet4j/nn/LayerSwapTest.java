package io.bitnet4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.quant.BitNetConfig;
import io.bitnet4j.tensor.Shape;
import io.bitnet4j.testing.SeededArrays;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LayerSwapTest {

    private static final int HIDDEN = 64;
    private static final BitNetConfig CONFIG = BitNetConfig.inference();

    private static FloatLinear dense(long seed, int out, int in) {
        return new FloatLinear(SeededArrays.gaussian(seed, out * in, 0.05), Shape.of(out, in), null);
    }

    /** Two Llama-style blocks in Hugging Face names, plus an LM head that must stay float. */
    private static NamedLayers hfModel() {
        NamedLayers m = new NamedLayers();
        long seed = 400;
        for (int layer = 0; layer < 2; layer++) {
            String p = "model.layers." + layer + ".";
            for (String proj : List.of("q_proj", "k_proj", "v_proj", "o_proj")) {
                m.add(p + "self_attn." + proj, dense(seed++, HIDDEN, HIDDEN));
            }
            m.add(p + "mlp.gate_proj", dense(seed++, 2 * HIDDEN, HIDDEN));
            m.add(p + "mlp.up_proj", dense(seed++, 2 * HIDDEN, HIDDEN));
            m.add(p + "mlp.down_proj", dense(seed++, HIDDEN, 2 * HIDDEN));
        }
        m.add("lm_head", dense(seed, 100, HIDDEN));
        return m;
    }

    @Test
    void defaultTargetsSwapTheProjectionsAndLeaveTheHead() {
        NamedLayers m = hfModel();
        m.freeze("k_proj");
        long params = m.parameterCount();
        long before = m.memoryBytes();
        FloatLinear q0 = (FloatLinear) m.get("model.layers.0.self_attn.q_proj");
        LayerSwap.Report report = LayerSwap.toBitLinear(m, CONFIG);
        assertEquals(14, report.swapped().size());
        assertFalse(report.swapped().contains("lm_head"));
        assertInstanceOf(FloatLinear.class, m.get("lm_head"));
        assertEquals(m.names().subList(0, 14), report.swapped(), "in model order");
        for (String name : report.swapped()) {
            assertInstanceOf(BitLinear.class, m.get(name));
        }
        assertTrue(report.skipped().isEmpty());
        // the GGUF and Meta spellings matched nothing here
        assertTrue(report.unmatchedTargets().containsAll(List.of("attn_q", "ffn_down", "wq", "w2")));
        assertFalse(report.unmatchedTargets().contains("q_proj"));
        assertEquals(params, m.parameterCount(), "a ternary weight still counts as one parameter");
        assertFalse(m.isTrainable("model.layers.1.self_attn.k_proj"), "flags survive the swap");
        assertEquals(before, report.bytesBefore());
        assertEquals(m.memoryBytes(), report.bytesAfter());
        // swapped: 2 bits per weight plus a float per 64 weights; the head stays float32
        long swappedWeights = params - 100 * HIDDEN;
        assertEquals(swappedWeights / 4 + 4 * (swappedWeights / 64) + 4L * 100 * HIDDEN, report.bytesAfter());
        // the new layer is the old one's weights quantized
        BitLinear b0 = (BitLinear) m.get("model.layers.0.self_attn.q_proj");
        assertArrayEquals(CONFIG.weightQuantizer().quantize(q0.weight(), q0.weightShape()).trits(), b0.weight().trits());
    }

    @Test
    void ggufNamesMatchTheDefaults() {
        NamedLayers m = new NamedLayers();
        List<String> names = new ArrayList<>();
        long seed = 500;
        for (String t : List.of("attn_q", "attn_k", "attn_v", "attn_output", "ffn_gate", "ffn_up", "ffn_down")) {
            names.add("blk.0." + t);
            m.add("blk.0." + t, dense(seed++, HIDDEN, HIDDEN));
        }
        m.add("output", dense(seed, 10, HIDDEN));
        assertEquals(names, LayerSwap.toBitLinear(m, CONFIG).swapped());
        assertInstanceOf(FloatLinear.class, m.get("output"));
    }

    @Test
    void userPatternsSelectLayersAndReportUnmatchedTargets() {
        NamedLayers m = hfModel();
        LayerSwap.Report report = LayerSwap.toBitLinear(m, CONFIG, List.of("model.layers.*.mlp.*", "no_such_layer"));
        assertEquals(List.of("model.layers.0.mlp.gate_proj", "model.layers.0.mlp.up_proj", "model.layers.0.mlp.down_proj",
                "model.layers.1.mlp.gate_proj", "model.layers.1.mlp.up_proj", "model.layers.1.mlp.down_proj"), report.swapped());
        assertEquals(List.of("no_such_layer"), report.unmatchedTargets());
        assertInstanceOf(FloatLinear.class, m.get("model.layers.0.self_attn.q_proj"));
    }

    @Test
    void layersThatAreNotFloatAreSkipped() {
        NamedLayers m = hfModel();
        LayerSwap.toBitLinear(m, CONFIG, List.of("q_proj"));
        Linear already = m.get("model.layers.0.self_attn.q_proj");
        LayerSwap.Report again = LayerSwap.toBitLinear(m, CONFIG, List.of("self_attn.*"));
        assertEquals(List.of("model.layers.0.self_attn.q_proj", "model.layers.1.self_attn.q_proj"), again.skipped());
        assertEquals(6, again.swapped().size());
        assertSame(already, m.get("model.layers.0.self_attn.q_proj"));
    }

    @Test
    void aLayerThatCannotBeQuantizedLeavesTheModelUnchanged() {
        NamedLayers m = hfModel();
        m.add("model.layers.2.mlp.down_proj", dense(600, HIDDEN, 100)); // 100 inputs: not a multiple of 64
        var e = assertThrows(IllegalArgumentException.class, () -> LayerSwap.toBitLinear(m, CONFIG));
        assertTrue(e.getMessage().startsWith("layer model.layers.2.mlp.down_proj:"), e.getMessage());
        for (String name : m.names()) {
            assertInstanceOf(FloatLinear.class, m.get(name), name);
        }
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> LayerSwap.toBitLinear(null, CONFIG));
        assertThrows(IllegalArgumentException.class, () -> LayerSwap.toBitLinear(hfModel(), null));
        assertThrows(IllegalArgumentException.class, () -> LayerSwap.toBitLinear(hfModel(), CONFIG, List.of("")));
    }
}
