package io.bitnet4j.tensor;

/** Argument checks shared by the library, each failing with a message that says what and where. */
public final class Checks {
    private Checks() {}

    /** Throws {@link IllegalArgumentException} naming the first NaN or infinite element of {@code data}. */
    public static void requireFinite(float[] data, String what) {
        for (int i = 0; i < data.length; i++) {
            if (!Float.isFinite(data[i])) {
                throw new IllegalArgumentException(what + " has a non-finite value " + data[i] + " at index " + i);
            }
        }
    }

    /** Returns {@code value}, or throws {@link IllegalArgumentException} saying that {@code what} is null. */
    public static <T> T requireNonNull(T value, String what) {
        if (value == null) {
            throw new IllegalArgumentException(what + " is null");
        }
        return value;
    }

    /** Throws if {@code data} is null or empty. */
    public static void requireNonEmpty(float[] data, String what) {
        if (data == null) {
            throw new IllegalArgumentException(what + " is null");
        }
        if (data.length == 0) {
            throw new IllegalArgumentException(what + " is empty");
        }
    }

    /** Throws if {@code value} is not in {@code [min, max]}. */
    public static int requireInRange(int value, int min, int max, String what) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(what + " is " + value + "; must be in " + min + ".." + max);
        }
        return value;
    }
}
