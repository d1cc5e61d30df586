package io.bitnet4j.train;

/**
 * The residual connection {@code x ← x + branch}. Its backward pass is the identity into both inputs: the stream's
 * gradient goes on unchanged and is also the branch's output gradient, so the backward needs no code of its own beyond
 * {@link #backward}, which states that.
 */
final class ResidualLayer {
    private ResidualLayer() {}

    /** {@code stream[i] += branch[i]}. */
    static void forward(float[] stream, float[] branch) {
        for (int i = 0; i < stream.length; i++) {
            stream[i] += branch[i];
        }
    }

    /** The branch's output gradient: the stream's gradient itself (shared, not copied). */
    static float[] backward(float[] dStream) {
        return dStream;
    }
}
