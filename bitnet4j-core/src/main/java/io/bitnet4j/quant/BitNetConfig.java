package io.bitnet4j.quant;

import io.bitnet4j.tensor.Checks;

/**
 * How a BitLinear layer quantizes. Every field changes behaviour:
 *
 * <ul>
 *   <li>{@code groupSize}: weights built from floats get one absmean scale per {@code groupSize} inputs of a row
 *       ({@link Granularity.PerGroup}).</li>
 *   <li>{@code activationBits}: the width of the activation codes (8 in BitNet b1.58).</li>
 *   <li>{@code perTokenActivation}: one activation scale per token (row) if true, one per input tensor if false.</li>
 *   <li>{@code rmsNormBeforeQuant}: the layer first normalizes each input row by its RMS (no learnable gain),
 *       {@code x / sqrt(mean(x²) + eps)}, as BitNet's BitLinear does (its "SubLN").</li>
 *   <li>{@code eps}: the absmean gamma's eps, the RMSNorm eps and the activation absmax floor.</li>
 *   <li>{@code useSte}: a training layer. Its {@code forward} takes the float (fake-quantized) path and its
 *       {@code backward} passes gradients through both quantizers unchanged (straight-through estimator). An
 *       inference layer ({@code false}) runs the integer path and has no gradient.</li>
 *   <li>{@code rounding}: how both quantizers round.</li>
 *   <li>{@code epsMode}: {@link EpsMode#ADD} (default) is the BitNet b1.58 paper's formula; {@link EpsMode#CLAMP} is
 *       BitNet's reference and bitnet.cpp's arithmetic throughout: weights by {@code 1 / max(mean, eps)}
 *       ({@link EpsMode#CLAMP}) and activations by the inverse scale
 *       ({@link ActivationQuantizer.ScaleForm#MULTIPLY_INVERSE}). With {@link Rounding#HALF_EVEN} it matches
 *       bitnet.cpp's ternary weights and int8 activation codes exactly.</li>
 * </ul>
 *
 * <p>A config is always valid: the constructor calls {@link #validate()}. Build one from a preset,
 * {@link #inference()} or {@link #training()}, or with {@link #builder()} / {@link #toBuilder()}.
 */
