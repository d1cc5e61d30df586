package io.bitnet4j.train;

/** What one block's forward pass keeps for its backward pass, for {@code rows} token rows. */
final class BlockActivations {
    final float[] xIn;
    final float[] rstdAttn;
    final float[] attnIn;
    float[] attnInQ;
    final float[] q;
    final float[] k;
    final float[] v;
    final float[] probs;
    final float[] att;
    final float[] rstdAttnSub;
    final float[] attnSub;
    float[] attnSubQ;
    final float[] xMid;
    final float[] rstdFfn;
    final float[] ffnIn;
    float[] ffnInQ;
    final float[] gate;
    final float[] up;
    final float[] hidden;
    final float[] rstdFfnSub;
    final float[] ffnSub;
    float[] ffnSubQ;

    BlockActivations(ModelShape s, int rows, int probSize) {
        int d = rows * s.dim(), kv = rows * s.kvDim(), f = rows * s.ffn();
        xIn = new float[d];
        rstdAttn = new float[rows];
        attnIn = new float[d];
        q = new float[d];
        k = new float[kv];
        v = new float[kv];
        probs = new float[probSize];
        att = new float[d];
        rstdAttnSub = new float[rows];
        attnSub = new float[d];
        xMid = new float[d];
        rstdFfn = new float[rows];
        ffnIn = new float[d];
        gate = new float[f];
        up = new float[f];
        hidden = new float[f];
        rstdFfnSub = new float[rows];
        ffnSub = new float[f];
    }
}
