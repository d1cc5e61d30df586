package io.bitnet4j.kernel;

/** A piece of work over the index range {@code [from, to)}, run by worker {@code worker} of a {@link WorkerPool}. */
@FunctionalInterface
public interface RangeTask {
    void run(int worker, int from, int to);
}
