package io.bitnet4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.gguf.GgufFile;
import io.bitnet4j.gguf.GgufValue;
import io.bitnet4j.gguf.GgufWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files that must not load, each failing with a message that names what is wrong. */
class MalformedModelTest {
    @TempDir
    Path dir;

    private final TinyModel bitnet = TinyModel.random("bitnet", 4, 2, 8, null, false, 900);

    private String loadError(TinyModel m, String omit, String reshaped, Consumer<GgufWriter> metadata) throws IOException {
        Path p = m.write(dir.resolve("bad.gguf"), omit, reshaped, metadata);
        try (GgufFile f = GgufFile.open(p)) {
            return assertThrows(IllegalArgumentException.class, () -> Model.load(f)).getMessage();
        }
    }

    @Test
    void aMissingTensorIsNamed() throws IOException {
        String m = loadError(bitnet, "blk.1.ffn_up.weight", null, g -> { });
        assertEquals("bitnet model bad.gguf is missing tensor 'blk.1.ffn_up.weight'", m);
        assertTrue(loadError(bitnet, "blk.0.attn_sub_norm.weight", null, g -> { }).contains("'blk.0.attn_sub_norm.weight'"));
        assertTrue(loadError(bitnet, "token_embd.weight", null, g -> { }).contains("no tensor 'token_embd.weight'"));
    }

    @Test
    void aMisshapenTensorIsNamedWithItsDimsAndTheExpectedOnes() throws IOException {
        String m = loadError(bitnet, null, "blk.0.attn_k.weight", g -> { });
        assertTrue(m.startsWith("tensor 'blk.0.attn_k.weight' has dims [16, 32] but the bitnet model bad.gguf needs [32, 16]"), m);
        String norm = loadError(bitnet, null, "blk.1.ffn_sub_norm.weight", g -> { });
        assertTrue(norm.startsWith("tensor 'blk.1.ffn_sub_norm.weight' has dims [49] but") && norm.contains("needs [48]"), norm);
    }

    @Test
    void hyperparametersThatDisagreeWithTheTensorsAreCaught() throws IOException {
        // 4 KV heads claimed, tensors made for 2: attn_k is the first tensor that cannot fit
        String m = loadError(bitnet, null, null, g -> g.put("bitnet.attention.head_count_kv", GgufValue.u32(4)));
        assertTrue(m.startsWith("tensor 'blk.0.attn_k.weight' has dims [32, 16]") && m.contains("needs [32, 32]"), m);
        String vocab = loadError(bitnet, null, null, g -> g.put("bitnet.vocab_size", GgufValue.u32(41)));
        assertTrue(vocab.contains("'bitnet.vocab_size' = 41") && vocab.contains("40 rows"), vocab);
    }

    @Test
    void anUnknownArchitectureIsNamedWithTheSupportedOnes() throws IOException {
        String m = loadError(bitnet, null, null, g -> g.put("general.architecture", GgufValue.string("mamba")));
        assertEquals("unknown model architecture 'mamba'; supported: [llama, bitnet, bitnet-b1.58]", m);
    }

    @Test
    void missingOrUnknownMetadataIsNamed() throws IOException {
        TinyModel llama = TinyModel.random("llama", 4, 2, 8, null, false, 901);
        Path p = dir.resolve("nokey.gguf");
        try (GgufWriter g = GgufWriter.create(p)) {
            g.put("general.architecture", GgufValue.string("llama"));
            g.put("llama.embedding_length", GgufValue.u32(32));
            g.put("llama.attention.head_count", GgufValue.u32(4));
            g.finish();
        }
        try (GgufFile f = GgufFile.open(p)) {
            String m = assertThrows(IllegalArgumentException.class, () -> Model.load(f)).getMessage();
            assertTrue(m.contains("token_embd.weight") || m.contains("'llama."), m);
        }
        String act = loadError(TinyModel.random("bitnet", 4, 2, 8, "swoosh", false, 902), null, null, g -> { });
        assertTrue(act.startsWith("GGUF key 'bitnet.hidden_activation' = 'swoosh' is not an FFN activation we know; known: ["), act);
        String eps = loadError(llama, null, null, g -> g.put("llama.attention.layer_norm_rms_epsilon", GgufValue.f32(-1f)));
        assertTrue(eps.contains("layer_norm_rms_epsilon -1.0"), eps);
        String scaling = loadError(llama, null, null, g -> g.put("llama.rope.scaling.type", GgufValue.string("yarn")));
        assertTrue(scaling.contains("'llama.rope.scaling.type' = 'yarn'"), scaling);
    }
}
