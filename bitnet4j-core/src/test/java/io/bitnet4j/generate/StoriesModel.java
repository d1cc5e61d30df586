package io.bitnet4j.generate;

import io.bitnet4j.BitNet;
import io.bitnet4j.LoadedModel;
import io.bitnet4j.model.KvCacheType;
import io.bitnet4j.model.SessionOptions;
import io.bitnet4j.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;

/** The stories260K fixture (llama.cpp's greedy generation from BOS beside it) for the generation tests. */
final class StoriesModel {
    static final String DIR = "models/stories260K/";

    private StoriesModel() {}

    /** The model with an F32 cache on 2 threads (skips the test when the fixtures are absent). */
    static LoadedModel load() throws IOException {
        return load(SessionOptions.defaults().withKvCacheType(KvCacheType.F32).withThreads(2));
    }

    static LoadedModel load(SessionOptions options) throws IOException {
        return BitNet.load(Fixtures.require(DIR + "stories260K.gguf"), options);
    }

    /** llama.cpp's 200 greedy token ids from BOS. */
    static int[] greedyIds() throws IOException {
        return Arrays.stream(Files.readString(Fixtures.require(DIR + "greedy200.ids")).trim().split("\\s+"))
                .mapToInt(Integer::parseInt).toArray();
    }

    /** Their text, as llama.cpp printed it. */
    static String greedyText() throws IOException {
        return Files.readString(Fixtures.require(DIR + "greedy200.txt"));
    }
}
