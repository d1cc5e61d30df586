package io.bitnet4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bitnet4j.format.Q8_0;
import io.bitnet4j.gguf.GgmlType;
import io.bitnet4j.gguf.GgufFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model whose token embedding and output head are Q8_0 (as llama-quantize leaves some tensors) runs through
 * {@link Model#load(GgufFile)} with no kernel of its own, and gives exactly the logits of the same model stored
 * in F32 with the dequantized weights: the fallback multiplies the decoded rows in float32 as the F32 kernel does.
 */
class QuantizedWeightsTest {
    @TempDir
    Path dir;

    @Test
    void q8HeadAndEmbeddingGiveTheLogitsOfTheirDequantizedWeights() throws IOException {
        TinyModel m = TinyModel.random("llama", 4, 2, 8, null, false, 900);
        TinyModel dequantized = m;
        for (String name : new String[] {"token_embd.weight", "output.weight"}) {
            dequantized = dequantized.with(name, Q8_0.dequantize(Q8_0.quantize(m.weights().get(name)), m.weights().get(name).length));
        }
        Map<String, GgmlType> q8 = Map.of("token_embd.weight", GgmlType.Q8_0, "output.weight", GgmlType.Q8_0);
        int[] tokens = new SplittableRandom(3).ints(12, 0, m.vocab()).toArray();
        try (GgufFile quantizedFile = GgufFile.open(m.write(dir.resolve("q8.gguf"), q8));
                GgufFile floatFile = GgufFile.open(dequantized.write(dir.resolve("f32.gguf")))) {
            Model quantized = Model.load(quantizedFile);
            assertEquals(GgmlType.Q8_0, quantized.weights().output().type());
            Model plain = Model.load(floatFile);
            for (KvCacheType kv : KvCacheType.values()) {
                SessionOptions o = SessionOptions.defaults().withKvCacheType(kv).withThreads(2);
                try (Session a = quantized.newSession(o); Session b = plain.newSession(o)) {
                    assertArrayEquals(b.forwardAll(tokens), a.forwardAll(tokens), kv + " cache, batch");
                    assertArrayEquals(b.forward(5), a.forward(5), kv + " cache, one token");
                }
            }
        }
    }
}
