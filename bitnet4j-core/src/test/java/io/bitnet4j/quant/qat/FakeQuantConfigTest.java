package io.bitnet4j.quant.qat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.quant.Rounding;
import org.junit.jupiter.api.Test;

class FakeQuantConfigTest {

    @Test
    void defaults() {
        FakeQuantConfig c = FakeQuantConfig.builder().build();
        assertEquals(new QuantSpec(8, false, true, false), c.spec());
        assertEquals(ScaleScope.perTensor(), c.scope());
        assertFalse(c.learnable());
        assertEquals(ObserverKind.MIN_MAX, c.observer());
        assertTrue(c.calibrating());
        assertEquals(Rounding.HALF_EVEN, c.rounding());
        assertInstanceOf(ObserverFakeQuantize.class, FakeQuantize.create(c));
    }

    @Test
    void learnableDefaultsToNoObserver() {
        FakeQuantConfig c = FakeQuantConfig.builder().bits(2).symmetric(true).narrowRange(true).learnable(true).perChannel(0).build();
        assertEquals(ObserverKind.NONE, c.observer());
        assertEquals(ScaleScope.perChannel(0), c.scope());
        assertInstanceOf(LsqQuantizer.class, FakeQuantize.create(c));
        c.validate();
    }

    @Test
    void rejectsContradictionsWithClearMessages() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FakeQuantConfig.builder().bits(1).build())
                .getMessage().contains("bit width is 1"));
        assertThrows(IllegalArgumentException.class, () -> FakeQuantConfig.builder().bits(17).build());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FakeQuantConfig.builder().learnable(true).build())
                .getMessage().contains("symmetric"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> FakeQuantConfig.builder().symmetric(true).learnable(true).observer(ObserverKind.HISTOGRAM).build())
                .getMessage().contains("takes no observer"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FakeQuantConfig.builder().observer(ObserverKind.NONE).build())
                .getMessage().contains("NONE"));
        assertThrows(IllegalArgumentException.class,
                () -> FakeQuantConfig.builder().symmetric(true).signed(false).narrowRange(true).learnable(true).build());
        assertThrows(IllegalArgumentException.class, () -> FakeQuantConfig.builder().perChannel(-1).build());
        assertThrows(IllegalArgumentException.class, () -> FakeQuantConfig.builder().rounding(null).build());
        assertThrows(IllegalArgumentException.class, () -> FakeQuantize.create(null));
    }
}
