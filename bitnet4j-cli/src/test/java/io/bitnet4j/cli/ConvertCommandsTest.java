package io.bitnet4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.gguf.GgmlType;
import io.bitnet4j.gguf.GgufFile;
import io.bitnet4j.gguf.GgufTensor;
import io.bitnet4j.testing.Fixtures;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** convert, quantize and synth on the command line: outputs, reports, and one-line errors. */
class ConvertCommandsTest {
    @TempDir
    Path dir;

    @Test
    void convertWritesLlamaQuantizesTensorsAndASummary() throws IOException {
        Path f32 = Fixtures.require("models/bitnet-silu-tiny/bitnet-silu-tiny-f32.gguf");
        Path expected = Fixtures.require("models/bitnet-silu-tiny/bitnet-silu-tiny-tq1_0.gguf");
        Path out = dir.resolve("tq1.gguf");
        MainTest.Result r = MainTest.run("convert", f32.toString(), "-o", out.toString(), "--type", "tq1_0", "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("TQ1_0    28 tensors (0 copied, 0 trit for trit, 28 from float)"), r.out());
        assertTrue(r.out().contains("GB/s of input"), r.out());
        try (GgufFile a = GgufFile.open(out); GgufFile b = GgufFile.open(expected)) {
            GgufTensor t = b.tensor("blk.2.ffn_down.weight");
            assertArrayEquals(t.data().toArray(ValueLayout.JAVA_BYTE), a.tensor(t.name()).data().toArray(ValueLayout.JAVA_BYTE));
        }
    }

    @Test
    void convertTakesLlama2cCheckpointsWithTheirTokenizer() throws IOException {
        Path bin = Fixtures.require("models/stories260K/stories260K.bin");
        Path tok = Fixtures.require("models/stories260K/tok512.bin");
        Path out = dir.resolve("stories.gguf");
        MainTest.Result r = MainTest.run("convert", bin.toString(), "--tokenizer", tok.toString(), "-o", out.toString(), "--type", "f32");
        assertEquals(0, r.code(), r.err());
        try (GgufFile f = GgufFile.open(out)) {
            assertEquals(48, f.tensors().size());
            assertEquals(512, f.metadata().getLong("llama.context_length"));
        }
        r = MainTest.run("convert", bin.toString(), "-o", out.toString(), "--type", "f32");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("needs its tokenizer") && r.err().contains("--tokenizer"), r.err());
    }

    @Test
    void quantizeReportsEveryTernarizedTensor() throws IOException {
        Path f32 = Fixtures.require("models/bitnet-silu-tiny/bitnet-silu-tiny-f32.gguf");
        Path out = dir.resolve("q.gguf");
        MainTest.Result r = MainTest.run("quantize", f32.toString(), "-o", out.toString(), "--type", "i2_s", "--layers", "blk.0.*", "--keep", "bf16");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().matches("(?s).*tensor +elements +rel\\. RMS +sparsity +scale\n.*"), r.out());
        assertTrue(r.out().contains("7 tensors ternarized"), r.out());
        assertTrue(r.out().matches("(?s).*blk\\.0\\.attn_q\\.weight +65,536 +0\\.\\d{4} +0\\.\\d{4} +0\\.\\d{5}\n.*"), r.out());
        try (GgufFile f = GgufFile.open(out)) {
            assertEquals(GgmlType.I2_S, f.tensor("blk.0.ffn_up.weight").type());
            assertEquals(GgmlType.BF16, f.tensor("blk.1.ffn_up.weight").type());
            assertEquals(GgmlType.F32, f.tensor("blk.1.attn_norm.weight").type());
        }
    }

    @Test
    void synthWritesTheHiddenTinyPreset() throws IOException {
        Path out = dir.resolve("s.gguf");
        MainTest.Result r = MainTest.run("synth", "--preset", "tiny", "--type", "tq2_0", "-o", out.toString(), "--seed", "3");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("arch bitnet, TQ2_0"), r.out());
        try (GgufFile f = GgufFile.open(out)) {
            assertEquals(GgmlType.TQ2_0, f.tensor("blk.1.ffn_down.weight").type());
        }
        MainTest.Result help = MainTest.run("synth", "--help");
        assertFalse(help.out().contains("tiny"), "the test preset stays hidden");
    }

    @Test
    void badArgumentsGiveOneLine() throws IOException {
        Path f32 = Fixtures.require("models/bitnet-silu-tiny/bitnet-silu-tiny-f32.gguf");
        String out = dir.resolve("x.gguf").toString();
        MainTest.Result r = MainTest.run("quantize", f32.toString(), "-o", out, "--type", "f16");
        assertEquals(1, r.code());
        assertEquals("bitnet4j quantize: --type f16 is not possible here; use one of tq1_0|tq2_0|i2_s", r.err().strip());
        r = MainTest.run("convert", f32.toString(), "-o", out, "--type", "q9_9");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown tensor type 'q9_9'"), r.err());
        r = MainTest.run("convert", dir.resolve("absent.gguf").toString(), "-o", out, "--type", "tq2_0");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("absent.gguf") && r.err().contains("no such file"), r.err());
        r = MainTest.run("convert", f32.toString(), "-o", out, "--type", "tq2_0", "--arch", "gpt2");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("--arch gpt2"), r.err());
        r = MainTest.run("synth", "--preset", "13b", "--type", "tq2_0", "-o", out);
        assertEquals(1, r.code());
        assertTrue(r.err().contains("presets: 2b4t, 700m, 3b, 8b"), r.err());
        assertFalse(Files.exists(Path.of(out)), "nothing is left behind");
    }
}
