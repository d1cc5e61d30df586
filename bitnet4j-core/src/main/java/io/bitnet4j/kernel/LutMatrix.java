package io.bitnet4j.kernel;

import io.bitnet4j.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Objects;

/**
 * What the lookup-table matrices share: a {@link LutLayout} repacked from the file, the scalar kernel over
 * the file's bytes for everything the layout does not serve, and the loop over tiles and tokens around
 * {@link LutKernel}. Tokens go through in fours ({@link LutKernel#block4}: each weight word loaded once for
 * four tokens), three left over in a four too (overlapping the one before, or padded), one or two one by one; each
 * thread builds the tables of the tokens in hand in its scratch and, group by group, sweeps the blocks of its rows
 * one after another, keeping the tiles' float sums in its scratch.
 */
abstract sealed class LutMatrix implements WeightMatrix permits TernaryLutMatrix, I2sLutMatrix {
    final StoredMatrix exact;
    final LutLayout layout;

    LutMatrix(StoredMatrix exact, LutLayout layout) {
        this.exact = Objects.requireNonNull(exact, "exact");
        this.layout = Objects.requireNonNull(layout, "layout");
    }

    /** The block scales' segment, the byte offset of block {@code b}'s scales of {@code tile}, and bytes per tile. */
    abstract MemorySegment scales();

    abstract long scaleOffset(int b, int tile);

    abstract long scaleStep();

    /** The activation scale of each block, token {@code t}'s first at {@code d8Offset(t)}. */
    abstract float[] blockScales(Activations in);

    abstract int d8Offset(int token);

    /**
     * The outputs {@code out[outAt + i]} of {@code n} consecutive rows for token {@code token}, from their kernel sums
     * {@code sums[sumsAt + i]}. One call per token and product, each format with its own loop: with a call per row in
     * this class's loop, C2 hoisted the call's receiver check out of the loop from the first format it saw (the warm-up
     * model's) and the other format's first prompt deoptimized and recompiled this method four times (docs/bench-log.md,
     * session 16).
     */
    abstract void finishRows(float[] sums, int sumsAt, Activations in, int token, float[] out, int outAt, int n);

