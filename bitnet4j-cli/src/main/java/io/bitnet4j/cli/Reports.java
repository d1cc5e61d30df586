package io.bitnet4j.cli;

import io.bitnet4j.LayoutCacheOutcome;
import io.bitnet4j.LoadedModel;
import io.bitnet4j.generate.Timings;
import io.bitnet4j.model.ModelConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;

/** The stderr lines of the commands that run a model: what was loaded, and llama.cpp-style timings. */
final class Reports {
    private Reports() {}

    static void loaded(PrintWriter err, Path file, LoadedModel m) {
        ModelConfig c = m.model().config();
        int contextLength = m.sessionOptions().contextLength() > 0 ? m.sessionOptions().contextLength() : c.contextLength();
        LayoutCacheOutcome cache = m.layoutCache();
        err.printf(Locale.ROOT, "model: %s (%s, %d layers, %d-token vocabulary), context %d, loaded in %.2f s%s%n",
                file.getFileName(), c.architecture().ggufName(), c.blockCount(), c.vocabSize(), contextLength, m.loadSeconds(),
                cache.status() == LayoutCacheOutcome.Status.MAPPED ? " (layouts from the cache)" : "");
        switch (cache.status()) {
            case WRITTEN -> err.printf(Locale.ROOT, "layout cache: wrote %.2f GB to %s; later loads map it (--layout-cache off: never)%n",
                    cache.bytes() / 1e9, cache.file());
            case NOT_WRITTEN -> err.printf(Locale.ROOT, "layout cache: not written (%s)%n", cache.detail());
            case NONE, MAPPED, TOO_SMALL -> { } // a small model's skip is the policy, not news
        }
        err.flush();
    }

    /** Prompt and generation speed, as llama.cpp's {@code llama_perf_context_print} lays them out. */
    static void timings(PrintWriter err, Timings t) {
        err.printf(Locale.ROOT, "load time        = %10.2f ms%n", t.loadSeconds() * 1e3);
        line(err, "prompt eval time", t.promptSeconds(), t.promptTokens(), "tokens", t.promptTokensPerSecond());
        line(err, "eval time       ", t.generationSeconds(), t.generatedTokens(), "runs  ", t.generationTokensPerSecond());
        err.flush();
    }

    private static void line(PrintWriter err, String label, double seconds, int tokens, String unit, double perSecond) {
        err.printf(Locale.ROOT, "%s = %10.2f ms / %5d %s (%8.2f ms per token, %8.2f tokens per second)%n", label, seconds * 1e3,
                tokens, unit, tokens > 0 ? seconds * 1e3 / tokens : 0, perSecond);
    }
}
