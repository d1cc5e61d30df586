package io.bitnet4j.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bitnet4j.testing.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The llama.cpp {@code test-tokenizer-0} cases in {@code fixtures/tokenizers}: texts separated by
 * {@code \n__ggml_vocab_test__\n} in the {@code .inp} file, and one line of space-prefixed ids per text in
 * the {@code .out} file (no BOS/EOS, special-token text not parsed).
 */
final class VocabCases {
    static final String SEPARATOR = "\n__ggml_vocab_test__\n";

    record Case(int index, String text, int[] ids) {}

    private VocabCases() {}

    /** The vocab-only GGUF {@code tokenizers/ggml-vocab-<name>.gguf}; skips the test when fixtures are absent. */
    static Path gguf(String name) {
        return Fixtures.require("tokenizers/ggml-vocab-" + name + ".gguf");
    }

    static List<Case> read(String name) {
        Path inp = Fixtures.require("tokenizers/ggml-vocab-" + name + ".gguf.inp");
        Path out = Fixtures.require("tokenizers/ggml-vocab-" + name + ".gguf.out");
        try {
            List<String> texts = new ArrayList<>(Arrays.asList(Files.readString(inp).split(SEPARATOR, -1)));
            assertEquals("", texts.removeLast(), "the .inp file ends with a separator");
            List<String> lines = Files.readAllLines(out);
            assertEquals(texts.size(), lines.size(), "texts in .inp vs lines in .out");
            List<Case> cases = new ArrayList<>();
            for (int i = 0; i < texts.size(); i++) {
                String line = lines.get(i).strip();
                int[] ids = line.isEmpty() ? new int[0] : Arrays.stream(line.split(" ")).mapToInt(Integer::parseInt).toArray();
                cases.add(new Case(i, texts.get(i), ids));
            }
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every case encodes (no special tokens added or parsed) to exactly the expected ids. */
    static void assertAllEncode(Tokenizer tokenizer, List<Case> cases) {
        assertEquals(46, cases.size());
        for (Case c : cases) {
            assertArrayEquals(c.ids(), tokenizer.encode(c.text(), false, false),
                    () -> "case " + c.index() + " [" + c.text().replace("\n", "\\n") + "]");
        }
    }
}
