package io.bitnet4j.nn;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NamePatternTest {

    @Test
    void aPlainNameMatchesItselfAndDottedSuffixes() {
        NamePattern p = NamePattern.of("q_proj");
        assertTrue(p.matches("q_proj"));
        assertTrue(p.matches("model.layers.0.self_attn.q_proj"));
        assertFalse(p.matches("model.layers.0.self_attn.xq_proj"));
        assertFalse(p.matches("model.layers.0.q_proj.lora"));
        assertTrue(NamePattern.of("self_attn.q_proj").matches("model.layers.3.self_attn.q_proj"));
        assertFalse(NamePattern.of("attn.q_proj").matches("model.layers.3.self_attn.q_proj"), "suffixes start at a dot");
    }

    @Test
    void starStaysWithinOneComponentAndDoubleStarCrossesDots() {
        NamePattern mlp = NamePattern.of("model.layers.*.mlp.*");
        assertTrue(mlp.matches("model.layers.12.mlp.down_proj"));
        assertFalse(mlp.matches("model.layers.12.self_attn.q_proj"));
        assertFalse(mlp.matches("model.layers.1.2.mlp.up_proj"));
        assertFalse(mlp.matches("model.layers.1.mlp.up_proj.extra"));
        assertTrue(NamePattern.of("model.**.up_proj").matches("model.layers.1.2.mlp.up_proj"));
        assertTrue(NamePattern.of("blk.?.attn_*").matches("blk.3.attn_output"));
        assertFalse(NamePattern.of("blk.?.attn_*").matches("blk.13.attn_output"));
    }

    @Test
    void otherCharactersAreLiteral() {
        assertFalse(NamePattern.of("a+b").matches("aab"));
        assertTrue(NamePattern.of("a+b").matches("x.a+b"));
        assertFalse(NamePattern.of("a.b").matches("axb"), "a dot is a dot, not any character");
    }

    @Test
    void rejectsEmptyOrNull() {
        assertThrows(IllegalArgumentException.class, () -> NamePattern.of(""));
        assertThrows(IllegalArgumentException.class, () -> NamePattern.of(null));
    }
}
