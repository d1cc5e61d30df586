package io.bitnet4j.train;

import java.util.SplittableRandom;

/**
 * Initial parameters: norms 1, the embedding {@code N(0, 1/dim)} so the tied head starts
 * near uniform, linear weights {@code N(0, 1/in)} with the residual outputs ({@code attn_output}, {@code ffn_down})
 * scaled by {@code 1/√(2·layers)} as GPT-2 does. Each tensor draws from its own split of the seed's generator, so
 * the same seed gives the same model.
 */
public final class ParamInit {
    private ParamInit() {}

    /** A fresh parameter array for {@code layout}. */
    public static float[] initialize(ParamLayout layout, long seed) {
        float[] p = new float[layout.size()];
        SplittableRandom root = new SplittableRandom(seed);
        int layers = layout.shape().layers();
        for (ParamLayout.Slot slot : layout.slots()) {
            SplittableRandom r = root.split();
            double std = switch (slot.kind()) {
                case NORM -> 0;
                case EMBEDDING -> 1.0 / Math.sqrt(slot.cols());
                case LINEAR -> (slot.name().endsWith("attn_output.weight") || slot.name().endsWith("ffn_down.weight"))
                        ? 1.0 / Math.sqrt(slot.cols() * 2.0 * layers) : 1.0 / Math.sqrt(slot.cols());
            };
            for (int i = slot.offset(); i < slot.offset() + slot.size(); i++) {
                p[i] = slot.kind() == ParamLayout.Kind.NORM ? 1f : (float) (r.nextGaussian() * std);
            }
        }
        return p;
    }
}
