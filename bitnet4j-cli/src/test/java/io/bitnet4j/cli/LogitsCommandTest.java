package io.bitnet4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code logits}: the file it writes and the summary it prints, against llama.cpp's and bitnet.cpp's logits. */
class LogitsCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesEveryPositionsLogitsAsLlamaCppComputesThem() throws IOException {
        Path model = Fixtures.require("models/stories260K/stories260K.gguf");
        String tokens = tokens(Fixtures.require("models/stories260K/logits-seq32.json"), "tokens");
        Path out = dir.resolve("logits.f32");
        MainTest.Result r = MainTest.run("logits", "-m", model.toString(), "--tokens", tokens, "-o", out.toString(), "--kv", "f32", "-t", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("wrote 32 × 512 logits"), r.out());
        float[] expected = Fixtures.readF32(Fixtures.require("models/stories260K/logits-seq32.f32"));
        float[] got = Fixtures.readF32(out);
        assertEquals(expected.length, got.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], got[i], 1e-4 * 41.5, "logit " + i);
        }
    }

    @Test
    void summaryShowsTheArgmaxPerPosition() throws IOException {
        Path model = Fixtures.require("models/bitnet-i2s-tiny/bitnet-tiny-b158-i2s.gguf");
        Path manifest = Fixtures.require("models/bitnet-i2s-tiny/manifest.json");
        MainTest.Result r = MainTest.run("logits", "-m", model.toString(), "--tokens", tokens(manifest, "tokens"), "--one-at-a-time");
        assertEquals(0, r.code(), r.err());
        // bitnet.cpp's argmax per position for this file and mode, from the manifest
        String json = Files.readString(manifest);
        int at = json.indexOf("\"b158-i2s-seq\"");
        String argmax = tokens(json.substring(at), "argmax");
        String ours = r.out().lines().skip(1).map(l -> l.trim().split("\\s+")[2]).collect(Collectors.joining(","));
        assertEquals(argmax, ours);
    }

    @Test
    void repeatReportsTheBestTimeAndKeepsTheSameLogits() throws IOException {
        Path model = Fixtures.require("models/stories260K/stories260K.gguf");
        Path once = dir.resolve("once.f32");
        Path thrice = dir.resolve("thrice.f32");
        assertEquals(0, MainTest.run("logits", "-m", model.toString(), "--tokens", "1,403,407,261", "-o", once.toString()).code());
        MainTest.Result r = MainTest.run("logits", "-m", model.toString(), "--tokens", "1,403,407,261", "-o", thrice.toString(),
                "--repeat", "3", "--one-at-a-time");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().matches("(?s)one at a time: 4 tokens in [0-9.]+ ms \\(best of 3 runs\\): [0-9.]+ tokens/s\\R"), r.err());
        float[] a = Fixtures.readF32(once);
        float[] b = Fixtures.readF32(thrice);
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], 1e-4f, "batch vs one at a time, after resets, logit " + i);
        }
        assertEquals(1, MainTest.run("logits", "-m", model.toString(), "--tokens", "1", "--repeat", "0").code());
    }

    @Test
    void badArgumentsFailWithOneLine() {
        Path model = Fixtures.require("models/stories260K/stories260K.gguf");
        MainTest.Result bad = MainTest.run("logits", "-m", model.toString(), "--tokens", "1,999");
        assertEquals(1, bad.code());
        assertTrue(bad.err().startsWith("bitnet4j logits: token 1 is id 999, outside the vocabulary 0..511"), bad.err());
        MainTest.Result kv = MainTest.run("logits", "-m", model.toString(), "--tokens", "1", "--kv", "q8");
        assertEquals(1, kv.code());
        assertTrue(kv.err().contains("--kv must be f16 or f32, not 'q8'"), kv.err());
        MainTest.Result missing = MainTest.run("logits", "-m", dir.resolve("none.gguf").toString(), "--tokens", "1");
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("none.gguf"), missing.err());
        MainTest.Result notANumber = MainTest.run("logits", "-m", model.toString(), "--tokens", "1,x");
        assertEquals(2, notANumber.code());
    }

    @Test
    void tooManyTokensForTheContextFailClearly() {
        Path model = Fixtures.require("models/bitnet-silu-tiny/bitnet-silu-tiny-tq2_0.gguf"); // context 256
        String tokens = Arrays.stream(new int[257]).mapToObj(i -> "1").collect(Collectors.joining(","));
        MainTest.Result r = MainTest.run("logits", "-m", model.toString(), "--tokens", tokens);
        assertEquals(1, r.code());
        assertTrue(r.err().contains("257 token(s) at position 0 need 257 positions but the context holds 256"), r.err());
        assertTrue(!r.err().contains("internal error"), r.err());
    }

    /** The integer list under {@code "key": [...]}, comma-joined. */
    private static String tokens(Path json, String key) throws IOException {
        return tokens(Files.readString(json), key);
    }

    private static String tokens(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*\\[([^\\]]*)]").matcher(json);
        assertTrue(m.find(), key);
        return Arrays.stream(m.group(1).split(",")).map(String::trim).collect(Collectors.joining(","));
    }
}
