package io.bitnet4j.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.LoadedModel;
import io.bitnet4j.model.SessionOptions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Generator} on stories260K against llama.cpp's greedy generation from BOS (ids and text), and the ways a
 * generation ends: token limit, stop string, end-of-generation token, full context, over-long prompt.
 */
class GeneratorTest {

    @Test
    void greedyFromBosReproducesLlamaCpp() throws IOException {
        int[] ids = StoriesModel.greedyIds();
        List<String> chunks = new ArrayList<>();
        try (LoadedModel m = StoriesModel.load()) {
            GenerationResult r = m.generate("", GenerationSettings.greedy(200), chunks::add);
            assertArrayEquals(ids, r.tokens());
            assertEquals(StoriesModel.greedyText(), r.text());
            assertEquals(r.text(), String.join("", chunks));
            assertEquals(FinishReason.LENGTH, r.finishReason());
            assertEquals(1, r.promptTokens(), "BOS only");
            assertEquals(0, r.cachedPromptTokens());
            assertEquals(1, r.timings().promptTokens());
            assertEquals(200, r.timings().generatedTokens());
            assertTrue(r.timings().loadSeconds() > 0 && r.timings().generationTokensPerSecond() > 0, r.timings().toString());
        }
    }

    @Test
    void aPromptOnTheCallingThreadGivesLlamaCppsGenerationToo() throws IOException {
        try (LoadedModel m = StoriesModel.load(); Generator g = m.newGenerator()) { // a two-thread session
            GenerationResult r = g.nextPromptOnCallingThread(4).generate("", GenerationSettings.greedy(200), null);
            assertArrayEquals(StoriesModel.greedyIds(), r.tokens());
            assertThrows(IllegalArgumentException.class, () -> g.nextPromptOnCallingThread(-1));
        }
    }

    @Test
    void maxTokensCutsTheSameSequence() throws IOException {
        int[] ids = StoriesModel.greedyIds();
        try (LoadedModel m = StoriesModel.load()) {
            GenerationResult r = m.generate("", GenerationSettings.greedy(17), null);
            assertArrayEquals(Arrays.copyOf(ids, 17), r.tokens());
            assertEquals(FinishReason.LENGTH, r.finishReason());
            assertEquals(m.tokenizer().decode(Arrays.copyOf(ids, 17)), r.text());
            assertEquals(0, m.generate("", GenerationSettings.greedy(0), null).generatedTokens());
        }
    }

    @Test
    void aStopStringEndsGenerationAndIsLeftOut() throws IOException {
        String full = StoriesModel.greedyText();
        List<String> chunks = new ArrayList<>();
        try (LoadedModel m = StoriesModel.load()) {
            GenerationSettings s = GenerationSettings.greedy(200).withStopStrings(List.of("Lily", "no such text"));
            GenerationResult r = m.generate("", s, chunks::add);
            assertEquals(FinishReason.STOP, r.finishReason());
            assertEquals(full.substring(0, full.indexOf("Lily")), r.text());
            assertEquals(r.text(), String.join("", chunks));
            assertTrue(chunks.stream().noneMatch(c -> c.contains("L")), "nothing of the stop string is streamed: " + chunks);
            // the token that completed the stop string was generated, so it is among the ids
            assertTrue(m.tokenizer().decode(r.tokens()).endsWith("Lily"), m.tokenizer().decode(r.tokens()));
        }
    }

    @Test
    void anEndOfGenerationTokenEndsGeneration() throws IOException {
        int[] ids = StoriesModel.greedyIds();
        int end = ids[9];
        int first = 0;
        while (ids[first] != end) {
            first++;
        }
        try (LoadedModel m = StoriesModel.load(); Generator g = new Generator(m.model().newSession(m.sessionOptions()),
                new EndAtToken(m.tokenizer(), end))) {
            GenerationResult r = g.generate("", GenerationSettings.greedy(200), null);
            assertEquals(FinishReason.EOS, r.finishReason());
            assertArrayEquals(Arrays.copyOf(ids, first + 1), r.tokens(), "up to and including the end token");
            assertEquals(m.tokenizer().decode(Arrays.copyOf(ids, first)), r.text(), "the end token's text is not part of it");
        }
    }

    @Test
    void aFullContextEndsGeneration() throws IOException {
        try (LoadedModel m = StoriesModel.load(SessionOptions.defaults().withContextLength(24).withThreads(1))) {
            GenerationResult r = m.generate("Once upon a time", GenerationSettings.greedy(-1), null);
            assertEquals(FinishReason.LENGTH, r.finishReason());
            assertEquals(5, r.promptTokens());
            assertEquals(24 - 5 + 1, r.generatedTokens(), "one token per free position, and the last one sampled from a full cache");
        }
    }

    @Test
    void aPromptLongerThanTheContextIsAClearErrorAndChangesNothing() throws IOException {
        try (LoadedModel m = StoriesModel.load(SessionOptions.defaults().withContextLength(16).withThreads(1));
                Generator g = m.newGenerator()) {
            g.generate("Once upon a time", GenerationSettings.greedy(3), null);
            int[] cached = g.cachedTokens();
            String longPrompt = "Once upon a time there was a little girl named Lily who loved to play in the park";
            PromptTooLongException e = assertThrows(PromptTooLongException.class,
                    () -> g.generate(longPrompt, GenerationSettings.greedy(3), null));
            assertEquals(16, e.contextLength());
            assertEquals(m.tokenizer().encode(longPrompt, true, true).length, e.promptTokens());
            assertEquals("the prompt is " + e.promptTokens() + " tokens but the context holds 16; use a longer context or a shorter prompt",
                    e.getMessage());
            assertArrayEquals(cached, g.cachedTokens());
        }
    }

