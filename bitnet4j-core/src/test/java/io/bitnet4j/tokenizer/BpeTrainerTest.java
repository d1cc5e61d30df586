package io.bitnet4j.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.gguf.GgmlType;
import io.bitnet4j.gguf.GgufFile;
import io.bitnet4j.gguf.GgufMetadata;
import io.bitnet4j.gguf.GgufWriter;
import io.bitnet4j.testing.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link BpeTrainer}: round trips, determinism, compression, the reserved layout, and the GGUF round trip. */
class BpeTrainerTest {
    /** TinyShakespeare split: the first 90% trains, the rest is held out. */
    static String train;
    static String heldOut;
    static TrainedVocabulary vocab512;

    @BeforeAll
    static void trainOnShakespeare() throws IOException {
        String all = Files.readString(Fixtures.require("corpora/tinyshakespeare.txt"));
        int cut = all.indexOf('\n', all.length() * 9 / 10) + 1;
        train = all.substring(0, cut);
        heldOut = all.substring(cut);
        vocab512 = BpeTrainer.train(train, 512);
    }

    /** Decoding keeps the space that encoding prefixes (see {@link Tokenizer}). */
    private static void assertRoundTrip(Tokenizer t, String text) {
        assertEquals(" " + text, t.decode(t.encode(text, false, false)), () -> "round trip of '" + text + "'");
    }

    @Test
    void heldOutTextRoundTrips() {
        assertRoundTrip(vocab512.tokenizer(), heldOut);
        assertRoundTrip(vocab512.tokenizer(), "Naïve café — ünïcödé, 日本語, emoji 🎭👑 and a\ttab");
        assertRoundTrip(vocab512.tokenizer(), "  two spaces,   three\n\n\nnewlines \n trailing space ");
        assertRoundTrip(vocab512.tokenizer(), "literal <s> </s> <unk> <0x41> text");
    }

    @Test
    void randomUnicodeRoundTrips() {
        SplittableRandom rnd = new SplittableRandom(42);
        String alphabet = "ab \n\t.,<>s0xA🎭é日▁";
        for (int trial = 0; trial < 200; trial++) {
            StringBuilder sb = new StringBuilder();
            int n = 1 + rnd.nextInt(30);
            for (int i = 0; i < n; i++) {
                sb.appendCodePoint(alphabet.codePointAt(alphabet.offsetByCodePoints(0, rnd.nextInt(alphabet.codePointCount(0, alphabet.length())))));
            }
            // A literal ▁ comes back as a space: SentencePiece cannot tell them apart.
            String text = sb.toString();
            assertEquals(" " + text.replace('▁', ' '), vocab512.tokenizer().decode(vocab512.tokenizer().encode(text, false, false)),
                    "trial " + trial);
        }
    }

    @Test
    void trainingOnTextFullOfReservedTokenTextRoundTrips() {
        String text = "<s> hello </s> <unk> <0x41> <0x0A> ".repeat(50);
        TrainedVocabulary v = BpeTrainer.train(text, 400);
        assertRoundTrip(v.tokenizer(), text);
        for (int id : v.tokenizer().encode(text, false, false)) {
            assertTrue(id > 2, "literal text became <unk>/<s>/</s>");
        }
        assertTrue(v.size() > TrainedVocabulary.RESERVED + 10, "pieces were learned: " + v.size());
    }

    @Test
    void vocabularyIsDeterministic() {
        TrainedVocabulary again = BpeTrainer.train(train, 512);
        assertEquals(vocab512.ggufMetadata(), again.ggufMetadata());
        assertEquals(512, vocab512.size());
    }

    @Test
    void mergesCompressHeldOutText() {
        int bytes = heldOut.getBytes(StandardCharsets.UTF_8).length;
        int tokens = vocab512.tokenizer().encode(heldOut, false, false).length;
        double ratio = (double) bytes / tokens;
        assertTrue(ratio > 1.5, "bytes per token " + ratio);
        // A larger vocabulary compresses at least as well on the same text.
        int tokens1k = BpeTrainer.train(train, 1024).tokenizer().encode(heldOut, false, false).length;
        assertTrue(tokens1k < tokens, tokens1k + " tokens at 1024 vs " + tokens + " at 512");
    }