    @Override
    public final void multiplyRows(Activations in, ActivationType as, Summation sum, int rowFrom, int rowTo, float[] out,
            int outOffset, KernelScratch scratch) {
        if (!usesLayout(sum)) {
            exact.multiplyRows(in, as, sum, rowFrom, rowTo, out, outOffset, scratch);
            return;
        }
        exact.checkShapes(in, rowFrom, rowTo, out, outOffset);
        byte[] q = in.quants(activationType());
        float[] d8 = blockScales(in);
        int tokens = in.rows();
        int r = layout.tileRows();
        int blocks = layout.blocksPerRow();
        int words = layout.wordsPerBlock();
        long perToken = layout.tableBytesPerToken();
        int tileFrom = rowFrom / r;
        int tileTo = (rowTo + r - 1) / r;
        int tiles = tileTo - tileFrom;
        int slots = tokens >= LutKernel.TOKENS - 1 ? LutKernel.TOKENS : tokens; // three tokens alone are padded to four
        MemorySegment tables = scratch.tables(slots * perToken);
        float[] acc = scratch.tileOut(LutKernel.TOKENS * tiles * r);
        MemorySegment w = layout.words();
        MemorySegment s = scales();
        long tileBytes = layout.blockTileBytes();
        long perBlock = layout.tableBytesPerBlock();
        int d8Stride = d8Offset(1) - d8Offset(0);
        long shape = tableShape(tokens);
        boolean keep = shape >= 0; // one pass over the tokens: its tables can serve the next product of the same input
        if (!keep) {
            scratch.dropTables();
        }
        for (int t0 = 0; t0 < tokens; ) {
            int n = tokens - t0 >= LutKernel.TOKENS ? LutKernel.TOKENS : 1;
            int finished = 0; // of this pass's tokens, those the pass before already finished
            if (n == 1 && tokens - t0 == LutKernel.TOKENS - 1) {
                // three tokens left: one pass of four instead of three of the one-token kernel, with the same floats
                // (the kernels agree token by token). Cold, a JVM's prompt then runs no one-token kernel before it is
                // compiled (a 31-token prompt's first token 0.15 s sooner); warm, a pass of four costs 3.1-3.5 of one
                // (JMH MatVecBench, I2_S, two threads), so these three take up to a sixth longer. After a pass of four
                // it overlaps that pass; three tokens alone are padded with the last one, whose copies' sums are
                // dropped. One or two left stay one by one: a pass of four would cost up to three times theirs.
                if (tokens > LutKernel.TOKENS) {
                    finished = 1;
                    t0 = tokens - LutKernel.TOKENS;
                }
                n = LutKernel.TOKENS;
            }
            // the pass's tokens that are there; a padded pass's others get the last one's tables, and read block scales
            // past the batch's (stale, in bounds: Activations keeps a scale slot per element) into sums it drops
            int real = Math.min(n, tokens - t0);
            if (!keep || !scratch.holdsTables(in, shape)) {
                for (int j = 0; j < n; j++) {
                    LutKernel.buildTables(q, (t0 + Math.min(j, real - 1)) * layout.cols(), blocks, layout.block(), words,
                            tables, j * perToken);
                }
                if (keep) {
                    scratch.keptTables(in, shape);
                }
            }
            Arrays.fill(acc, 0, n * tiles * r, 0f);
            for (int g = tileFrom; g < tileTo; ) { // group by group, each block's run of the group's tiles in turn
                int run = Math.min(tileTo, layout.groupEnd(g)) - g;
                int accAt = (g - tileFrom) * r;
                for (int b = 0; b < blocks; b++) {
                    long wAt = layout.wordsAt(b, g);
                    long sAt = scaleOffset(b, g);
                    if (n == 1) {
                        scratch.sink += LutKernel.block1(w, wAt, tileBytes, run, s, sAt, scaleStep(), tables, b * perBlock,
                                d8[d8Offset(t0) + b], words, acc, accAt, scratch.readAhead);
                    } else {
                        LutKernel.block4(w, wAt, tileBytes, run, s, sAt, scaleStep(), tables, b * perBlock, perToken,
                                d8, d8Offset(t0) + b, d8Stride, words, acc, accAt, tiles * r);
                    }
                }
                g += run;
            }
            int first = tileFrom * r;
            for (int j = finished; j < real; j++) {
                finishRows(acc, j * tiles * r + rowFrom - first, in, t0 + j, out, outOffset + (t0 + j) * exact.rows + rowFrom,
                        rowTo - rowFrom);
            }
            t0 += n;
        }
    }

    /**
     * A key for the tables of {@code tokens} tokens built for this layout from this matrix's activation type (the
     * tables depend on nothing else), or -1 when the tokens take more than one pass ({@link LutKernel#TOKENS} at a
     * time, or one by one) and the tables in hand at the end are not those of the whole batch.
     */
    private long tableShape(int tokens) {
        if ((tokens != 1 && tokens != LutKernel.TOKENS) || layout.block() >= 1 << 12 || layout.wordsPerBlock() >= 1 << 12) {
            return -1;
        }
        return ((((long) layout.cols() << 12 | layout.block()) << 12 | layout.wordsPerBlock()) << 4
                | activationType().ordinal()) << 4 | tokens;
    }

    /** Whether a product summed as {@code sum} runs on the repacked layout (else on the scalar kernel). */
    boolean usesLayout(Summation sum) {
        return sum.kernelOrder();
    }

    /** A group of tiles ({@link LutLayout#groupTiles}): threads that share whole groups each read one linear stream. */
    @Override
    public final int rowTile() {
        return layout.groupTiles() * layout.tileRows();
    }

    @Override
    public final void dequantizeRow(int row, float[] dst, int dstOffset, KernelScratch scratch) {
        exact.dequantizeRow(row, dst, dstOffset, scratch);
    }

    @Override
    public final String name() {
        return exact.name();
    }

    @Override
    public final GgmlType type() {
        return exact.type();
    }

    @Override
    public final int rows() {
        return exact.rows();
    }

    @Override
    public final int cols() {
        return exact.cols();
    }

    @Override
    public final ActivationType activationType() {
        return exact.activationType();
    }

    @Override
    public final boolean accepts(ActivationType t) {
        return exact.accepts(t);
    }

    @Override
    public String toString() {
        return exact + " (lookup tables, " + layout.tileRows() + "-row tiles)";
    }
}