    @Test
    void aRehearsalLeavesNoTrace() throws IOException {
        try (LoadedModel m = StoriesModel.load(); Generator rehearsed = m.newGenerator(); Generator plain = m.newGenerator()) {
            rehearsed.rehearse(3); // an empty session: from token 0
            assertEquals(0, rehearsed.session().position());
            int[] first = m.tokenizer().encode("Once upon a time", true, false);
            GenerationResult a = rehearsed.generate(first, GenerationSettings.greedy(8), null);
            GenerationResult b = plain.generate(first, GenerationSettings.greedy(8), null);
            assertArrayEquals(b.tokens(), a.tokens());
            int[] held = rehearsed.cachedTokens();
            rehearsed.rehearse(5);
            assertArrayEquals(held, rehearsed.cachedTokens());
            // the next prompt extends the cached tokens: both generators process the same new tokens at the same positions
            int[] next = Arrays.copyOf(held, held.length + 3);
            next[held.length] = first[1];
            next[held.length + 1] = first[2];
            next[held.length + 2] = first[3];
            float[] x = rehearsed.prefill(next).clone();
            float[] y = plain.prefill(next).clone();
            assertArrayEquals(y, x, "the logits after a rehearsal, to the bit");
            assertThrows(IllegalArgumentException.class, () -> rehearsed.rehearse(-1));
        }
        try (LoadedModel m = StoriesModel.load(SessionOptions.defaults().withContextLength(8).withThreads(1));
                Generator g = m.newGenerator()) {
            g.prefill(new int[] {1, 2, 3, 4, 5, 6, 7});
            g.rehearse(4); // one step fits
            assertArrayEquals(new int[] {1, 2, 3, 4, 5, 6, 7}, g.cachedTokens());
        }
    }

    @Test
    void seededSamplingIsReproducible() throws IOException {
        try (LoadedModel m = StoriesModel.load()) {
            GenerationSettings s = GenerationSettings.defaults().withMaxTokens(40);
            int[] a = m.generate("Once upon a time", s.withSampler(s.sampler().withSeed(42)), null).tokens();
            int[] b = m.generate("Once upon a time", s.withSampler(s.sampler().withSeed(42)), null).tokens();
            assertArrayEquals(a, b);
            boolean anyDiffers = false;
            for (long seed = 1; seed <= 5 && !anyDiffers; seed++) {
                anyDiffers = !Arrays.equals(a, m.generate("Once upon a time", s.withSampler(s.sampler().withSeed(seed)), null).tokens());
            }
            assertTrue(anyDiffers, "other seeds, other stories");
        }
    }

    @Test
    void streamedChunksAreWholeCharactersAndAddUpToTheText() throws IOException {
        try (LoadedModel m = StoriesModel.load()) {
            for (long seed = 0; seed < 4; seed++) {
                // hot sampling reaches byte tokens, which alone are parts of characters
                GenerationSettings s = new GenerationSettings(60, new SamplerConfig(3f, 0, 1f, 0f, 1f, 64, 0f, 0f, seed), List.of());
                List<String> chunks = new ArrayList<>();
                GenerationResult r = m.generate("", s, chunks::add);
                assertEquals(r.text(), String.join("", chunks));
                assertEquals(m.tokenizer().decode(r.tokens()), r.text());
                for (String c : chunks) {
                    assertFalse(c.isEmpty());
                    assertFalse(Character.isLowSurrogate(c.charAt(0)) || Character.isHighSurrogate(c.charAt(c.length() - 1)), c);
                }
            }
        }
    }

    @Test
    void aSecondPromptReusesTheCachedPrefix() throws IOException {
        try (LoadedModel m = StoriesModel.load(); Generator g = m.newGenerator()) {
            GenerationResult first = g.generate("Once upon a time", GenerationSettings.greedy(6), null);
            int[] held = g.cachedTokens();
            int[] prompt = m.tokenizer().encode("Once upon a time", true, true);
            int[] expectedHeld = Arrays.copyOf(prompt, prompt.length + 5);
            System.arraycopy(first.tokens(), 0, expectedHeld, prompt.length, 5);
            assertArrayEquals(expectedHeld, held, "the prompt and the generated tokens fed back (not the last one)");
            int[] extended = Arrays.copyOf(held, held.length + 2);
            extended[held.length] = first.tokens()[5];
            extended[held.length + 1] = 13;
            GenerationResult second = g.generate(extended, GenerationSettings.greedy(1), null);
            assertEquals(held.length, second.cachedPromptTokens());
            assertEquals(2, second.timings().promptTokens());
            GenerationResult other = g.generate("The dog", GenerationSettings.greedy(1), null);
            assertEquals(1, other.cachedPromptTokens(), "only BOS is shared");
            assertNotEquals(0, other.generatedTokens());
        }
    }
}
