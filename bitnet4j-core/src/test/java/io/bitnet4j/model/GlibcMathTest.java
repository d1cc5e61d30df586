package io.bitnet4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link GlibcMath} against the C library itself, called through the FFM API: only meaningful where that
 * library is glibc on x86-64 (the peers' platform), so the test is skipped elsewhere.
 */
class GlibcMathTest {

    /** The C library's {@code float f(float)} called {@code name}; skips the test off Linux x86-64. */
    private static MethodHandle libm(String name) {
        assumeTrue(System.getProperty("os.name").startsWith("Linux") && System.getProperty("os.arch").equals("amd64"),
                "skipped: not Linux on x86-64");
        Linker linker = Linker.nativeLinker();
        return linker.downcallHandle(linker.defaultLookup().find(name).orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_FLOAT, ValueLayout.JAVA_FLOAT));
    }

    @Test
    void expfAgreesWithGlibcBitForBit() throws Throwable {
        MethodHandle expf = libm("expf");
        SplittableRandom random = new SplittableRandom(8);
        int notCorrectlyRounded = 0;
        for (int i = 0; i < 500_000; i++) {
            float x = (float) random.nextDouble(-104, 89);
            float e = (float) expf.invokeExact(x);
            assertEquals(Float.floatToIntBits(e), Float.floatToIntBits(GlibcMath.exp(x)), "expf(" + x + ")");
            if (e != (float) Math.exp(x)) {
                notCorrectlyRounded++;
            }
        }
        assumeTrue(notCorrectlyRounded > 0, "this C library rounds expf correctly");
        for (float x : new float[] {0f, -0f, 88.5f, 89f, -103.5f, -104f, -200f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY}) {
            assertEquals(Float.floatToIntBits((float) expf.invokeExact(x)), Float.floatToIntBits(GlibcMath.exp(x)), "expf(" + x + ")");
        }
    }

    @Test
    void sinfAndCosfAgreeWithGlibcBitForBit() throws Throwable {
        MethodHandle sinf = libm("sinf");
        MethodHandle cosf = libm("cosf");
        // glibc's own test value: the correctly rounded cos(4) and glibc's agree; the RoPE angles are the real test
        assumeTrue((float) cosf.invokeExact(4f) == (float) Math.cos(4f), "skipped: the C library's cosf is not glibc's");

        SplittableRandom random = new SplittableRandom(7);
        int mismatchesWithCorrectRounding = 0;
        for (int i = 0; i < 300_000; i++) {
            float x = switch (i % 3) {
                case 0 -> (float) random.nextDouble(-4, 4);
                case 1 -> (float) random.nextDouble(-120, 120);
                default -> (float) random.nextDouble(-1e6, 1e6); // the table-driven reduction
            };
            float s = (float) sinf.invokeExact(x);
            float c = (float) cosf.invokeExact(x);
            assertEquals(Float.floatToIntBits(s), Float.floatToIntBits(GlibcMath.sin(x)), "sinf(" + x + ")");
            assertEquals(Float.floatToIntBits(c), Float.floatToIntBits(GlibcMath.cos(x)), "cosf(" + x + ")");
            if (s != (float) Math.sin(x) || c != (float) Math.cos(x)) {
                mismatchesWithCorrectRounding++;
            }
        }
        // the reason for the copy: glibc is not correctly rounded
        assumeTrue(mismatchesWithCorrectRounding > 0, "this C library rounds sinf/cosf correctly");
        for (float x : new float[] {0f, -0f, 1e-30f, 0x1p-12f, 0.785398f, 120f, -120f, 3.4e38f}) {
            assertEquals(Float.floatToIntBits((float) sinf.invokeExact(x)), Float.floatToIntBits(GlibcMath.sin(x)), "sinf(" + x + ")");
            assertEquals(Float.floatToIntBits((float) cosf.invokeExact(x)), Float.floatToIntBits(GlibcMath.cos(x)), "cosf(" + x + ")");
        }
    }
}
