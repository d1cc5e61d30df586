package io.bitnet4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.tensor.Shape;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NamedLayersTest {

    static FloatLinear dense(int out, int in, boolean bias) {
        return new FloatLinear(new float[out * in], Shape.of(out, in), bias ? new float[out] : null);
    }

    private static NamedLayers model() {
        Map<String, Linear> layers = new LinkedHashMap<>();
        layers.put("layers.0.attn.q_proj", dense(4, 8, false)); // 32
        layers.put("layers.0.mlp.up_proj", dense(16, 8, true)); // 144
        layers.put("layers.1.attn.q_proj", dense(4, 8, false)); // 32
        layers.put("lm_head", dense(10, 8, false)); // 80
        return NamedLayers.of(layers);
    }

    @Test
    void keepsOrderAndCountsParameters() {
        NamedLayers m = model();
        assertEquals(List.of("layers.0.attn.q_proj", "layers.0.mlp.up_proj", "layers.1.attn.q_proj", "lm_head"), m.names());
        assertEquals(288, m.parameterCount());
        assertEquals(288, m.trainableParameterCount());
        assertEquals(4 * 288, m.memoryBytes());
        assertEquals(4 * 288, m.float32Bytes());
    }

    @Test
    void freezesAndUnfreezesByNameOrPattern() {
        NamedLayers m = model();
        assertEquals(2, m.freeze("q_proj"));
        assertFalse(m.isTrainable("layers.0.attn.q_proj"));
        assertFalse(m.isTrainable("layers.1.attn.q_proj"));
        assertTrue(m.isTrainable("lm_head"));
        assertEquals(288 - 64, m.trainableParameterCount());
        assertEquals(4, m.freeze("**"));
        assertEquals(0, m.trainableParameterCount());
        assertEquals(1, m.unfreeze("layers.1.*.*"));
        assertEquals(32, m.trainableParameterCount());
        assertEquals(0, m.freeze("no_such_layer"));
        assertEquals(List.of("layers.0.mlp.up_proj"), m.matching("mlp.*"));
    }

    @Test
    void setReplacesInPlaceKeepingTheFlag() {
        NamedLayers m = model();
        m.freeze("lm_head");
        FloatLinear replacement = dense(10, 8, true);
        m.set("lm_head", replacement);
        assertSame(replacement, m.get("lm_head"));
        assertFalse(m.isTrainable("lm_head"));
        assertEquals("lm_head", m.names().get(3));
    }

    @Test
    void rejectsBadNamesAndLayers() {
        NamedLayers m = model();
        var dup = assertThrows(IllegalArgumentException.class, () -> m.add("lm_head", dense(1, 1, false)));
        assertTrue(dup.getMessage().contains("lm_head"), dup.getMessage());
        assertThrows(IllegalArgumentException.class, () -> m.add("", dense(1, 1, false)));
        assertThrows(IllegalArgumentException.class, () -> m.add(null, dense(1, 1, false)));
        assertThrows(IllegalArgumentException.class, () -> m.add("x", null));
        var missing = assertThrows(IllegalArgumentException.class, () -> m.get("nope"));
        assertTrue(missing.getMessage().contains("nope"), missing.getMessage());
        assertThrows(IllegalArgumentException.class, () -> m.set("nope", dense(1, 1, false)));
        assertThrows(IllegalArgumentException.class, () -> m.isTrainable("nope"));
        assertThrows(UnsupportedOperationException.class, () -> m.asMap().clear());
    }
}
