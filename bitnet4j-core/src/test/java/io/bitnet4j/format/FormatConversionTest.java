package io.bitnet4j.format;

import static io.bitnet4j.format.TernaryBlockFormatTest.assertMessage;
import static io.bitnet4j.format.TernaryBlockFormatTest.randomTrits;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bitnet4j.format.HfPackedTernary.ScaleConvention;
import io.bitnet4j.quant.Granularity;
import io.bitnet4j.quant.TernaryWeight;
import io.bitnet4j.tensor.Shape;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Every packed format converts to and from {@link TernaryWeight}; chains through any two keep trits and scales. */
class FormatConversionTest {
    private static final Shape SHAPE = Shape.of(6, 512);

    /** One format seen as "TernaryWeight → stored form → TernaryWeight". */
    private record Codec(String name, java.util.function.UnaryOperator<TernaryWeight> roundTrip) {}

    private static List<Codec> codecs() {
        return List.of(
                new Codec("TQ1_0", w -> TQ1_0.FORMAT.toTernaryWeight(TQ1_0.FORMAT.fromTernaryWeight(w), w.shape())),
                new Codec("TQ2_0", w -> TQ2_0.FORMAT.toTernaryWeight(TQ2_0.FORMAT.fromTernaryWeight(w), w.shape())),
                new Codec("I2_S", w -> I2_S.toTernaryWeight(I2_S.fromTernaryWeight(w), w.shape())),
                new Codec("HF/multiply", w -> hf(w, ScaleConvention.MULTIPLY)),
                new Codec("HF/divide", w -> hf(w, ScaleConvention.DIVIDE)));
    }

    private static TernaryWeight hf(TernaryWeight w, ScaleConvention c) {
        HfPackedTernary.Packed p = HfPackedTernary.fromTernaryWeight(w, c);
        return HfPackedTernary.toTernaryWeight(p.weight(), w.shape(), p.weightScale(), c);
    }

    private static TernaryWeight randomPerTensor(long seed, float scale) {
        return TernaryWeight.of(SHAPE, Granularity.perTensor(), randomTrits(new SplittableRandom(seed), SHAPE.size()),
                new float[] {scale});
    }

    @Test
    void everyPairOfFormatsKeepsTritsAndAnFp16ExactPowerOfTwoScale() {
        checkAllPairs(randomPerTensor(51, 0.015625f), true);
    }

    @Test
    void everyPairKeepsTritsAndAnFp16ExactScaleExceptThroughTheReciprocalConvention() {
        SplittableRandom rnd = new SplittableRandom(52);
        for (int k = 0; k < 5; k++) {
            float scale = Float.float16ToFloat(Float.floatToFloat16((float) (rnd.nextDouble() * 0.1 + 0.001)));
            checkAllPairs(randomPerTensor(53 + k, scale), false);
        }
    }

    private static void checkAllPairs(TernaryWeight w, boolean reciprocalExact) {
        for (Codec a : codecs()) {
            for (Codec b : codecs()) {
                TernaryWeight back = b.roundTrip().apply(a.roundTrip().apply(w));
                String pair = a.name() + " → " + b.name();
                assertArrayEquals(w.trits(), back.trits(), pair);
                boolean throughDivide = a.name().equals("HF/divide") || b.name().equals("HF/divide");
                for (float s : back.scales()) {
                    float expected = w.scales()[0];
                    if (reciprocalExact || !throughDivide) {
                        assertEquals(expected, s, pair);
                    } else {
                        assertEquals(expected, s, 2 * Math.ulp(expected), pair);
                    }
                }
            }
        }
    }

    @Test
    void perBlockScalesSurviveBetweenTheTqFormatsAndAreRefusedByPerTensorFormats() {
        SplittableRandom rnd = new SplittableRandom(54);
        float[] scales = new float[SHAPE.size() / 256];
        for (int b = 0; b < scales.length; b++) {
            scales[b] = Float.float16ToFloat(Float.floatToFloat16((float) rnd.nextDouble()));
        }
        TernaryWeight w = TernaryWeight.of(SHAPE, Granularity.perBlock(256), randomTrits(rnd, SHAPE.size()), scales);
        TernaryWeight via = TQ2_0.FORMAT.toTernaryWeight(TQ2_0.FORMAT.fromTernaryWeight(
                TQ1_0.FORMAT.toTernaryWeight(TQ1_0.FORMAT.fromTernaryWeight(w), SHAPE)), SHAPE);
        assertArrayEquals(w.trits(), via.trits());
        assertArrayEquals(scales, via.scales());
        assertMessage("I2_S stores one scale per tensor", () -> I2_S.fromTernaryWeight(w));
        assertMessage("HF packed stores one scale per tensor", () -> HfPackedTernary.fromTernaryWeight(w, ScaleConvention.MULTIPLY));
    }

    @Test
    void perRowScalesGoToTqBlocksWhenRowsAreWholeBlocks() {
        SplittableRandom rnd = new SplittableRandom(55);
        float[] rowScales = {0.5f, 0.25f, 1f, 2f, 0.125f, 4f};
        TernaryWeight w = TernaryWeight.of(SHAPE, Granularity.perRow(), randomTrits(rnd, SHAPE.size()), rowScales);
        TernaryWeight back = TQ2_0.FORMAT.toTernaryWeight(TQ2_0.FORMAT.fromTernaryWeight(w), SHAPE);
        assertEquals(Granularity.perBlock(256), back.granularity());
        assertArrayEquals(w.dequantize(), back.dequantize());
    }

    @Test
    void aScaleThatIsNotFp16IsRoundedToNearestEvenAndTritsStayExact() {
        float s = 0.0371f; // between two fp16 values
        float rounded = Float.float16ToFloat(Float.floatToFloat16(s));
        TernaryWeight w = randomPerTensor(56, s);
        for (TernaryBlockFormat f : List.of(TQ1_0.FORMAT, TQ2_0.FORMAT)) {
            TernaryWeight back = f.toTernaryWeight(f.fromTernaryWeight(w), SHAPE);
            assertArrayEquals(w.trits(), back.trits());
            for (float got : back.scales()) {
                assertEquals(rounded, got, f.name());
            }
            assertEquals(rounded, I2_S.toTernaryWeight(I2_S.fromTernaryWeight(back), SHAPE).scales()[0]);
        }
        assertMessage("not a finite fp16", () -> TQ2_0.FORMAT.fromTernaryWeight(randomPerTensor(57, 1e5f)));
    }
}
