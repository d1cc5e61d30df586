package io.bitnet4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bitnet4j.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tokenize}: ids as llama.cpp's tokenizer tests give them, the output forms, and one-line errors. */
class TokenizeCommandTest {
    @TempDir
    Path dir;

    private static String spm() {
        return Fixtures.require("tokenizers/ggml-vocab-llama-spm.gguf").toString();
    }

    @Test
    void idsOfAPromptWithAndWithoutBos() {
        // "Hello world" is " 15043 3186" in ggml-vocab-llama-spm.gguf.out; the model adds BOS 1
        MainTest.Result r = MainTest.run("tokenize", "-m", spm(), "-p", "Hello world");
        assertEquals(0, r.code(), r.err());
        assertEquals("1 15043 3186\n", r.out());
        assertEquals("15043 3186\n", MainTest.run("tokenize", "-m", spm(), "-p", "Hello world", "--no-bos").out());
    }

    @Test
    void jsonAndPieces() throws IOException {
        MainTest.Result json = MainTest.run("tokenize", "-m", spm(), "-p", "Hello world", "--json");
        assertEquals("[1,15043,3186]\n", json.out());

        MainTest.Result pieces = MainTest.run("tokenize", "-m", spm(), "-p", "Hello world", "--pieces");
        assertEquals("1 -> '<s>'\n15043 -> ' Hello'\n3186 -> ' world'\n", pieces.out());

        MainTest.Result both = MainTest.run("tokenize", "-m", spm(), "-p", "é\uD83E\uDD99", "--json", "--pieces", "--no-bos");
        JsonNode array = new ObjectMapper().readTree(both.out());
        assertTrue(array.size() > 2, both.out());
        boolean sawBytes = false;
        for (JsonNode t : array) {
            assertTrue(t.has("id") && t.has("piece"), t.toString());
            sawBytes |= t.has("bytes");
        }
        assertTrue(sawBytes, "the emoji is byte tokens, each not valid UTF-8 alone: " + both.out());
    }

    @Test
    void specialTokenTextIsLiteralUnlessParsed() {
        String model = Fixtures.require("tokenizers/ggml-vocab-llama-bpe.gguf").toString();
        MainTest.Result parsed = MainTest.run("tokenize", "-m", model, "-p", "Hi<|eot_id|>", "--parse-special");
        assertEquals(0, parsed.code(), parsed.err());
        assertTrue(parsed.out().strip().startsWith("128000 ") && parsed.out().strip().endsWith(" 128009"), parsed.out());
        MainTest.Result literal = MainTest.run("tokenize", "-m", model, "-p", "Hi<|eot_id|>");
        assertTrue(!literal.out().contains("128009"), literal.out());
    }

    @Test
    void textFromAFileAndOtherTokenizerFormats() throws IOException {
        Path text = dir.resolve("prompt.txt");
        Files.writeString(text, "Hello world");
        assertEquals("1 15043 3186\n", MainTest.run("tokenize", "-m", spm(), "-f", text.toString()).out());
        String tok512 = Fixtures.require("models/stories260K/tok512.bin").toString();
        String gguf = Fixtures.require("models/stories260K/stories260K.gguf").toString();
        String a = MainTest.run("tokenize", "-m", tok512, "-p", "Once upon a time").out();
        assertEquals(MainTest.run("tokenize", "-m", gguf, "-p", "Once upon a time").out(), a);
        assertTrue(a.startsWith("1 "), a);
    }

    @Test
    void errorsAreOneLine() throws IOException {
        MainTest.Result missing = MainTest.run("tokenize", "-m", dir.resolve("none.gguf").toString(), "-p", "x");
        assertEquals(1, missing.code());
        assertTrue(missing.err().startsWith("bitnet4j tokenize: ") && missing.err().contains("none.gguf"), missing.err());

        Path bad = dir.resolve("bad.txt");
        Files.write(bad, new byte[] {'o', 'k', (byte) 0xFF});
        MainTest.Result badText = MainTest.run("tokenize", "-m", spm(), "-f", bad.toString());
        assertEquals(1, badText.code());
        assertTrue(badText.err().contains("is not valid UTF-8 (at byte 2)"), badText.err());

        MainTest.Result both = MainTest.run("tokenize", "-m", spm(), "-p", "x", "-f", bad.toString());
        assertEquals(2, both.code(), "-p and -f exclude each other");
        MainTest.Result neither = MainTest.run("tokenize", "-m", spm());
        assertEquals(2, neither.code());

        Path noVocab = dir.resolve("model.gguf");
        try (io.bitnet4j.gguf.GgufWriter w = io.bitnet4j.gguf.GgufWriter.create(noVocab)) {
            w.put("general.architecture", io.bitnet4j.gguf.GgufValue.string("llama"));
            w.finish();
        }
        MainTest.Result r = MainTest.run("tokenize", "-m", noVocab.toString(), "-p", "x");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("no tokenizer") && !r.err().contains("internal error"), r.err());
    }
}
