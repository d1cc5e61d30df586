package io.bitnet4j.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Byte-level BPE as llama.cpp's {@code llm_tokenizer_bpe}: the text is split by the {@link PreTokenizer},
 * each piece becomes its UTF-8 bytes (one symbol each), and adjacent symbols are merged by the rule of
 * lowest rank first (leftmost on ties) until no rule applies. With {@code ignore_merges} (LLaMA 3) a
 * piece that is itself a token is emitted whole. A final symbol that is not a token is emitted as its
 * single-byte tokens.
 *
 * <p>Pieces repeat a lot in real text, so their ids are cached (a bounded concurrent map, cleared when
 * full; merging is deterministic, so the cache never changes a result).
 */
final class BpeEncoder implements SubwordEncoder {
    private static final int CACHE_ENTRIES = 1 << 16;
    private static final int CACHE_MAX_PIECE_CHARS = 128;

    private final Vocabulary vocab;
    private final BpeSymbols symbols;
    private final MergeRules merges;
    private final PreTokenizer preTokenizer;
    private final ConcurrentHashMap<String, int[]> cache = new ConcurrentHashMap<>();

    BpeEncoder(Vocabulary vocab, BpeSymbols symbols, MergeRules merges, PreTokenizer preTokenizer) {
        this.vocab = vocab;
        this.symbols = symbols;
        this.merges = merges;
        this.preTokenizer = preTokenizer;
    }

    @Override
    public Tokenizer.Kind kind() {
        return Tokenizer.Kind.BYTE_LEVEL_BPE;
    }

    @Override
    public void encode(String text, boolean atStart, IntList out) {
        for (String piece : preTokenizer.split(text)) {
            out.addAll(encodePiece(piece));
        }
    }

    private int[] encodePiece(String piece) {
        if (piece.length() > CACHE_MAX_PIECE_CHARS) {
            return merge(piece.getBytes(StandardCharsets.UTF_8));
        }
        int[] ids = cache.get(piece);
        if (ids == null) {
            ids = merge(piece.getBytes(StandardCharsets.UTF_8));
            if (cache.size() >= CACHE_ENTRIES) {
                cache.clear();
            }
            cache.put(piece, ids);
        }
        return ids;
    }

    private int[] merge(byte[] bytes) {
        if (preTokenizer.ignoresMerges()) {
            int whole = vocab.id(ByteLevel.encode(bytes));
            if (whole >= 0) {
                return new int[] {whole};
            }
        }
        int n = bytes.length;
        if (n == 0) {
            return new int[0];
        }
        int[] sym = new int[n]; // -1 marks a symbol merged into its left neighbour
        int[] prev = new int[n];
        int[] next = new int[n];
        for (int i = 0; i < n; i++) {
            sym[i] = symbols.ofByte(bytes[i] & 0xFF);
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
        }
        LongMinHeap queue = new LongMinHeap(n);
        for (int i = 1; i < n; i++) {
            push(queue, sym, i - 1, i);
        }
        while (!queue.isEmpty()) {
            long key = queue.pop();
            int left = (int) key;
            int right = sym[left] >= 0 ? next[left] : -1;
            if (right < 0) {
                continue;
            }
            long rule = merges.find(sym[left], sym[right]);
            // Stale entry: the pair changed since it was queued. A current pair with the same rank at the
            // same position has an identical key of its own in the queue, so taking it now changes nothing.
            if (rule < 0 || MergeRules.rank(rule) != (int) (key >>> 32)) {
                continue;
            }
            sym[left] = MergeRules.result(rule);
            sym[right] = -1;
            next[left] = next[right];
            if (next[right] >= 0) {
                prev[next[right]] = left;
            }
            push(queue, sym, prev[left], left);
            push(queue, sym, left, next[left]);
        }
        IntList out = new IntList(n);
        for (int i = 0; i >= 0; i = next[i]) {
            emit(sym[i], out);
        }
        return out.toArray();
    }

    private void push(LongMinHeap queue, int[] sym, int left, int right) {
        if (left < 0 || right < 0) {
            return;
        }
        long rule = merges.find(sym[left], sym[right]);
        if (rule >= 0) {
            queue.push(((long) MergeRules.rank(rule) << 32) | left);
        }
    }

    private void emit(int symbol, IntList out) {
        if (symbols.isToken(symbol)) {
            out.add(symbol);
            return;
        }
        String text = symbols.text(symbol);
        for (int i = 0; i < text.length(); i++) {
            int id = vocab.id(String.valueOf(text.charAt(i)));
            if (id >= 0) {
                out.add(id);
            }
        }
    }

    @Override
    public byte[] render(int id, String text, TokenType type) {
        return type == TokenType.NORMAL ? ByteLevel.decode(text) : new byte[0];
    }
}
