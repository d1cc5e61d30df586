package io.bitnet4j.model;

/**
 * {@code sinf}, {@code cosf} and {@code expf} as glibc computes them on x86-64 with FMA (its {@code _fma}
 * variants, unchanged since glibc 2.28): the peers take RoPE's cosines and sines and the SiLU of a row's
 * last few values from there, and those are not always the correctly rounded values that
 * {@code (float) Math.cos(x)} gives — about one sine or cosine in a hundred and one exponential in two
 * thousand differs by an ulp, which is enough to flip an f16 or int8 rounding downstream.
 *
 * <p>{@code sinf}/{@code cosf} (Arm's optimized routines): the float argument is widened to double; below π/4 it is used
 * as is, below 120 it is reduced by the nearest multiple of π/2 in one fma (the quadrant from a scaled
 * float-to-int conversion), above by a 4/π table with exact integer arithmetic; then a degree-7 odd
 * polynomial for sine or a degree-8 even one for cosine is evaluated in double with fma (the library is
 * compiled with {@code -mfma}, so each {@code a + b·c} is fused), picked and signed by the quadrant, and
 * the result rounded to float.
 *
 * <p>{@code expf}: {@code x·32/ln2 = k + r} with {@code k} rounded by the 1.5·2⁵² shift trick,
 * {@code 2^(k/32)} from a 32-entry table with the exponent added in integer arithmetic, and
 * {@code 2^(r/32)} by a cubic polynomial in fma steps, all in double.
 */
final class GlibcMath {
    private static final double[] SIGN = {1.0, -1.0, -1.0, 1.0};
    /** 2/π scaled by 2²⁴, so the quadrant lands in bits 24–31 of the integer conversion. */
    private static final double HPI_INV = 0x1.45F306DC9C883p+23;
    private static final double HPI = 0x1.921FB54442D18p0;
    private static final double PI63 = 0x1.921FB54442D18p-62;
    private static final float PIO4 = 0x1.921FB6p-1f;
    private static final double C0 = 0x1p0;
    private static final double C1 = -0x1.ffffffd0c621cp-2;
    private static final double C2 = 0x1.55553e1068f19p-5;
    private static final double C3 = -0x1.6c087e89a359dp-10;
    private static final double C4 = 0x1.99343027bf8c3p-16;
    private static final double S1 = -0x1.555545995a603p-3;
    private static final double S2 = 0x1.1107605230bc4p-7;
    private static final double S3 = -0x1.994eb3774cf24p-13;
    /** 4/π to 192 bits, 8 new bits per entry. */
    private static final int[] INV_PIO4 = {
        0xa2, 0xa2f9, 0xa2f983, 0xa2f9836e, 0xf9836e4e, 0x836e4e44, 0x6e4e4415, 0x4e441529,
        0x441529fc, 0x1529fc27, 0x29fc2757, 0xfc2757d1, 0x2757d1f5, 0x57d1f534, 0xd1f534dd, 0xf534ddc0,
        0x34ddc0db, 0xddc0db62, 0xc0db6295, 0xdb629599, 0x6295993c, 0x95993c43, 0x993c4390, 0x3c439041,
    };

    private GlibcMath() {}

    static float sin(float y) {
        return evaluate(y, false);
    }

    static float cos(float y) {
        return evaluate(y, true);
    }

    private static float evaluate(float y, boolean cosine) {
        double x = y;
        if (abstop12(y) < abstop12(PIO4)) {
            if (abstop12(y) < abstop12(0x1p-12f)) {
                return cosine ? 1.0f : y;
            }
            return poly(x, x * x, false, cosine ? 1 : 0);
        }
        if (abstop12(y) >= abstop12(Float.POSITIVE_INFINITY)) {
            return Float.NaN;
        }
        int n;
        int quadrant;
        if (abstop12(y) < abstop12(120.0f)) {
            n = ((int) (x * HPI_INV) + 0x800000) >> 24;
            x = Math.fma(-(double) n, HPI, x);
            quadrant = n;
        } else {
            // 4/π times the 24-bit mantissa in exact 2.62 fixed point (|x| ≥ 120: the sign is handled apart)
            int xi = Float.floatToRawIntBits(y);
            int index = (xi >>> 26) & 15;
            int m = ((xi & 0xffffff) | 0x800000) << ((xi >>> 23) & 7);
            long mu = m & 0xFFFFFFFFL;
            long res0 = (m * INV_PIO4[index]) & 0xFFFFFFFFL; // a 32-bit product, as in C
            long res1 = mu * (INV_PIO4[index + 4] & 0xFFFFFFFFL);
            long res2 = mu * (INV_PIO4[index + 8] & 0xFFFFFFFFL);
            res0 = ((res2 >>> 32) | (res0 << 32)) + res1;
            long q = (res0 + (1L << 61)) >>> 62;
            res0 -= q << 62;
            n = (int) q;
            x = (double) res0 * PI63;
            quadrant = n + (xi >>> 31);
        }
        double s = SIGN[quadrant & 3];
        return poly(x * s, x * x, (quadrant & 2) != 0, cosine ? n ^ 1 : n);
    }

