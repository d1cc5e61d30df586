package io.bitnet4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.LayoutCacheSettings;
import io.bitnet4j.convert.SynthModel;
import io.bitnet4j.convert.SynthPreset;
import io.bitnet4j.gguf.GgmlType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --layout-cache DIR}: the first load writes the repacked layouts there, later loads map them, the text is the same. */
class LayoutCacheOptionTest {
    @TempDir
    Path dir;

    @Test
    void theCacheIsWrittenOnceAndChangesNoToken() throws IOException {
        Path model = dir.resolve("tiny-tq2_0.gguf");
        SynthModel.write(SynthPreset.named("tiny"), GgmlType.TQ2_0, 11, Optional.empty(), model, (done, total) -> { }, w -> { });
        Path cache = dir.resolve("layouts"); // not there yet: the first save makes it
        String[] generate = {"run", "-m", model.toString(), "-p", "hello", "-n", "16", "--temp", "0", "-t", "2"};

        MainTest.Result plain = MainTest.run(generate);
        assertEquals(0, plain.code(), plain.err());
        MainTest.Result first = MainTest.run(concat(generate, "--layout-cache", cache.toString()));
        assertEquals(0, first.code(), first.err());
        List<Path> files = luts(cache);
        assertEquals(1, files.size(), "one cache file for the model at several threads: " + files);
        Object written = Files.readAttributes(files.get(0), BasicFileAttributes.class).fileKey(); // a rewrite renames a new file over it

        MainTest.Result second = MainTest.run(concat(generate, "--layout-cache", cache.toString()));
        assertEquals(0, second.code(), second.err());
        assertEquals(plain.out(), first.out(), "the text with a cache being written");
        assertEquals(plain.out(), second.out(), "the text with the layouts mapped from the cache");
        assertEquals(written, Files.readAttributes(files.get(0), BasicFileAttributes.class).fileKey(),
                "a cache that matched is not written again");
        assertTrue(second.err().contains("(layouts from the cache)"), second.err());
        assertTrue(first.err().contains("layout cache: wrote "), first.err());
        assertEquals(files, luts(cache));

        String[] oneThread = generate.clone();
        oneThread[oneThread.length - 1] = "1";
        MainTest.Result one = MainTest.run(concat(oneThread, "--layout-cache", cache.toString()));
        assertEquals(0, one.code(), one.err());
        assertEquals(plain.out(), one.out(), "the text at one thread");
        assertEquals(2, luts(cache).size(), "a second file for the one-thread layouts");
        assertTrue(luts(cache).stream().anyMatch(p -> p.getFileName().toString().endsWith("-1t.lut")), luts(cache).toString());
    }

    @Test
    void theOptionThenThePropertyThenTheUsersCacheDirectory() {
        Map<String, String> env = Map.of("HOME", "/home/u");
        assertEquals(LayoutCacheSettings.in(Path.of("/opt")), ModelOptions.layoutCacheSettings("/opt", "/p", env));
        assertEquals(LayoutCacheSettings.OFF, ModelOptions.layoutCacheSettings("off", "/p", env));
        assertEquals(LayoutCacheSettings.in(Path.of("/p")), ModelOptions.layoutCacheSettings(null, "/p", env));
        assertEquals(LayoutCacheSettings.OFF, ModelOptions.layoutCacheSettings(null, "off", env));
        assertEquals(LayoutCacheSettings.userDefault(env), ModelOptions.layoutCacheSettings(null, null, env));
        assertEquals(Path.of("/home/u/.cache/bitnet4j/layouts"), ModelOptions.layoutCacheSettings(null, null, env).directory());
    }

    private static List<Path> luts(Path cache) throws IOException {
        try (Stream<Path> s = Files.list(cache)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".lut")).sorted().toList();
        }
    }

    private static String[] concat(String[] a, String... b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }
}
