package io.bitnet4j.quant.qat;

import io.bitnet4j.tensor.Checks;
import io.bitnet4j.tensor.Shape;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Applies an {@link Observer} per tensor or per channel: with {@link ScaleScope.PerChannel} each index of
 * the channel axis gets its own observer, fed only that channel's elements, so the per-channel result is
 * by construction the per-tensor observer applied to each channel. Works with every observer kind
 * (min/max, moving average, percentile, ...).
 *
 * <p>The channel count is fixed by the first batch; later batches must have the same count (other
 * dimensions, such as the number of tokens, may change).
 */
public final class ScopedObserver {
    private final ScaleScope scope;
    private final Supplier<? extends Observer> factory;
    private Observer[] observers;
    private boolean calibrating = true;

    /** {@code factory} makes one fresh observer per channel. */
    public ScopedObserver(ScaleScope scope, Supplier<? extends Observer> factory) {
        if (scope == null || factory == null) {
            throw new IllegalArgumentException("scope and observer factory must not be null");
        }
        this.scope = scope;
        this.factory = factory;
    }

    /** Per-channel observers along {@code axis}. */
    public static ScopedObserver perChannel(int axis, Supplier<? extends Observer> factory) {
        return new ScopedObserver(ScaleScope.perChannel(axis), factory);
    }

    public ScaleScope scope() {
        return scope;
    }

    /** Feeds each channel of {@code x} (shape {@code shape}) to its observer, if calibrating. */
    public void observe(float[] x, Shape shape) {
        Checks.requireNonEmpty(x, "observed tensor");
        if (shape == null) {
            throw new IllegalArgumentException("shape of the observed tensor is null");
        }
        shape.requireLength(x.length, "observed tensor");
        Checks.requireFinite(x, "observed tensor");
        ChannelLayout layout = ChannelLayout.of(scope, shape);
        if (!calibrating) {
            return;
        }
        if (observers == null) {
            observers = new Observer[layout.channels()];
            for (int c = 0; c < observers.length; c++) {
                observers[c] = factory.get();
            }
        } else if (observers.length != layout.channels()) {
            throw new IllegalArgumentException("shape " + shape + " has " + layout.channels()
                    + " channels but this observer has seen " + observers.length);
        }
        for (int c = 0; c < observers.length; c++) {
            observers[c].observe(layout.gather(x, c));
        }
    }

    /** Whether a batch has been observed (the channel count is then known). */
    public boolean hasObserved() {
        return observers != null;
    }

    /** The channel count; throws before the first batch. */
    public int channels() {
        return requireObserved().length;
    }

    /** One range per channel (one for per-tensor scope). */
    public ValueRange[] ranges() {
        return Arrays.stream(requireObserved()).map(Observer::range).toArray(ValueRange[]::new);
    }

    /** One set of quantization parameters per channel (one for per-tensor scope). */
    public QParams[] qparams() {
        return Arrays.stream(requireObserved()).map(Observer::qparams).toArray(QParams[]::new);
    }

    public boolean isCalibrating() {
        return calibrating;
    }

    /** Off freezes every channel's statistics. */
    public void setCalibrating(boolean calibrating) {
        this.calibrating = calibrating;
    }

    /** Forgets every channel and the channel count. */
    public void reset() {
        observers = null;
    }

    private Observer[] requireObserved() {
        if (observers == null) {
            throw new IllegalStateException("no data observed yet" + (calibrating ? "" : " and calibration is off"));
        }
        return observers;
    }
}
