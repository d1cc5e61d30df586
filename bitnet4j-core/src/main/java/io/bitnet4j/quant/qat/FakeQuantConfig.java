package io.bitnet4j.quant.qat;

import io.bitnet4j.quant.Rounding;

/**
 * Everything that defines a {@link FakeQuantize}: the integer grid, which elements share parameters,
 * and where the parameters come from (an observer, or learned with LSQ). Build with {@link #builder()};
 * the constructor runs {@link #validate()}, so an instance is always consistent.
 *
 * @param spec bits (2..16), symmetric or affine, signed or unsigned, narrow range
 * @param scope per tensor or per channel (axis)
 * @param learnable learn the step size with LSQ instead of observing a range
 * @param observer which observer sets the range; {@link ObserverKind#NONE} exactly when learnable
 * @param calibrating whether parameters may still be derived from data: observers update, and LSQ may
 *     initialise its step from the first batch. Off freezes them.
 * @param rounding how {@code x/scale} is rounded; PyTorch's fake quantization rounds half to even
 */
public record FakeQuantConfig(QuantSpec spec, ScaleScope scope, boolean learnable, ObserverKind observer,
        boolean calibrating, Rounding rounding) {

    public FakeQuantConfig {
        validate(spec, scope, learnable, observer, rounding);
    }

    /**
     * Checks the combination; throws {@link IllegalArgumentException} naming the conflict. LSQ learns only
     * a step size, with the zero point fixed at 0, so it needs a symmetric spec (signed: codes around 0;
     * unsigned: codes {@code 0..qmax} for non-negative inputs, as LSQ's post-ReLU activations) and
     * cannot drop code 0 from an unsigned range.
     */
    public void validate() {
        validate(spec, scope, learnable, observer, rounding);
    }

    private static void validate(QuantSpec spec, ScaleScope scope, boolean learnable, ObserverKind observer, Rounding rounding) {
        if (spec == null || scope == null || observer == null || rounding == null) {
            throw new IllegalArgumentException("fake-quant config has a null field: spec=" + spec + ", scope=" + scope
                    + ", observer=" + observer + ", rounding=" + rounding);
        }
        if (learnable) {
            if (observer != ObserverKind.NONE) {
                throw new IllegalArgumentException("a learnable (LSQ) quantizer takes no observer, but " + observer + " was given");
            }
            if (!spec.symmetric()) {
                throw new IllegalArgumentException("a learnable (LSQ) quantizer learns no zero point: it needs a symmetric spec");
            }
            if (!spec.signed() && spec.narrowRange()) {
                throw new IllegalArgumentException("a learnable (LSQ) quantizer uses zero point 0, which an unsigned narrow range excludes");
            }
        } else if (observer == ObserverKind.NONE) {
            throw new IllegalArgumentException("an observer-driven quantizer needs an observer kind other than NONE");
        }
    }

    /** A builder with the defaults: 8 bits, affine, signed, full range, per tensor, min/max observer, calibrating, half-even. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link FakeQuantConfig}; every setter returns the builder. */
    public static final class Builder {
        private int bits = 8;
        private boolean symmetric;
        private boolean signed = true;
        private boolean narrowRange;
        private ScaleScope scope = ScaleScope.perTensor();
        private boolean learnable;
        private ObserverKind observer; // null: MIN_MAX, or NONE when learnable
        private boolean calibrating = true;
        private Rounding rounding = Rounding.HALF_EVEN;

        private Builder() {}

        public Builder bits(int bits) {
            this.bits = bits;
            return this;
        }

        public Builder symmetric(boolean symmetric) {
            this.symmetric = symmetric;
            return this;
        }

        public Builder signed(boolean signed) {
            this.signed = signed;
            return this;
        }

        public Builder narrowRange(boolean narrowRange) {
            this.narrowRange = narrowRange;
            return this;
        }

        public Builder perTensor() {
            this.scope = ScaleScope.perTensor();
            return this;
        }

        public Builder perChannel(int axis) {
            this.scope = ScaleScope.perChannel(axis);
            return this;
        }

        /** Learn the step with LSQ (then also set {@code symmetric(true)}: LSQ learns no zero point). */
        public Builder learnable(boolean learnable) {
            this.learnable = learnable;
            return this;
        }

        public Builder observer(ObserverKind observer) {
            this.observer = observer;
            return this;
        }

        public Builder calibrating(boolean calibrating) {
            this.calibrating = calibrating;
            return this;
        }

        public Builder rounding(Rounding rounding) {
            this.rounding = rounding;
            return this;
        }

        public FakeQuantConfig build() {
            ObserverKind kind = observer != null ? observer : learnable ? ObserverKind.NONE : ObserverKind.MIN_MAX;
            return new FakeQuantConfig(new QuantSpec(bits, symmetric, signed, narrowRange), scope, learnable, kind,
                    calibrating, rounding);
        }
    }
}
