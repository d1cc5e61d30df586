package io.bitnet4j.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.LoadedModel;
import io.bitnet4j.model.Session;
import io.bitnet4j.model.SessionOptions;
import io.bitnet4j.tokenizer.ChatMessage;
import io.bitnet4j.tokenizer.ChatTemplate;
import java.io.IOException;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Multi-turn chat on stories260K (whose SentencePiece LLaMA vocabulary implies the Llama 2 chat format): the
 * cache carries over between turns, and what it holds then is what a fresh session computes from the whole
 * rendered conversation.
 */
class ConversationTest {
    private static final GenerationSettings REPLY = GenerationSettings.greedy(12);

    @Test
    void laterTurnsProcessOnlyWhatTheCacheDoesNotHold() throws IOException {
        try (LoadedModel m = StoriesModel.load(); Conversation chat = m.newChat("Tell stories.")) {
            assertEquals(ChatTemplate.LLAMA2, chat.template());
            GenerationResult first = chat.send("Once upon a time", REPLY, null);
            assertEquals(0, first.cachedPromptTokens());
            assertEquals(first.promptTokens(), first.timings().promptTokens());
            GenerationResult second = chat.send("What then?", REPLY, null);
            List<ChatMessage> messages = chat.messages();
            assertEquals(List.of(ChatMessage.system("Tell stories."), ChatMessage.user("Once upon a time"),
                    ChatMessage.assistant(first.text()), ChatMessage.user("What then?"), ChatMessage.assistant(second.text())), messages);
            int[] rendered = m.tokenizer().encode(ChatTemplate.LLAMA2.render(messages.subList(0, 4), true), true, true);
            assertEquals(rendered.length, second.promptTokens());
            assertTrue(second.cachedPromptTokens() >= first.promptTokens(),
                    "the first turn's prompt stays cached: " + second.cachedPromptTokens() + " of " + second.promptTokens());
            assertEquals(second.promptTokens() - second.cachedPromptTokens(), second.timings().promptTokens());
        }
    }

    @Test
    void theCachedConversationGivesTheLogitsOfAFreshSession() throws IOException {
        try (LoadedModel m = StoriesModel.load(); Generator g = m.newGenerator()) {
            List<ChatMessage> turn = List.of(ChatMessage.user("Once upon a time"));
            int[] firstPrompt = m.tokenizer().encode(ChatTemplate.LLAMA2.render(turn, true), true, true);
            GenerationResult reply = g.generate(firstPrompt, REPLY, null);
            List<ChatMessage> next = List.of(turn.getFirst(), ChatMessage.assistant(reply.text()), ChatMessage.user("And then?"));
            int[] prompt = m.tokenizer().encode(ChatTemplate.LLAMA2.render(next, true), true, true);
            int reused = g.cachedPrefix(prompt);
            assertTrue(reused >= firstPrompt.length, reused + " cached tokens");
            float[] cached = g.prefill(prompt).clone();
            assertArrayEquals(prompt, g.cachedTokens());
            float[] fresh;
            try (Session s = m.model().newSession(m.sessionOptions())) {
                fresh = s.forward(prompt).clone();
            }
            // the cache was filled by a batch, single tokens and another batch; the fresh session by one batch,
            // and the peers' kernels sum those in different orders, so allow their rounding
            DoubleSummaryStatistics stats = IntStream.range(0, fresh.length).mapToDouble(i -> fresh[i]).summaryStatistics();
            double range = stats.getMax() - stats.getMin();
            for (int i = 0; i < fresh.length; i++) {
                assertEquals(fresh[i], cached[i], 1e-5 * range, "logit " + i);
            }
        }
    }

    @Test
    void aPrefilledOpeningIsNotProcessedAgain() throws IOException {
        try (LoadedModel m = StoriesModel.load(); Conversation chat = m.newChat("Tell stories.");
                Conversation fresh = m.newChat("Tell stories.")) {
            int[] opening = m.tokenizer().encode(ChatTemplate.LLAMA2.opening(chat.messages()), true, true);
            assertEquals(opening.length, chat.prefillOpening());
            assertEquals(List.of(ChatMessage.system("Tell stories.")), chat.messages());
            GenerationResult reply = chat.send("Once upon a time", REPLY, null);
            int[] prompt = m.tokenizer().encode(ChatTemplate.LLAMA2.render(chat.messages().subList(0, 2), true), true, true);
            int common = 0;
            while (common < opening.length && opening[common] == prompt[common]) {
                common++;
            }
            assertTrue(common > 1, "the opening's tokens begin the prompt's: " + common);
            assertEquals(common, reply.cachedPromptTokens());
            assertEquals(prompt.length - common, reply.timings().promptTokens());
            GenerationResult expected = fresh.send("Once upon a time", REPLY, null);
            assertArrayEquals(expected.tokens(), reply.tokens());
            chat.prefillOpening(); // the opening of the second turn, and steps thrown away
            chat.rehearse(3);
            fresh.prefillOpening();
            assertArrayEquals(fresh.send("What then?", REPLY, null).tokens(), chat.send("What then?", REPLY, null).tokens());
        }
    }

    @Test
    void resetForgetsTheTurnsButNotTheSystemMessage() throws IOException {
        try (LoadedModel m = StoriesModel.load(); Conversation chat = m.newChat("Tell stories.");
                Conversation fresh = m.newChat("Tell stories.")) {
            chat.send("Once upon a time", REPLY, null);
            chat.reset();
            assertEquals(List.of(ChatMessage.system("Tell stories.")), chat.messages());
            GenerationResult afterReset = chat.send("The dog", REPLY, null);
            assertEquals(0, afterReset.cachedPromptTokens());
            GenerationResult expected = fresh.send("The dog", REPLY, null);
            assertArrayEquals(expected.tokens(), afterReset.tokens());
        }
    }

    @Test
    void aTurnThatDoesNotFitLeavesTheConversationAsItWas() throws IOException {
        try (LoadedModel m = StoriesModel.load(SessionOptions.defaults().withContextLength(40).withThreads(1));
                Conversation chat = m.newChat()) {
            chat.send("Hi", GenerationSettings.greedy(4), null);
            List<ChatMessage> before = chat.messages();
            assertThrows(PromptTooLongException.class, () -> chat.send("a long story ".repeat(20), REPLY, null));
            assertEquals(before, chat.messages());
        }
    }
}
