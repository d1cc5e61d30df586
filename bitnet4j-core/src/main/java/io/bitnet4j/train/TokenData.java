package io.bitnet4j.train;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A tokenized corpus split into a training part and a validation part that training never reads, with the batches
 * drawn from each. Training batches are random windows chosen by a generator seeded from {@code (seed, step)}, so a
 * resumed run draws exactly the batches an uninterrupted one would, without saving generator state.
 */
public final class TokenData {
    private final int[] train;
    private final int[] validation;

    /** {@code train} and {@code validation} tokens; each must hold at least one window plus its next token. */
    public TokenData(int[] train, int[] validation) {
        this.train = train.clone();
        this.validation = validation.clone();
    }

    /** Splits {@code text} at a line break near {@code 1 − validationFraction} of its length: the training part, then the validation part. */
    public static String[] splitText(String text, double validationFraction) {
        if (!(validationFraction > 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("validation fraction " + validationFraction + " must be in (0, 1)");
        }
        int cut = (int) (text.length() * (1 - validationFraction));
        if (cut > 0 && text.charAt(cut - 1) != '\n') { // else the cut already starts a line
            int nl = text.indexOf('\n', cut);
            cut = nl < 0 ? text.length() : nl + 1;
        }
        if (cut <= 0 || cut >= text.length()) {
            throw new IllegalArgumentException("text of " + text.length() + " characters is too short to split off a validation part");
        }
        return new String[] {text.substring(0, cut), text.substring(cut)};
    }

    public int trainTokens() {
        return train.length;
    }

    public int validationTokens() {
        return validation.length;
    }

    /**
     * Fills {@code inputs} and {@code targets} ({@code seqs·seqLen} each) with random training windows for {@code step}:
     * targets are the inputs shifted by one token.
     */
    public void trainBatch(long seed, long step, int seqs, int seqLen, int[] inputs, int[] targets) {
        if (train.length < seqLen + 1) {
            throw new IllegalArgumentException("the training part has " + train.length + " tokens; a window needs " + (seqLen + 1));
        }
        SplittableRandom r = new SplittableRandom(mix(seed ^ mix(step)));
        for (int b = 0; b < seqs; b++) {
            int start = r.nextInt(train.length - seqLen);
            System.arraycopy(train, start, inputs, b * seqLen, seqLen);
            System.arraycopy(train, start + 1, targets, b * seqLen, seqLen);
        }
    }

    /**
     * Stafford's 64-bit finalizer (variant 13). The per-step seed must be hashed: SplittableRandom steps its state by the
     * golden-ratio gamma, so seeds that differ by multiples of it (an affine function of the step) give shifted copies of
     * one sequence, and consecutive steps would draw mostly the same windows.
     */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** How many consecutive validation windows of {@code seqLen} (plus one target) there are. */
    public int validationWindows(int seqLen) {
        return Math.max(0, (validation.length - 1) / seqLen);
    }

    /** Fills {@code seqs} consecutive validation windows from window {@code first}; returns how many exist (entries past them are left as they were). */
    public int validationBatch(int first, int seqs, int seqLen, int[] inputs, int[] targets) {
        int n = Math.min(seqs, validationWindows(seqLen) - first);
        for (int b = 0; b < n; b++) {
            int start = (first + b) * seqLen;
            System.arraycopy(validation, start, inputs, b * seqLen, seqLen);
            System.arraycopy(validation, start + 1, targets, b * seqLen, seqLen);
        }
        return Math.max(0, n);
    }

    /** The validation tokens (a copy). */
    public int[] validation() {
        return Arrays.copyOf(validation, validation.length);
    }
}
