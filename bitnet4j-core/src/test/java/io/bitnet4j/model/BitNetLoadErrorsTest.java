package io.bitnet4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.BitNet;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link BitNet#load} builds the tokenizer on another thread while the weights are bound: its errors must still come
 * out as the tokenizer's own exception (not the future's wrapper), and a bad model must still be reported before a bad
 * tokenizer.
 */
class BitNetLoadErrorsTest {
    @TempDir
    Path dir;

    private final TinyModel bitnet = TinyModel.random("bitnet", 4, 2, 8, null, false, 903); // no tokenizer metadata

    @Test
    void aMissingTokenizerIsTheTokenizersOwnError() throws IOException {
        Path p = bitnet.write(dir.resolve("notok.gguf"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BitNet.load(p));
        assertTrue(e.getMessage().contains("tokenizer"), e.getMessage());
    }

    @Test
    void aBadTensorIsReportedBeforeTheMissingTokenizer() throws IOException {
        Path p = bitnet.write(dir.resolve("bad.gguf"), "blk.1.ffn_up.weight", null, g -> { });
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BitNet.load(p));
        assertEquals("bitnet model bad.gguf is missing tensor 'blk.1.ffn_up.weight'", e.getMessage());
    }
}