    @Test
    void layoutIsSentencePieceWithByteFallback() {
        Tokenizer t = vocab512.tokenizer();
        assertEquals(Tokenizer.Kind.SENTENCEPIECE, t.kind());
        assertEquals("<unk>", t.tokenText(0));
        assertEquals(TokenType.UNKNOWN, t.tokenType(0));
        assertEquals(1, t.bos());
        assertEquals(2, t.eos());
        assertEquals(TokenType.CONTROL, t.tokenType(1));
        for (int b = 0; b < 256; b++) {
            assertEquals(String.format("<0x%02X>", b), t.tokenText(3 + b));
            assertEquals(TokenType.BYTE, t.tokenType(3 + b));
        }
        assertTrue(t.tokenId("▁") >= TrainedVocabulary.RESERVED);
        assertEquals(1, t.encode("x")[0], "BOS added");
        float[] scores = new GgufMetadata(vocab512.ggufMetadata()).getArray(GgufTokenizerLoader.SCORES).toFloatArray();
        for (int id = TrainedVocabulary.RESERVED + 1; id < scores.length; id++) {
            assertTrue(scores[id] < scores[id - 1], "scores strictly decrease at " + id);
        }
    }

    @Test
    void learnsTheMostFrequentPairFirst() {
        // Hand-derived: words ▁ab x3, ▁abc x2, ▁c x1. Pairs: ▁a 5, ab 5, bc 2, ▁c 1; tie ▁a / ab goes to the
        // lower left symbol ('a' < '▁' by code point), so "ab" first; then ▁+ab 5 → "▁ab"; then ▁ab+c 2 → "▁abc".
        TrainedVocabulary v = BpeTrainer.train("ab ab ab abc abc c", TrainedVocabulary.RESERVED + 4);
        List<String> pieces = new ArrayList<>();
        for (int id = TrainedVocabulary.RESERVED; id < v.size(); id++) {
            pieces.add(v.tokenizer().tokenText(id));
        }
        assertEquals(List.of("ab", "▁ab", "▁abc", "▁"), pieces);
    }

    @Test
    void stopsWhenNoPairRepeats() {
        TrainedVocabulary v = BpeTrainer.train("abcdef", 1000);
        assertEquals(TrainedVocabulary.RESERVED + 1, v.size(), "only ▁");
    }

    @Test
    void frequentNonAsciiCharactersGetTheirOwnToken() {
        TrainedVocabulary v = BpeTrainer.train("é é é ü", 300);
        assertTrue(v.tokenizer().tokenId("é") >= 0);
        assertEquals(-1, v.tokenizer().tokenId("ü"), "seen once");
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> BpeTrainer.train("", 512));
        assertThrows(IllegalArgumentException.class, () -> BpeTrainer.train(null, 512));
        var small = assertThrows(IllegalArgumentException.class, () -> BpeTrainer.train("abc", BpeTrainer.MIN_VOCAB_SIZE - 1));
        assertTrue(small.getMessage().contains("259"), small.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BpeTrainer.train("abc", BpeTrainer.MAX_VOCAB_SIZE + 1));
        var surrogate = assertThrows(IllegalArgumentException.class, () -> BpeTrainer.train("ab\uD800cd", 512));
        assertTrue(surrogate.getMessage().contains("char 2"), surrogate.getMessage());
    }

    @Test
    void ggufFileReadsBackAndTokenizesIdentically(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("vocab.gguf");
        try (GgufWriter w = GgufWriter.create(file)) {
            w.put("general.architecture", io.bitnet4j.gguf.GgufValue.string("llama"));
            vocab512.ggufMetadata().forEach(w::put);
            w.addTensor("dummy", GgmlType.F32, 4);
            w.writeTensor("dummy", new byte[16]);
            w.finish();
        }
        Tokenizer loaded;
        try (GgufFile g = GgufFile.open(file)) {
            for (var e : vocab512.ggufMetadata().entrySet()) {
                assertEquals(e.getValue(), g.metadata().get(e.getKey()), e.getKey());
            }
        }
        loaded = Tokenizers.load(file);
        String sample = heldOut.substring(0, 5000) + " 🎭 café";
        assertArrayEquals(vocab512.tokenizer().encode(sample), loaded.encode(sample));
        assertNotEquals(0, loaded.encode(sample).length);
    }
}
