package io.bitnet4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.gguf.GgmlType;
import io.bitnet4j.gguf.GgufFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train} with the tiny preset for a few steps: every output is written, and the model runs in {@code perplexity}. */
class TrainCommandTest {
    @TempDir
    Path dir;

    @Test
    void trainsResumesAndWritesAModelTheEngineRuns() throws IOException {
        Path text = dir.resolve("text.txt");
        Files.writeString(text, "To be, or not to be, that is the question:\nWhether 'tis nobler in the mind to suffer\n".repeat(60));
        Path out = dir.resolve("out");
        MainTest.Result r = MainTest.run("train", "--data", text.toString(), "--preset", "tiny", "--steps", "4", "--out", out.toString(),
                "--checkpoint-every", "2", "--eval-every", "2", "-t", "2", "--type", "tq1_0");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("validation loss"), r.out());
        for (String f : new String[] {"checkpoint.bin", "tokenizer.gguf", "loss.csv", "loss.png", "model.gguf"}) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        try (GgufFile g = GgufFile.open(out.resolve("model.gguf"))) {
            assertEquals("bitnet", g.metadata().getString("general.architecture"));
            assertEquals(GgmlType.TQ1_0, g.tensor("blk.0.attn_q.weight").type());
        }
        assertEquals(5, Files.readAllLines(out.resolve("loss.csv")).size()); // header + 4 steps

        MainTest.Result resumed = MainTest.run("train", "--data", text.toString(), "--preset", "tiny", "--steps", "6", "--out", out.toString(),
                "--resume", "-t", "2", "--type", "tq1_0");
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("resuming from") && resumed.out().contains("at step 4"), resumed.out());
        assertEquals(7, Files.readAllLines(out.resolve("loss.csv")).size());

        MainTest.Result ppl = MainTest.run("perplexity", "-m", out.resolve("model.gguf").toString(), "-f", text.toString(), "-c", "32", "-t", "1");
        assertEquals(0, ppl.code(), ppl.err());
        assertTrue(ppl.out().contains("Final estimate: PPL"), ppl.out());
    }

    @Test
    void anUnknownPresetIsOneClearLine() {
        MainTest.Result r = MainTest.run("train", "--data", "nothing.txt", "--preset", "huge");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("unknown preset 'huge'"), r.err());
    }
}
