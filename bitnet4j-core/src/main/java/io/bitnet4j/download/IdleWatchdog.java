package io.bitnet4j.download;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Closes a stream when no data arrived on it for a while. HttpClient's request timeout only covers the
 * wait for the response headers; a body that stalls half-way would block a read forever. Closing the
 * response stream from this thread wakes the blocked reader with an IOException.
 */
final class IdleWatchdog implements AutoCloseable {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bitnet4j-download-watchdog");
        t.setDaemon(true);
        return t;
    });
    private volatile long lastActivity = System.nanoTime();
    private volatile boolean fired;

    IdleWatchdog(Closeable stream, Duration idle) {
        long idleNanos = idle.toNanos();
        long period = Math.max(10, idle.toMillis() / 4);
        timer.scheduleAtFixedRate(() -> {
            if (!fired && System.nanoTime() - lastActivity > idleNanos) {
                fired = true;
                try {
                    stream.close();
                } catch (IOException ignored) {
                    // The reader sees the stream closed either way.
                }
            }
        }, period, period, TimeUnit.MILLISECONDS);
    }

    /** Data arrived: the idle clock starts again. */
    void touch() {
        lastActivity = System.nanoTime();
    }

    /** Whether the stream was closed for being idle. */
    boolean fired() {
        return fired;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
