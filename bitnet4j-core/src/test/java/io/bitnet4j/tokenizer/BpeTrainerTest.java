package io.bitnet4j.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link BpeTrainer} on TinyShakespeare: round trips of held-out text, determinism, compression, the layout, the GGUF round trip. */
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
    void vocabularyDependsOnTheWordCountsOnly() {
        TrainedVocabulary again = BpeTrainer.train(train, 512);
        assertEquals(vocab512.ggufMetadata(), again.ggufMetadata());
        assertEquals(512, vocab512.size());
        // Reordering the paragraphs (the first stays first: it gets the prefix space) keeps every word's count.
        String body = train.stripTrailing();
        List<String> paragraphs = new ArrayList<>(List.of(body.split("\n\n")));
        String first = paragraphs.removeFirst();
        Collections.shuffle(paragraphs, new SplittableRandom(7));
        paragraphs.addFirst(first);
        String shuffled = String.join("\n\n", paragraphs) + train.substring(body.length());
        assertNotEquals(train, shuffled);
        assertEquals(vocab512.ggufMetadata(), BpeTrainer.train(shuffled, 512).ggufMetadata());
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
