package io.bitnet4j.tokenizer;

import java.nio.charset.StandardCharsets;

/**
 * SentencePiece-style BPE as llama.cpp's {@code llm_tokenizer_spm}: spaces become {@code ▁} (and one is
 * prefixed at the start of the input and after each special token when {@code add_space_prefix}), the
 * text is split into characters, and adjacent symbols are merged while their concatenation is a token,
 * always the pair whose token has the highest score first (the leftmost pair on ties). A final symbol
 * that is not a token is emitted as its UTF-8 bytes through the {@code <0xNN>} byte tokens, or as the
 * unknown token when the vocabulary has no byte token for it.
 */
final class SpmEncoder implements SubwordEncoder {
    /** U+2581 LOWER ONE EIGHTH BLOCK, SentencePiece's visible space. */
    static final char SPACE_MARK = '\u2581';
    private static final byte[] NONE = new byte[0];

    private final Vocabulary vocab;
    private final boolean addSpacePrefix;
    /** The token for each byte value: {@code <0xNN>}, else the one-character token for ASCII, else unk, else -1. */
    private final int[] byteTokens = new int[256];

    SpmEncoder(Vocabulary vocab, boolean addSpacePrefix, int unk) {
        this.vocab = vocab;
        this.addSpacePrefix = addSpacePrefix;
        for (int b = 0; b < 256; b++) {
            int id = vocab.id(byteTokenText(b));
            if (id < 0 && b < 0x80) {
                id = vocab.id(String.valueOf((char) b));
            }
            byteTokens[b] = id >= 0 ? id : unk;
        }
    }

    static String byteTokenText(int b) {
        return String.format("<0x%02X>", b);
    }

    @Override
    public Tokenizer.Kind kind() {
        return Tokenizer.Kind.SENTENCEPIECE;
    }

    @Override
    public void encode(String raw, boolean atStart, IntList out) {
        if (raw.isEmpty()) {
            return;
        }
        String text = (addSpacePrefix && atStart ? " " + raw : raw).replace(' ', SPACE_MARK);
        int n = text.codePointCount(0, text.length());
        // Symbols are code points, as char offsets into text; len 0 marks a symbol merged into its left neighbour.
        int[] start = new int[n];
        int[] len = new int[n];
        int[] prev = new int[n];
        int[] next = new int[n];
        for (int i = 0, at = 0; i < n; i++) {
            start[i] = at;
            len[i] = Character.charCount(text.codePointAt(at));
            at += len[i];
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
        }
        LongMinHeap queue = new LongMinHeap(n);
        for (int i = 1; i < n; i++) {
            push(queue, text, start, len, i - 1, i);
        }
        while (!queue.isEmpty()) {
            long key = queue.pop();
            int left = (int) (key & Integer.MAX_VALUE);
            int right = next[left];
            // Stale entry: the pair changed since it was queued (a merge on either side). An unchanged pair
            // has an identical key; a new pair with an identical key was queued with that key as well.
            if (len[left] == 0 || right < 0 || bigramKey(text, start[left], len[left] + len[right], left) != key) {
                continue;
            }
            len[left] += len[right];
            len[right] = 0;
            next[left] = next[right];
            if (next[right] >= 0) {
                prev[next[right]] = left;
            }
            push(queue, text, start, len, prev[left], left);
            push(queue, text, start, len, left, next[left]);
        }
        for (int i = 0; i >= 0; i = next[i]) {
            emit(text.substring(start[i], start[i] + len[i]), out);
        }
    }

    private void push(LongMinHeap queue, String text, int[] start, int[] len, int left, int right) {
        if (left < 0 || right < 0) {
            return;
        }
        long key = bigramKey(text, start[left], len[left] + len[right], left);
        if (key >= 0) {
            queue.push(key);
        }
    }

    /**
     * The queue key of the symbol pair spanning {@code text[from, from+length)} whose left symbol is
     * {@code left}, or -1 if the pair is not a token: higher score first, then lower position.
     */
    private long bigramKey(String text, int from, int length, int left) {
        int id = vocab.id(text.substring(from, from + length));
        if (id < 0) {
            return -1;
        }
        long descending = (long) Integer.MAX_VALUE - sortable(vocab.score(id)); // 0 .. 2^32-1
        return (descending << 31) | left;
    }

    /** An int whose signed order is the float order (-0 counts as +0, as a float comparison does). */
    private static int sortable(float score) {
        int bits = Float.floatToIntBits(score + 0.0f);
        return bits ^ ((bits >> 31) & Integer.MAX_VALUE);
    }

    private void emit(String symbol, IntList out) {
        int id = vocab.id(symbol);
        if (id >= 0) {
            out.add(id);
            return;
        }
        for (byte b : symbol.getBytes(StandardCharsets.UTF_8)) {
            int t = byteTokens[b & 0xFF];
            if (t < 0) {
                throw new IllegalArgumentException("cannot encode byte 0x" + String.format("%02X", b & 0xFF) + " of '" + symbol
                        + "': the vocabulary has no " + byteTokenText(b & 0xFF) + " token and no unknown token");
            }
            out.add(t);
        }
    }

    @Override
    public byte[] render(int id, String text, TokenType type) {
        return switch (type) {
            case NORMAL -> text.replace(SPACE_MARK, ' ').getBytes(StandardCharsets.UTF_8);
            case BYTE -> new byte[] {parseByteToken(id, text)};
            default -> NONE;
        };
    }

    private static byte parseByteToken(int id, String text) {
        if (text.length() == 6 && text.startsWith("<0x") && text.endsWith(">")) {
            int hi = Character.digit(text.charAt(3), 16);
            int lo = Character.digit(text.charAt(4), 16);
            if (hi >= 0 && lo >= 0) {
                return (byte) (hi * 16 + lo);
            }
        }
        throw new IllegalArgumentException("token " + id + " has type BYTE but its text '" + text + "' is not <0xNN>");
    }
}
