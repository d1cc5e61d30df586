package io.bitnet4j.quant.ste;

import java.util.function.DoubleUnaryOperator;

/**
 * The warm-up weight λ of {@link LambdaBlend} as a function of the training step {@code t ≥ 0}: how far
 * the forward pass has moved from full precision (λ = 0) to fully quantized (λ = 1).
 *
 * <p>Every ramp runs over {@code N = warmupSteps} steps, starts at exactly 0 for {@code t = 0}, reaches
 * exactly 1 at {@code t = N}, stays 1 afterwards (clamped), and is non-decreasing in {@code t}.
 * The exponential and sigmoid curves are normalised so their end points are exact rather than "about"
 * 0 and 1, because a trainer switching to the packed ternary kernels after warm-up needs λ = 1 exactly.
 */
public sealed interface LambdaSchedule {

    /** λ at {@code step}; throws {@link IllegalArgumentException} if {@code step} is negative. */
    double lambda(long step);

    /** Linear ramp: {@code λ(t) = min(t/N, 1)}. */
    record Linear(long warmupSteps) implements LambdaSchedule {
        public Linear {
            requireWarmup(warmupSteps);
        }

        @Override
        public double lambda(long step) {
            return ramp(step, warmupSteps, p -> p);
        }
    }

    /**
     * Exponential ramp, slow at first and steep at the end:
     * {@code λ(t) = (e^{k·t/N} − 1) / (e^k − 1)} for {@code t < N}, 1 afterwards. A larger sharpness
     * {@code k > 0} keeps λ small for longer; {@code k → 0} tends to the linear ramp.
     */
    record Exponential(long warmupSteps, double sharpness) implements LambdaSchedule {
        public Exponential {
            requireWarmup(warmupSteps);
            requirePositive(sharpness, "exponential sharpness");
        }

        @Override
        public double lambda(long step) {
            // expm1 keeps precision where k·t/N is tiny (early steps).
            return ramp(step, warmupSteps, p -> Math.expm1(sharpness * p) / Math.expm1(sharpness));
        }
    }

    /**
     * Logistic ramp, slow at both ends and steepest at {@code t = N/2}: with {@code σ(z) = 1/(1+e^{−z})},
     * {@code λ(t) = (σ(k·(t/N − ½)) − σ(−k/2)) / (σ(k/2) − σ(−k/2))} for {@code t < N}, 1 afterwards.
     * It is point-symmetric about {@code (N/2, ½)}; a larger steepness {@code k > 0} makes the middle
     * sharper.
     */
    record Sigmoid(long warmupSteps, double steepness) implements LambdaSchedule {
        public Sigmoid {
            requireWarmup(warmupSteps);
            requirePositive(steepness, "sigmoid steepness");
        }

        @Override
        public double lambda(long step) {
            double lo = sigmoid(-steepness / 2);
            double hi = sigmoid(steepness / 2);
            return ramp(step, warmupSteps, p -> (sigmoid(steepness * (p - 0.5)) - lo) / (hi - lo));
        }

        private static double sigmoid(double z) {
            return 1.0 / (1.0 + Math.exp(-z));
        }
    }

    /** The same λ at every step: 1 quantizes from the start (no warm-up), 0 never quantizes. */
    record Constant(double value) implements LambdaSchedule {
        public Constant {
            if (!(value >= 0 && value <= 1)) {
                throw new IllegalArgumentException("constant lambda is " + value + "; must be in [0, 1]");
            }
        }

        @Override
        public double lambda(long step) {
            requireStep(step);
            return value;
        }
    }

    /** {@link Linear} over {@code warmupSteps}. */
    static LambdaSchedule linear(long warmupSteps) {
        return new Linear(warmupSteps);
    }

    /** {@link Exponential} over {@code warmupSteps} with sharpness 5 (λ(N/2) ≈ 0.076). */
    static LambdaSchedule exponential(long warmupSteps) {
        return new Exponential(warmupSteps, 5.0);
    }

    /** {@link Sigmoid} over {@code warmupSteps} with steepness 10 (λ(N/4) ≈ 0.07). */
    static LambdaSchedule sigmoid(long warmupSteps) {
        return new Sigmoid(warmupSteps, 10.0);
    }

    /** {@link Constant} λ. */
    static LambdaSchedule constant(double value) {
        return new Constant(value);
    }

    /** Warm-up off: λ = 1 from step 0, i.e. plain quantization-aware training. */
    static LambdaSchedule none() {
        return new Constant(1.0);
    }

    /** {@code curve(t/N)} for {@code t < N}, 1 from {@code N} on; {@code curve} maps [0, 1) into [0, 1). */
    private static double ramp(long step, long warmupSteps, DoubleUnaryOperator curve) {
        requireStep(step);
        return step >= warmupSteps ? 1.0 : curve.applyAsDouble((double) step / warmupSteps);
    }

    private static void requireWarmup(long warmupSteps) {
        if (warmupSteps <= 0) {
            throw new IllegalArgumentException("warm-up length is " + warmupSteps + " steps; must be positive");
        }
    }

    private static void requirePositive(double v, String what) {
        if (!(v > 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(what + " is " + v + "; must be positive and finite");
        }
    }

    private static void requireStep(long step) {
        if (step < 0) {
            throw new IllegalArgumentException("step is " + step + "; must be non-negative");
        }
    }
}
