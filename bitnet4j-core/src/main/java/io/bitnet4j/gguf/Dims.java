package io.bitnet4j.gguf;

/** Checks of ggml tensor dims shared by the writer and the codecs. */
final class Dims {
    private Dims() {}

    /** The element count of ggml dims; throws naming the tensor on an empty or non-positive shape or an overflow. */
    static long elements(String name, long[] dims) {
        if (dims.length < 1 || dims.length > GgufFile.MAX_DIMS) {
            throw new IllegalArgumentException("tensor '" + name + "' has " + dims.length + " dims; must be 1.." + GgufFile.MAX_DIMS);
        }
        long n = 1;
        for (long d : dims) {
            if (d <= 0) {
                throw new IllegalArgumentException("tensor '" + name + "': dimension " + d + " must be positive");
            }
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("tensor '" + name + "': the element count overflows a 64-bit integer");
            }
        }
        return n;
    }
}
