package io.bitnet4j.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The regex split that byte-level BPE applies before merging, one constant per llama.cpp pre-tokenizer
 * type. The regexes are applied in turn, each to the pieces the previous one made; text between two
 * matches is kept as a piece of its own (llama.cpp's {@code unicode_regex_split}), so no input is lost.
 *
 * <p>Patterns use {@link Pattern#UNICODE_CHARACTER_CLASS}, so {@code \s} is Unicode White_Space (what
 * llama.cpp's tables and the reference regex engines use), not just ASCII whitespace. LLaMA 3's
 * case-insensitive contractions {@code (?i:'s|'t|...)} are written as explicit {@code [sS]} classes, as
 * llama.cpp does: Unicode case folding would also match {@code ſ} (U+017F) and the Kelvin sign.
 * {@code \s+(?!\S)} backtracks the same way in Java as in the reference engines: a run of spaces before
 * a word gives up its last space to the word.
 */
enum PreTokenizer {
    /** LLaMA 3 ({@code llama-bpe}): letters with one leading non-letter, digits in groups of up to three. */
    LLAMA3("(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}"
            + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"),
    /** GPT-2: lower-case contractions, optional space before letters, digits or symbols. */
    GPT2(Regexes.GPT2),
    /** llama.cpp's fallback when a BPE file names no pre-tokenizer. */
    DEFAULT("[\\p{P}\\$\\+<=>\\^~\\|]+", Regexes.GPT2, "\\p{N}+", "[0-9][0-9][0-9]");

    /** Holder, because an enum constant cannot refer to a static field of its own enum. */
    private static final class Regexes {
        static final String GPT2 = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)";
    }

    private final List<Pattern> patterns;

    PreTokenizer(String... regexes) {
        List<Pattern> compiled = new ArrayList<>();
        for (String r : regexes) {
            compiled.add(Pattern.compile(r, Pattern.UNICODE_CHARACTER_CLASS));
        }
        this.patterns = List.copyOf(compiled);
    }

    /**
     * The type for GGUF {@code tokenizer.ggml.pre} value {@code name}, accepting llama.cpp's aliases;
     * throws for types this implementation does not have.
     */
    static PreTokenizer forName(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "default" -> DEFAULT;
            case "llama3", "llama-v3", "llama-bpe", "falcon3" -> LLAMA3;
            case "gpt-2", "phi-2", "jina-es", "jina-de", "gigachat", "jina-v1-en", "jina-v2-es", "jina-v2-de",
                 "jina-v2-code", "roberta-bpe" -> GPT2;
            default -> throw new IllegalArgumentException("unknown pre-tokenizer '" + name
                    + "' in tokenizer.ggml.pre; supported: default, llama-bpe (llama3, llama-v3, falcon3), gpt-2 (and its aliases)");
        };
    }

    /** Whether a piece that is itself a token is emitted whole without merging (HF {@code ignore_merges}). */
    boolean ignoresMerges() {
        return this == LLAMA3;
    }

    /** The pieces of {@code text}, in order; they concatenate to {@code text}. */
    List<String> split(String text) {
        List<String> pieces = List.of(text);
        for (Pattern p : patterns) {
            List<String> next = new ArrayList<>();
            for (String piece : pieces) {
                splitOne(p, piece, next);
            }
            pieces = next;
        }
        return pieces;
    }

    private static void splitOne(Pattern p, String text, List<String> out) {
        Matcher m = p.matcher(text);
        int last = 0;
        while (m.find()) {
            if (m.start() > last) {
                out.add(text.substring(last, m.start()));
            }
            if (m.end() > m.start()) {
                out.add(text.substring(m.start(), m.end()));
            }
            last = m.end();
        }
        if (last < text.length()) {
            out.add(text.substring(last));
        }
    }
}
