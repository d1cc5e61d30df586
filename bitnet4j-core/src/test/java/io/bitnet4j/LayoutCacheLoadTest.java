package io.bitnet4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.LayoutCacheOutcome.Status;
import io.bitnet4j.convert.SynthModel;
import io.bitnet4j.convert.SynthPreset;
import io.bitnet4j.gguf.GgmlType;
import io.bitnet4j.model.Numerics;
import io.bitnet4j.model.SessionOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link BitNet#load(Path, SessionOptions, LayoutCacheSettings)}: what the settings decide about the cache file
 * (written, mapped, skipped below the minimum, others trimmed to the cap) and what the load reports.
 */
class LayoutCacheLoadTest {
    private static final SessionOptions TWO_THREADS = SessionOptions.defaults().withThreads(2).withNumerics(Numerics.FAST);

    @TempDir
    Path dir;
    private Path model;
    private Path cache;

    @BeforeEach
    void tinyModel() throws IOException {
        model = dir.resolve("tiny-tq2_0.gguf");
        SynthModel.write(SynthPreset.named("tiny"), GgmlType.TQ2_0, 5, Optional.empty(), model, (done, total) -> { }, w -> { });
        cache = dir.resolve("layouts");
    }

    @Test
    void theFirstLoadWritesTheLayoutsAndTheNextMapsThem() throws IOException {
        LayoutCacheOutcome first = outcome(LayoutCacheSettings.in(cache));
        assertEquals(Status.WRITTEN, first.status(), first.toString());
        assertTrue(first.bytes() > 0);
        assertEquals(List.of(first.file()), luts());

        LayoutCacheOutcome second = outcome(LayoutCacheSettings.in(cache));
        assertEquals(Status.MAPPED, second.status(), second.toString());
        assertEquals(first.file(), second.file());
        assertEquals(first.bytes(), second.bytes());
    }

    @Test
    void layoutsBelowTheMinimumAreNotWritten() throws IOException {
        LayoutCacheOutcome o = outcome(new LayoutCacheSettings(cache, Long.MAX_VALUE, Long.MAX_VALUE));
        assertEquals(Status.TOO_SMALL, o.status(), o.toString());
        assertFalse(Files.exists(cache), "no file, not even the directory");
    }

    @Test
    void aWriteTrimsTheDirectoryToTheCapButKeepsItsOwnFile() throws IOException {
        Files.createDirectories(cache);
        Path older = Files.write(cache.resolve("other.gguf-123.lut"), new byte[4096]);
        Files.setLastModifiedTime(older, FileTime.from(Instant.now().minusSeconds(60)));
        LayoutCacheOutcome o = outcome(new LayoutCacheSettings(cache, 0, 1)); // a cap nothing fits under
        assertEquals(Status.WRITTEN, o.status(), o.toString());
        assertEquals(List.of(o.file()), luts(), "the other model's cache went, this one stayed");
    }

    @Test
    void aCacheThatCannotBeWrittenCostsOnlyTheRepackAndSaysWhy() throws IOException {
        Path notADirectory = Files.write(dir.resolve("a-file"), new byte[] {1});
        LayoutCacheOutcome o = outcome(LayoutCacheSettings.in(notADirectory));
        assertEquals(Status.NOT_WRITTEN, o.status(), o.toString());
        assertTrue(o.detail().contains("a-file"), o.detail());
        assertEquals(1, Files.size(notADirectory), "the file in the way is left as it was");
    }