public record BitNetConfig(int groupSize, int activationBits, boolean perTokenActivation, boolean rmsNormBeforeQuant,
        float eps, boolean useSte, Rounding rounding, EpsMode epsMode) {

    public static final int DEFAULT_GROUP_SIZE = 64;
    public static final int DEFAULT_ACTIVATION_BITS = 8;
    public static final float DEFAULT_EPS = 1e-5f;

    public BitNetConfig {
        validate(groupSize, activationBits, eps, rounding, epsMode);
    }

    /** For inference: integer forward, no gradient; group size 64, int8 per token, RMSNorm on, eps 1e-5. */
    public static BitNetConfig inference() {
        return builder().build();
    }

    /** For training (QAT): as {@link #inference()} but with the straight-through estimator on. */
    public static BitNetConfig training() {
        return builder().useSte(true).build();
    }

    /** A builder holding the {@link #inference()} defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this config's values. */
    public Builder toBuilder() {
        return new Builder().groupSize(groupSize).activationBits(activationBits).perTokenActivation(perTokenActivation)
                .rmsNormBeforeQuant(rmsNormBeforeQuant).eps(eps).useSte(useSte).rounding(rounding).epsMode(epsMode);
    }

    /**
     * Checks every field and returns this config. A constructed config has always passed, so this is for callers
     * that want to state the check; the constructor runs the same rules and throws
     * {@link IllegalArgumentException} naming the bad field.
     */
    public BitNetConfig validate() {
        validate(groupSize, activationBits, eps, rounding, epsMode);
        return this;
    }

    private static void validate(int groupSize, int activationBits, float eps, Rounding rounding, EpsMode epsMode) {
        if (groupSize <= 0 || Integer.bitCount(groupSize) != 1) {
            throw new IllegalArgumentException("group size is " + groupSize + "; must be a positive power of two");
        }
        Checks.requireInRange(activationBits, ActivationQuantizer.MIN_BITS, ActivationQuantizer.MAX_BITS, "activation bits");
        if (!(eps > 0) || !Float.isFinite(eps)) {
            throw new IllegalArgumentException("eps is " + eps + "; must be positive and finite");
        }
        Checks.requireNonNull(rounding, "rounding");
        Checks.requireNonNull(epsMode, "eps mode");
        // the quantizers have their own, finer limits on eps (a finite inverse); surface them here
        weightQuantizer(new Granularity.PerGroup(groupSize), rounding, eps, epsMode);
        activationQuantizer(activationBits, true, eps, rounding, epsMode);
    }

    /** The weight quantizer for floats: absmean per group of {@link #groupSize()} inputs. */
    public AbsmeanQuantizer weightQuantizer() {
        return weightQuantizer(new Granularity.PerGroup(groupSize));
    }

    /** The weight quantizer with an explicit granularity (this config's rounding, eps and eps mode). */
    public AbsmeanQuantizer weightQuantizer(Granularity granularity) {
        return weightQuantizer(granularity, rounding, eps, epsMode);
    }

    /** The activation quantizer: {@link #activationBits()}, per token or tensor, this eps, rounding and form. */
    public ActivationQuantizer activationQuantizer() {
        return activationQuantizer(activationBits, perTokenActivation, eps, rounding, epsMode);
    }

    private static AbsmeanQuantizer weightQuantizer(Granularity granularity, Rounding rounding, float eps, EpsMode epsMode) {
        return new AbsmeanQuantizer(granularity, rounding, eps, epsMode);
    }

    private static ActivationQuantizer activationQuantizer(int bits, boolean perToken, float eps, Rounding rounding,
            EpsMode epsMode) {
        ActivationQuantizer.ScaleForm form = epsMode == EpsMode.CLAMP
                ? ActivationQuantizer.ScaleForm.MULTIPLY_INVERSE
                : ActivationQuantizer.ScaleForm.DIVIDE;
        return new ActivationQuantizer(bits, perToken, eps, rounding, form);
    }

    /** Fluent construction; {@link #build()} validates. */
    public static final class Builder {
        private int groupSize = DEFAULT_GROUP_SIZE;
        private int activationBits = DEFAULT_ACTIVATION_BITS;
        private boolean perTokenActivation = true;
        private boolean rmsNormBeforeQuant = true;
        private float eps = DEFAULT_EPS;
        private boolean useSte = false;
        private Rounding rounding = Rounding.HALF_AWAY_FROM_ZERO;
        private EpsMode epsMode = EpsMode.ADD;

        private Builder() {}

        public Builder groupSize(int groupSize) {
            this.groupSize = groupSize;
            return this;
        }

        public Builder activationBits(int activationBits) {
            this.activationBits = activationBits;
            return this;
        }

        public Builder perTokenActivation(boolean perTokenActivation) {
            this.perTokenActivation = perTokenActivation;
            return this;
        }

        public Builder rmsNormBeforeQuant(boolean rmsNormBeforeQuant) {
            this.rmsNormBeforeQuant = rmsNormBeforeQuant;
            return this;
        }

        public Builder eps(float eps) {
            this.eps = eps;
            return this;
        }

        public Builder useSte(boolean useSte) {
            this.useSte = useSte;
            return this;
        }

        public Builder rounding(Rounding rounding) {
            this.rounding = rounding;
            return this;
        }

        public Builder epsMode(EpsMode epsMode) {
            this.epsMode = epsMode;
            return this;
        }

        /** The config; throws {@link IllegalArgumentException} naming the first invalid field. */
        public BitNetConfig build() {
            return new BitNetConfig(groupSize, activationBits, perTokenActivation, rmsNormBeforeQuant, eps, useSte,
                    rounding, epsMode);
        }
    }
}
