package io.bitnet4j.quant.ste;

/**
 * The {@link ClipRange} that applies to each flat element of a tensor: one range for the whole tensor
 * (a {@link ClipRange} is itself a {@code ClipRanges}) or one per channel.
 */
@FunctionalInterface
public interface ClipRanges {

    /** The representable range of flat element {@code index}. */
    ClipRange rangeOf(int index);
}