    @Test
    void sessionsInAPeersOrderNeitherRepackNorCacheTqLayouts() throws IOException {
        // their weight products run on the file's bytes in that peer's order: TQ layouts would go unused
        for (SessionOptions peer : new SessionOptions[] {TWO_THREADS.withNumerics(Numerics.LLAMA_CPP), TWO_THREADS.withNumerics(null)}) {
            try (LoadedModel m = BitNet.load(model, peer, LayoutCacheSettings.in(cache))) {
                assertEquals(Status.NONE, m.layoutCache().status(), m.layoutCache().toString());
            }
        }
        assertFalse(Files.exists(cache));
        // and their logits are the same as with the layouts there, unused: to the bit
        SessionOptions peer = TWO_THREADS.withNumerics(Numerics.LLAMA_CPP);
        int[] tokens = {1, 17, 99, 5, 42, 7};
        try (io.bitnet4j.gguf.GgufFile f = io.bitnet4j.gguf.GgufFile.open(model)) {
            io.bitnet4j.kernel.MatrixKernels all = io.bitnet4j.kernel.MatrixKernels.defaults().withThreads(2);
            float[] with;
            float[] without;
            try (io.bitnet4j.model.Session s = io.bitnet4j.model.Model.load(f, all).newSession(peer)) {
                with = s.forwardAll(tokens);
            }
            try (io.bitnet4j.model.Session s = io.bitnet4j.model.Model.load(f, all.withoutTqLayouts()).newSession(peer)) {
                without = s.forwardAll(tokens);
            }
            org.junit.jupiter.api.Assertions.assertArrayEquals(with, without);
        }
    }

    @Test
    void withoutSettingsTheLibraryUsesThePropertysCacheAndNoneByDefault() throws IOException {
        String before = System.getProperty(io.bitnet4j.kernel.LayoutCache.PROPERTY);
        try {
            System.clearProperty(io.bitnet4j.kernel.LayoutCache.PROPERTY);
            assertEquals(Status.NONE, propertyOutcome());
            System.setProperty(io.bitnet4j.kernel.LayoutCache.PROPERTY, "off");
            assertEquals(Status.NONE, propertyOutcome());
            assertFalse(Files.exists(cache));
            System.setProperty(io.bitnet4j.kernel.LayoutCache.PROPERTY, cache.toString());
            assertEquals(Status.WRITTEN, propertyOutcome());
            assertEquals(1, luts().size());
        } finally {
            if (before == null) {
                System.clearProperty(io.bitnet4j.kernel.LayoutCache.PROPERTY);
            } else {
                System.setProperty(io.bitnet4j.kernel.LayoutCache.PROPERTY, before);
            }
        }
    }

    private Status propertyOutcome() throws IOException {
        try (LoadedModel m = BitNet.load(model, TWO_THREADS)) {
            return m.layoutCache().status();
        }
    }

    @Test
    void offMeansNoFileAndNothingToReport() throws IOException {
        assertEquals(Status.NONE, outcome(LayoutCacheSettings.OFF).status());
        assertEquals(Status.NONE, outcome(LayoutCacheSettings.parse(" off ")).status());
        assertFalse(Files.exists(cache));
    }

    @Test
    void theUserDefaultFollowsXdgThenHome() {
        Path xdg = dir.resolve("xdg");
        assertEquals(xdg.resolve("bitnet4j/layouts"),
                LayoutCacheSettings.userDefault(java.util.Map.of("XDG_CACHE_HOME", xdg.toString(), "HOME", "/h")).directory());
        assertEquals(Path.of("/h/.cache/bitnet4j/layouts"), LayoutCacheSettings.userDefault(java.util.Map.of("HOME", "/h")).directory());
        assertEquals(Path.of("/h/.cache/bitnet4j/layouts"),
                LayoutCacheSettings.userDefault(java.util.Map.of("XDG_CACHE_HOME", "relative", "HOME", "/h")).directory(),
                "a relative XDG_CACHE_HOME is ignored");
        assertFalse(LayoutCacheSettings.userDefault(java.util.Map.of()).enabled(), "no home: no cache");
        LayoutCacheSettings d = LayoutCacheSettings.userDefault(java.util.Map.of("HOME", "/h"));
        assertEquals(LayoutCacheSettings.DEFAULT_MIN_LAYOUT_BYTES, d.minLayoutBytes());
        assertEquals(LayoutCacheSettings.DEFAULT_MAX_DIRECTORY_BYTES, d.maxDirectoryBytes());
    }

    private LayoutCacheOutcome outcome(LayoutCacheSettings settings) throws IOException {
        try (LoadedModel m = BitNet.load(model, TWO_THREADS, settings)) {
            return m.layoutCache();
        }
    }

    private List<Path> luts() throws IOException {
        try (Stream<Path> s = Files.list(cache)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".lut")).sorted().toList();
        }
    }
}
