package io.bitnet4j.format;

import io.bitnet4j.bench.ByteCounter;
import io.bitnet4j.bench.DefaultBench;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * Pack and unpack throughput of each ternary format on a 1024×4096 weight (4 Mi trits). The
 * "bytes" counter is the format's packed size per operation, so it reads as GB/s of packed data
 * produced (pack) or consumed (unpack). These are the scalar reference codecs used by converters,
 * not the inference kernels.
 */
public class PackBench extends DefaultBench {

    @Param({"TQ2_0", "TQ1_0", "I2_S", "HF", "PLAIN2"})
    public String format;

    static final int OUT = 1024;
    static final int IN = 4096;
    static final int N = OUT * IN;

    byte[] trits;
    float[] blockScales;
    byte[] packed;

    @Setup
    public void setup() {
        SplittableRandom rnd = new SplittableRandom(42);
        trits = new byte[N];
        for (int i = 0; i < N; i++) {
            trits[i] = (byte) (rnd.nextInt(3) - 1);
        }
        blockScales = new float[N / TernaryBlockFormat.BLOCK_SIZE];
        java.util.Arrays.fill(blockScales, 0.25f);
        packed = pack();
    }

    private byte[] pack() {
        return switch (format) {
            case "TQ2_0" -> TQ2_0.FORMAT.pack(trits, blockScales);
            case "TQ1_0" -> TQ1_0.FORMAT.pack(trits, blockScales);
            case "I2_S" -> I2_S.pack(trits, 0.25f);
            case "HF" -> HfPackedTernary.pack(trits, OUT, IN);
            case "PLAIN2" -> Plain2Bit.pack(trits);
            default -> throw new IllegalArgumentException(format);
        };
    }

    @Benchmark
    public byte[] pack(ByteCounter counter) {
        byte[] out = pack();
        counter.bytes += out.length;
        return out;
    }

    @Benchmark
    public byte[] unpack(ByteCounter counter) {
        byte[] out = switch (format) {
            case "TQ2_0" -> TQ2_0.FORMAT.unpackTrits(packed, N);
            case "TQ1_0" -> TQ1_0.FORMAT.unpackTrits(packed, N);
            case "I2_S" -> I2_S.unpackTrits(packed, N);
            case "HF" -> HfPackedTernary.unpack(packed, OUT, IN);
            case "PLAIN2" -> Plain2Bit.unpack(packed, N);
            default -> throw new IllegalArgumentException(format);
        };
        counter.bytes += packed.length;
        return out;
    }
}
