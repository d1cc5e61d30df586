package io.bitnet4j.train;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.gguf.GgmlType;
import io.bitnet4j.kernel.WorkerPool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mistakes a caller can make get a clear exception, not an index error. */
class BadInputTest {
    @TempDir
    Path dir;

    @Test
    void shapesThatCannotWork() {
        GateActivation silu = GateActivation.SILU;
        assertThrows(IllegalArgumentException.class, () -> new ModelShape(0, 8, 1, 2, 1, 8, 4, 1e4f, 1e-5f, silu));
        assertThrows(IllegalArgumentException.class, () -> new ModelShape(10, 10, 1, 4, 1, 8, 4, 1e4f, 1e-5f, silu)); // 10 % 4
        assertThrows(IllegalArgumentException.class, () -> new ModelShape(10, 8, 1, 4, 3, 8, 4, 1e4f, 1e-5f, silu)); // 4 % 3
        assertThrows(IllegalArgumentException.class, () -> new ModelShape(10, 8, 1, 2, 1, 8, 4, Float.NaN, 1e-5f, silu));
        assertThrows(IllegalArgumentException.class, () -> new ModelShape(1 << 20, 1 << 12, 1, 2, 1, 8, 4, 1e4f, 1e-5f, silu));
        assertThrows(IllegalArgumentException.class, () -> GateActivation.parse("tanh"));
        assertThrows(IllegalArgumentException.class, () -> TrainPreset.named("huge"));
    }

    @Test
    void tokensOutsideTheVocabularyAndWrongLengths() {
        ParamLayout layout = new ParamLayout(TrainerTest.SHAPE);
        float[] params = ParamInit.initialize(layout, 1);
        Transformer t = new Transformer(layout, 1, 4);
        try (WorkerPool pool = new WorkerPool(1)) {
            assertThrows(IllegalArgumentException.class, () -> t.logits(params, new int[] {0, 1, 99, 2}, Quantization.OFF, pool));
            assertThrows(IllegalArgumentException.class, () -> t.logits(params, new int[] {0, 1}, Quantization.OFF, pool));
            assertThrows(IllegalArgumentException.class, () -> t.loss(params, new int[] {0, 1, 2, 3}, new int[] {0, 1, 2, -1}, Quantization.OFF, false, pool));
            assertThrows(IllegalArgumentException.class, () -> t.logits(new float[3], new int[] {0, 1, 2, 3}, Quantization.OFF, pool));
            assertThrows(IllegalStateException.class, () -> new Transformer(layout, 1, 4).backward(new float[layout.size()], pool));
        }
        assertThrows(IllegalArgumentException.class, () -> new Transformer(layout, 1, TrainerTest.SHAPE.context() + 1));
        assertThrows(IllegalArgumentException.class, () -> new Quantization(true, 1.5));
    }

    @Test
    void aFileThatIsNotACheckpoint() throws IOException {
        Path f = dir.resolve("x.bin");
        Files.write(f, new byte[64]);
        IOException e = assertThrows(IOException.class, () -> Checkpoint.load(f));
        assertTrue(e.getMessage().contains("not a bitnet4j training checkpoint"), e.getMessage());
    }

    @Test
    void exportRefusesRowsTheTypeCannotHold() {
        ParamLayout layout = new ParamLayout(TrainerTest.SHAPE); // widths 32 and 48: no TQ2_0 block fits
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GgufExport.write(layout,
                ParamInit.initialize(layout, 1), true, GgmlType.TQ2_0, Map.of(), "x", dir.resolve("m.gguf")));
        assertTrue(e.getMessage().contains("multiples of 256"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GgufExport.write(layout, ParamInit.initialize(layout, 1), true, GgmlType.Q8_0,
                Map.of(), "x", dir.resolve("m.gguf")));
    }
}
