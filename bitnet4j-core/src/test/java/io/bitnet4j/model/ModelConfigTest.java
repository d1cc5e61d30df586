package io.bitnet4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.bitnet4j.gguf.GgufFile;
import io.bitnet4j.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelConfigTest {
    @TempDir
    Path dir;

    @Test
    void readsStories260KAsItsReadmeDescribesIt() throws IOException {
        try (GgufFile f = GgufFile.open(Fixtures.require("models/stories260K/stories260K.gguf"))) {
            ModelConfig c = ModelConfig.fromGguf(f);
            assertEquals(new ModelConfig(Architecture.LLAMA, 64, 5, 172, 8, 4, 8, 8, 10000f, 1e-5f, 512, 512, FfnActivation.SILU), c);
            assertEquals(RopeStyle.NORM, c.ropeStyle());
        }
    }

    @Test
    void readsTheBitnetTinyModels() throws IOException {
        try (GgufFile b158 = GgufFile.open(Fixtures.require("models/bitnet-i2s-tiny/bitnet-tiny-b158-i2s.gguf"));
                GgufFile silu = GgufFile.open(Fixtures.require("models/bitnet-silu-tiny/bitnet-silu-tiny-tq2_0.gguf"))) {
            assertEquals(new ModelConfig(Architecture.BITNET_B158, 256, 4, 768, 4, 2, 64, 64, 10000f, 1e-5f, 256, 512,
                    FfnActivation.RELU_SQR), ModelConfig.fromGguf(b158));
            ModelConfig c = ModelConfig.fromGguf(silu);
            assertEquals(FfnActivation.SILU, c.ffnActivation()); // written as bitnet.hidden_activation = "silu"
            assertEquals(RopeStyle.NEOX, c.ropeStyle());
            assertEquals(128, c.keyValueLength());
        }
    }

    @Test
    void defaultsFollowLlamaCpp() throws IOException {
        TinyModel m = TinyModel.random("bitnet", 4, 4, 8, null, false, 950);
        Path p = dir.resolve("m.gguf");
        // no head_count_kv, rope.dimension_count, freq_base or hidden_activation: head_count, head_dim, 10000, SiLU
        m.write(p, null, null, g -> { }, Set.of("attention.head_count_kv", "rope.dimension_count"));
        try (GgufFile f = GgufFile.open(p)) {
            ModelConfig c = ModelConfig.fromGguf(f);
            assertEquals(4, c.headCountKv());
            assertEquals(ModelConfig.DEFAULT_ROPE_FREQ_BASE, c.ropeFreqBase());
            assertEquals(8, c.headDim());
            assertEquals(8, c.ropeDimensionCount());
            assertEquals(FfnActivation.SILU, c.ffnActivation());
        }
    }

    @ParameterizedTest
    @CsvSource({"silu,SILU", "SwiGLU,SILU", "swish,SILU", "relu2,RELU_SQR", "relu_sqr,RELU_SQR", "squared_relu,RELU_SQR",
            "relu,RELU", "gelu,GELU"})
    void knowsTheActivationSpellings(String name, FfnActivation expected) {
        assertEquals(expected, FfnActivation.parse(name, "k"));
    }

    @Test
    void rejectsInconsistentHyperparameters() {
        assertThrows(IllegalArgumentException.class, () -> new ModelConfig(Architecture.LLAMA, 64, 1, 64, 8, 3, 8, 8, 1e4f, 1e-5f, 16, 10,
                FfnActivation.SILU)); // 8 heads, 3 KV heads
        assertThrows(IllegalArgumentException.class, () -> new ModelConfig(Architecture.LLAMA, 64, 1, 64, 8, 4, 8, 10, 1e4f, 1e-5f, 16, 10,
                FfnActivation.SILU)); // rotates more than the head
        assertThrows(IllegalArgumentException.class, () -> new ModelConfig(Architecture.LLAMA, 64, 1, 64, 8, 4, 8, 8, 1e4f, 0f, 16, 10,
                FfnActivation.SILU));
    }
}
