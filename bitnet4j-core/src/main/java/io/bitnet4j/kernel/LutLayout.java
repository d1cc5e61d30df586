package io.bitnet4j.kernel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Ternary weights repacked at load time for the lookup-table kernels ({@link LutKernel}): the runtime form of
 * TQ1_0, TQ2_0 and I2_S matrices, held in its own off-heap memory so the file's pages can be dropped (or mapped from
 * a {@link LayoutCache} file that an earlier load wrote).
 *
 * <h2>Indices</h2>
 * Each row is cut into scale blocks of {@link #block()} columns ({@code 256} for the TQ types, {@code 128} or
 * {@code 256} for I2_S) and each block into groups of 3 consecutive columns; the last group of a block is
 * padded with zero trits. A group's trits {@code (t0, t1, t2)} become one index
 * {@code 9·(t0+1) + 3·(t1+1) + (t2+1)} in {@code 0..26} (all zeros: {@value #ZERO_INDEX}), the position of
 * {@code Σ tk·qk} in a 32-entry table of the activations' partial sums. Three indices share a 16-bit word
 * (bits 0–4, 5–9, 10–14; bit 15 is 0), so a word carries 9 trits: 1.78 bits per weight instead of TQ2_0's 2.
 *
 * <h2>Tiles and groups</h2>
 * Rows are interleaved in tiles of {@link #tileRows()} (the kernel's 16-bit lanes): for each block and each
 * word position the tile's rows' words are adjacent, so one vector load fetches the same 9 columns of every row
 * of the tile. Tiles are gathered in groups of {@link #groupTiles()} (the last may be shorter), and within a group
 * blocks come first: {@code words[group][block][tile][word][lane]}. The kernel sweeps one block over a group's
 * tiles as one linear stream while that block's lookup tables stay in the L1 cache, and a group's blocks follow
 * one another, so a thread whose share is whole groups reads one unbroken stream. (With blocks first over the
 * whole matrix, a share that is part of the rows jumps once per block: in a harness of the 2B model's down
 * projection at two threads, 24-26 GB/s against 39-42 for whole groups, the machine's bandwidth then; decoding at
 * two threads gained 9 %: docs/bench-log.md.) A last, partial tile is padded with zero rows. Block scales (TQ) are float32 in
 * {@code scales[group][block][tile][lane]} (0 for padding rows).
 */
final class LutLayout {
    /** The index of three zero trits. */
    static final int ZERO_INDEX = 13;
    /** Trits per 16-bit word. */
    static final int TRITS_PER_WORD = 9;
    private static final int ZERO_WORD = ZERO_INDEX | ZERO_INDEX << 5 | ZERO_INDEX << 10;
    private static final ValueLayout.OfShort WORD = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Eight codes at once from a byte array. */
    private static final VarHandle CODES8 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** The most tiles in a group of a layout for several threads ({@link #groupTiles(int, int)}). */
    static final int MAX_GROUP_TILES = 24;

    /**
     * Decodes one weight row of the stored format: its trits as codes {@code t + 1} ∈ {0, 1, 2} (what the ternary
     * formats store; the decoder rejects anything else), and its block scales if the format has them.
     */
    @FunctionalInterface
    interface RowSource {
        void decode(int row, byte[] codes, float[] blockScales);
    }

    private final int rows;
    private final int cols;
    private final int block;
    private final int tileRows;
    private final int tiles;
    private final int groupTiles;
    private final int blocksPerRow;
    private final int wordsPerBlock;
    private final MemorySegment words;
    private final MemorySegment scales;

    private LutLayout(int rows, int cols, int block, int tileRows, int groupTiles, boolean scaled) {
        this(rows, cols, block, tileRows, groupTiles, null, null, scaled);
    }

    /** A layout over {@code words} and {@code scales} if given, else over new memory for them (freed with the layout). */
    private LutLayout(int rows, int cols, int block, int tileRows, int groupTiles, MemorySegment words, MemorySegment scales,
            boolean scaled) {
        if (cols % block != 0) {
            throw new IllegalArgumentException("rows of " + cols + " are not whole blocks of " + block);
        }
        this.rows = rows;
        this.cols = cols;
        this.block = block;
        this.tileRows = tileRows;
        this.tiles = tiles(rows, tileRows);
        this.groupTiles = Math.clamp(groupTiles, 1, Math.max(1, tiles));
        this.blocksPerRow = cols / block;
        this.wordsPerBlock = (block + TRITS_PER_WORD - 1) / TRITS_PER_WORD;
        this.words = words != null ? words : OffHeap.allocate(wordsBytes());
        this.scales = !scaled ? null : scales != null ? scales : OffHeap.allocate(scalesBytes());
    }

    /** Tiles of {@code tileRows} rows that hold {@code rows} rows (the last one padded). */
    private static int tiles(int rows, int tileRows) {
        return (rows + tileRows - 1) / tileRows;
    }

    /** Bytes of the words this shape needs. */
    private long wordsBytes() {
        return (long) tiles * blocksPerRow * blockTileBytes();
    }

    /** Bytes of the block scales this shape needs, if it has them. */
    private long scalesBytes() {
        return (long) tiles * blocksPerRow * tileRows * Float.BYTES;
    }

    /**
     * A layout of this shape over existing memory (a {@link LayoutCache}'s file), or null if the lengths of
     * {@code words} and {@code scales} (null: no block scales) are not the ones the shape needs.
     */
    static LutLayout of(int rows, int cols, int block, int tileRows, int groupTiles, MemorySegment words, MemorySegment scales) {
        if (rows <= 0 || cols <= 0 || block <= 0 || tileRows <= 0 || groupTiles <= 0 || cols % block != 0) {
            return null;
        }
        LutLayout l = new LutLayout(rows, cols, block, tileRows, groupTiles, words, scales, scales != null);
        return l.groupTiles == groupTiles && words.byteSize() == l.wordsBytes()
                && (scales == null || scales.byteSize() == l.scalesBytes()) ? l : null;
    }

    /**
     * {@link #pack(int, int, int, int, int, boolean, RowSource) pack} with the groups of a layout for {@code threads}
     * threads ({@link #groupTiles(int, int)}), or the layout that {@code cache} holds for tensor {@code name} repacked
     * from the bytes {@code data} (null: no cache; see {@link LayoutCache#layout}).
     */
    static LutLayout pack(LayoutCache cache, String name, MemorySegment data, int rows, int cols, int block, int tileRows,
            int threads, boolean scaled, RowSource source) {
        int group = groupTiles(tiles(rows, tileRows), threads);
        if (cache == null) {
            return pack(rows, cols, block, tileRows, group, scaled, source);
        }
        return cache.layout(name, data, rows, cols, block, tileRows, group, scaled,
                () -> pack(rows, cols, block, tileRows, group, scaled, source));
    }

    /**
     * Repacks a {@code rows × cols} ternary matrix read row by row from {@code source} ({@code scaled}: one scale
     * per block) into groups of {@code groupTiles} tiles. Tiles are packed in parallel, so {@code source} must be
     * thread-safe.
     */
    static LutLayout pack(int rows, int cols, int block, int tileRows, int groupTiles, boolean scaled, RowSource source) {
        LutLayout l = new LutLayout(rows, cols, block, tileRows, groupTiles, scaled);
        // runs of tiles, each with one row buffer and one tile buffer: buffers per tile would be a gigabyte of
        // garbage for a 2B model, and the heap grown to hold it stays in the process's memory
        int pieces = Math.min(l.tiles, 4 * Runtime.getRuntime().availableProcessors());
        try {
            packTiles(l, pieces, rows, cols, tileRows, source);
        } catch (IllegalArgumentException e) {
            // a worker thread's exception comes back wrapped in one of its own type, whose message is the original's
            // toString(): give the caller the decoder's own error, which says where the input is bad
            throw e.getCause() instanceof IllegalArgumentException original ? original : e;
        }
        return l;
    }

    private static void packTiles(LutLayout l, int pieces, int rows, int cols, int tileRows, RowSource source) {
        IntStream.range(0, pieces).parallel().forEach(run -> {
            byte[] codes = new byte[cols];
            byte[] blockCodes = new byte[l.wordsPerBlock * TRITS_PER_WORD]; // one block's, padded with zero trits
            Arrays.fill(blockCodes, (byte) 1);
            float[] blockScales = new float[l.blocksPerRow];
            short[] tileWords = new short[l.blocksPerRow * l.wordsPerBlock * tileRows];
            for (int tile = (int) ((long) l.tiles * run / pieces); tile < (long) l.tiles * (run + 1) / pieces; tile++) {
                for (int lane = 0; lane < tileRows; lane++) {
                    int row = tile * tileRows + lane;
                    if (row < rows) {
                        source.decode(row, codes, blockScales);
                        l.putRow(tile, lane, codes, blockCodes, blockScales, tileWords);
                    } else {
                        l.putPaddingRow(tile, lane, tileWords);
                    }
                }
                for (int b = 0; b < l.blocksPerRow; b++) { // each block's words of the tile are one run in the layout
                    MemorySegment.copy(tileWords, b * l.wordsPerBlock * tileRows, l.words, WORD, l.wordsAt(b, tile),
                            l.wordsPerBlock * tileRows);
                }
            }
        });
    }

    /**
     * Puts a row's words into {@code tileWords[b][w][lane]} and its scales into the layout. Each block's codes are
     * copied into {@code blockCodes} first, whose tail beyond the block holds the padding (zero trits), so that
     * every word is made of 9 codes alike.
     */
    private void putRow(int tile, int lane, byte[] codes, byte[] blockCodes, float[] blockScales, short[] tileWords) {
        for (int b = 0; b < blocksPerRow; b++) {
            System.arraycopy(codes, b * block, blockCodes, 0, block);
            int out = b * wordsPerBlock * tileRows + lane;
            for (int w = 0; w < wordsPerBlock; w++) {
                int c = w * TRITS_PER_WORD;
                long x = (long) CODES8.get(blockCodes, c); // codes c .. c+7, one per byte
                long x2 = x >>> 48 | (long) blockCodes[c + 8] << 16;
                tileWords[out + w * tileRows] = (short) (triple(x & 0xFF_FFFF) | triple(x >>> 24 & 0xFF_FFFF) << 5 | triple(x2) << 10);
            }
            if (scales != null) {
                scales.set(F32, scaleAt(tile, b, lane), blockScales[b]);
            }
        }
    }

    /**
     * {@code 9·c0 + 3·c1 + c2} for the codes in bytes 0–2 of {@code x}: one multiplication, whose byte 2 sums the
     * three (every partial sum of the product stays below 256, so no byte carries into the next).
     */
    private static int triple(long x) {
        return (int) (x * 0x09_03_01 >>> 16) & 0xFF;
    }

    /** A padding row of a last, partial tile: zero trits, and scale 0 (the memory is not zeroed when allocated). */
    private void putPaddingRow(int tile, int lane, short[] tileWords) {
        for (int i = lane; i < tileWords.length; i += tileRows) {
            tileWords[i] = (short) ZERO_WORD;
        }
        if (scales != null) {
            for (int b = 0; b < blocksPerRow; b++) {
                scales.set(F32, scaleAt(tile, b, lane), 0f);
            }
        }
    }

    /** The trit at {@code (row, col)} read back from the packed words (for verification). */
    int trit(int row, int col) {
        int b = col / block;
        int c = col % block;
        int word = words.get(WORD, wordAt(row / tileRows, b, c / TRITS_PER_WORD, row % tileRows));
        int index = (word >>> (5 * ((c % TRITS_PER_WORD) / 3))) & 31;
        int digit = switch (c % 3) {
            case 0 -> index / 9;
            case 1 -> index / 3 % 3;
            default -> index % 3;
        };
        return digit - 1;
    }

    /** The scale of block {@code b} of {@code row} (for verification); 1 when the layout has no block scales. */
    float scale(int row, int b) {
        return scales == null ? 1f : scales.get(F32, scaleAt(row / tileRows, b, row % tileRows));
    }

    private long wordAt(int tile, int b, int w, int lane) {
        return wordsAt(b, tile) + ((long) w * tileRows + lane) * Short.BYTES;
    }

    private long scaleAt(int tile, int b, int lane) {
        return scalesAt(b, tile) + (long) lane * Float.BYTES;
    }

    /** Byte offset of block {@code b}'s words of tile {@code tile}; the next tile's follow up to {@link #groupEnd}. */
    long wordsAt(int b, int tile) {
        return tileIndex(b, tile) * blockTileBytes();
    }

    /** Byte offset of block {@code b}'s scales of tile {@code tile}; the next tile's follow up to {@link #groupEnd}. */
    long scalesAt(int b, int tile) {
        return tileIndex(b, tile) * tileRows * Float.BYTES;
    }

    /** The position of block {@code b} of tile {@code tile} in {@code [group][block][tile]} order. */
    private long tileIndex(int b, int tile) {
        int first = tile - tile % groupTiles;
        int size = Math.min(groupTiles, tiles - first);
        return (long) first * blocksPerRow + (long) b * size + (tile - first);
    }

    /** The end (exclusive) of the group of tile {@code tile}: the tiles from {@code tile} up to it are one run per block. */
    int groupEnd(int tile) {
        return Math.min(tiles, tile - tile % groupTiles + groupTiles);
    }

    /**
     * Tiles per group for a matrix of {@code tiles} tiles multiplied on {@code threads} threads. Groups are the units
     * that threads share ({@link LutMatrix#rowTile}). On one thread the matrix is one group, so each block's run is
     * all its tiles: on the 2B model's shapes, groups of about 20 tiles cost the products a fifth of their speed there
     * (each run starts by fetching the block's tables into the L1 cache). On more threads it is cut into equal groups
     * of at most {@link #MAX_GROUP_TILES} (a 2B model's 80, 20 and 216 tiles into groups of 20, 20 and 24): long
     * enough runs, and a matrix that splits evenly over the threads.
     */
    static int groupTiles(int tiles, int threads) {
        if (threads <= 1) {
            return Math.max(1, tiles);
        }
        int groups = Math.max(1, (tiles + MAX_GROUP_TILES - 1) / MAX_GROUP_TILES);
        return Math.max(1, (tiles + groups - 1) / groups);
    }

    /** Bytes of one block of one tile's words. */
    long blockTileBytes() {
        return (long) wordsPerBlock * tileRows * Short.BYTES;
    }

    /** Bytes of one token's lookup tables: 32 int16 entries per group of 3 columns. */
    long tableBytesPerToken() {
        return (long) blocksPerRow * tableBytesPerBlock();
    }

    /** Bytes of one block's lookup tables for one token. */
    long tableBytesPerBlock() {
        return (long) wordsPerBlock * 3 * LutKernel.TABLE_BYTES;
    }

    /** Bytes of weights and scales held. */
    long memoryBytes() {
        return words.byteSize() + (scales == null ? 0 : scales.byteSize());
    }

    int rows() {
        return rows;
    }

    int cols() {
        return cols;
    }

    int block() {
        return block;
    }

    int tileRows() {
        return tileRows;
    }

    int tiles() {
        return tiles;
    }

    /** Tiles per group (the last group may have fewer). */
    int groupTiles() {
        return groupTiles;
    }

    int blocksPerRow() {
        return blocksPerRow;
    }

    int wordsPerBlock() {
        return wordsPerBlock;
    }

    MemorySegment words() {
        return words;
    }

    /** The block scales, or null (I2_S: one scale for the tensor, applied after the integer sums). */
    MemorySegment scales() {
        return scales;
    }
}