    /** The sine polynomial for even {@code n}, the cosine one for odd; {@code negate} picks the table's 2nd entry. */
    private static float poly(double x, double x2, boolean negate, int n) {
        if ((n & 1) == 0) {
            double x3 = x * x2;
            double s1 = Math.fma(x2, S3, S2);
            double x7 = x3 * x2;
            double s = Math.fma(x3, S1, x);
            return (float) Math.fma(x7, s1, s);
        }
        // the 2nd entry negates every cosine coefficient, which negates the result exactly
        double x4 = x2 * x2;
        double c2 = Math.fma(x2, C4, C3);
        double c1 = Math.fma(x2, C1, C0);
        double x6 = x4 * x2;
        double c = Math.fma(x4, C2, c1);
        float r = (float) Math.fma(x6, c2, c);
        return negate ? -r : r;
    }

    private static final long[] EXP2_TABLE = {
        0x3ff0000000000000L, 0x3fefd9b0d3158574L, 0x3fefb5586cf9890fL, 0x3fef9301d0125b51L,
        0x3fef72b83c7d517bL, 0x3fef54873168b9aaL, 0x3fef387a6e756238L, 0x3fef1e9df51fdee1L,
        0x3fef06fe0a31b715L, 0x3feef1a7373aa9cbL, 0x3feedea64c123422L, 0x3feece086061892dL,
        0x3feebfdad5362a27L, 0x3feeb42b569d4f82L, 0x3feeab07dd485429L, 0x3feea47eb03a5585L,
        0x3feea09e667f3bcdL, 0x3fee9f75e8ec5f74L, 0x3feea11473eb0187L, 0x3feea589994cce13L,
        0x3feeace5422aa0dbL, 0x3feeb737b0cdc5e5L, 0x3feec49182a3f090L, 0x3feed503b23e255dL,
        0x3feee89f995ad3adL, 0x3feeff76f2fb5e47L, 0x3fef199bdd85529cL, 0x3fef3720dcef9069L,
        0x3fef5818dcfba487L, 0x3fef7c97337b9b5fL, 0x3fefa4afa2a490daL, 0x3fefd0765b6e4540L,
    };
    private static final double EXP_SHIFT = 0x1.8p+52;
    private static final double INV_LN2_32 = 0x1.71547652b82fep+0 * 32;
    private static final double E0 = 0x1.c6af84b912394p-5 / 32 / 32 / 32;
    private static final double E1 = 0x1.ebfce50fac4f3p-3 / 32 / 32;
    private static final double E2 = 0x1.62e42ff0c52d6p-1 / 32;

    static float exp(float x) {
        int abstop = abstop12(x);
        if (abstop >= abstop12(88.0f)) {
            if (x == Float.NEGATIVE_INFINITY) {
                return 0f;
            }
            if (abstop >= abstop12(Float.POSITIVE_INFINITY)) {
                return x + x;
            }
            if (x > 0x1.62e42ep6f) {
                return Float.POSITIVE_INFINITY;
            }
            if (x < -0x1.9fe368p6f) {
                return 0f;
            }
        }
        double kd = Math.fma(INV_LN2_32, x, EXP_SHIFT); // k in the low bits of the shifted double
        long ki = Double.doubleToRawLongBits(kd);
        kd -= EXP_SHIFT;
        double r = Math.fma(INV_LN2_32, x, -kd);
        double s = Double.longBitsToDouble(EXP2_TABLE[(int) (ki & 31)] + (ki << 47));
        double y = Math.fma(Math.fma(E0, r, E1), r * r, Math.fma(E2, r, 1));
        return (float) (y * s);
    }

    private static int abstop12(float x) {
        return (Float.floatToRawIntBits(x) >>> 20) & 0x7ff;
    }
}
