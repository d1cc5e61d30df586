package io.bitnet4j.quant.qat;

import static io.bitnet4j.quant.qat.QatData.EVEN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.quant.Rounding;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class QParamsTest {

    @Test
    void validatesComponents() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new QParams(0f, 0, -1, 1)).getMessage().contains("scale"));
        assertThrows(IllegalArgumentException.class, () -> new QParams(Float.NaN, 0, -1, 1));
        assertThrows(IllegalArgumentException.class, () -> new QParams(Float.POSITIVE_INFINITY, 0, -1, 1));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new QParams(1f, 300, 0, 255)).getMessage().contains("zero point 300"));
        assertThrows(IllegalArgumentException.class, () -> new QParams(1f, 0, 1, 1));
    }

    @Test
    void roundsBeforeAddingTheZeroPoint() {
        QParams p = new QParams(1f, 3, 0, 255);
        // 2.5 rounds to 2 (half even), then + 3; rounding after adding would give rint(5.5) = 6.
        assertEquals(5, p.quantize(2.5f, Rounding.HALF_EVEN));
        assertEquals(6, p.quantize(2.5f, Rounding.HALF_AWAY_FROM_ZERO));
        assertThrows(IllegalArgumentException.class, () -> p.quantize(Float.NaN, EVEN));
    }

    @Test
    void uint8CodesSurviveTheByteRoundTripIncludingSaturation() {
        QParams p = new QuantSpec(8, false, false, false).qparams(-1, 3); // zero point 64
        float[] x = {-1e30f, -1f, 0f, 1.5f, 2.99f, 3f, 1e30f, Float.MAX_VALUE};
        byte[] codes = p.quantizeToBytes(x, EVEN);
        assertEquals(0, codes[0] & 0xFF);
        assertEquals(64, codes[2] & 0xFF);
        assertEquals(255, codes[6] & 0xFF, "saturates at 255, no wrap");
        assertEquals(255, codes[7] & 0xFF);
        assertTrue(p.unsignedCodes());
        float[] back = p.dequantizeBytes(codes);
        for (int i = 0; i < x.length; i++) {
            assertEquals(p.fakeQuantize(x[i], EVEN), back[i], "element " + i);
        }
    }

    @Test
    void int8CodesRoundTripOverRandomData() {
        SplittableRandom rng = new SplittableRandom(5);
        float[] x = QatData.uniform(rng, 1000, -4, 7);
        QParams p = new QuantSpec(8, false, true, false).qparams(QatData.min(x), QatData.max(x));
        assertFalse(p.unsignedCodes());
        float[] back = p.dequantizeBytes(p.quantizeToBytes(x, EVEN));
        for (int i = 0; i < x.length; i++) {
            assertEquals(x[i], back[i], p.scale() / 2 * (1 + 1e-5), "element " + i);
        }
    }

    @Test
    void wideCodesDoNotFitInBytes() {
        QParams p = new QuantSpec(12, false, true, false).qparams(-1, 1);
        assertFalse(p.fitsInByte());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> p.quantizeToBytes(new float[] {0}, EVEN))
                .getMessage().contains("do not fit in a byte"));
        QParams narrow = new QuantSpec(8, true, true, true).qparams(-1, 1);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> narrow.dequantizeBytes(new byte[] {0, -128}))
                .getMessage().contains("index 1"));
        assertArrayEquals(new float[] {0f}, narrow.dequantizeBytes(new byte[] {0}));
        assertThrows(IllegalArgumentException.class, () -> narrow.quantizeToBytes(new float[] {Float.NaN}, EVEN));
        assertThrows(IllegalArgumentException.class, () -> narrow.quantizeToBytes(new float[0], EVEN));
    }
}
