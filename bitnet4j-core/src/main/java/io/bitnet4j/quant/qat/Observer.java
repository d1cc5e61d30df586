package io.bitnet4j.quant.qat;

/**
 * Collects statistics of the tensors that pass through a fake quantizer and turns them into a range
 * and quantization parameters for one {@link QuantSpec}.
 *
 * <p>While calibrating (the default) {@link #observe} updates the statistics; once calibration is turned
 * off it still checks its input but changes nothing, so the parameters are frozen.
 */
public interface Observer {

    /** Updates the statistics with a batch (non-empty, finite), if calibrating. */
    void observe(float[] x);

    /** Whether at least one batch has been taken in. */
    boolean hasObserved();

    /** The range to quantize; throws {@link IllegalStateException} before the first batch. */
    ValueRange range();

    /** The quantization parameters of {@link #range()} under the observer's spec. */
    QParams qparams();

    boolean isCalibrating();

    /** Turns statistics collection on or off; off freezes {@link #range()} and {@link #qparams()}. */
    void setCalibrating(boolean calibrating);

    /** Forgets every batch seen, as if new. */
    void reset();
}
