package io.bitnet4j.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.gguf.GgufArray;
import io.bitnet4j.gguf.GgufFile;
import io.bitnet4j.gguf.GgufMetadata;
import io.bitnet4j.gguf.GgufValue;
import io.bitnet4j.testing.Fixtures;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The three chat formats on a two-turn conversation; the expected strings are written out from the templates by hand. */
class ChatTemplateTest {
    private static final List<ChatMessage> CONVERSATION = List.of(
            ChatMessage.system("You are terse."),
            ChatMessage.user("Hi!"),
            ChatMessage.assistant("Hello.\n"),
            ChatMessage.user("  How are you?  "));

    /** HF tokenizer_config chat_template of microsoft/bitnet-b1.58-2B-4T. */
    private static final String BITNET_JINJA = "{% set loop_messages = messages %}{% for message in loop_messages %}"
            + "{% set content = message['role'] | capitalize + ': '+ message['content'] | trim + '<|eot_id|>' %}"
            + "{% if loop.index0 == 0 %}{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}"
            + "{% if add_generation_prompt %}{{ 'Assistant: ' }}{% endif %}";
    /** Meta's Llama 2 chat template (abridged to its distinctive parts). */
    private static final String LLAMA2_JINJA = "{% if messages[0]['role'] == 'system' %}{% set system_message = messages[0]['content'] %}"
            + "{% endif %}{% for message in loop_messages %}{% if loop.index0 == 0 and system_message != false %}"
            + "{% set content = '<<SYS>>\\n' + system_message + '\\n<</SYS>>\\n\\n' + message['content'] %}{% endif %}"
            + "{% if message['role'] == 'user' %}{{ bos_token + '[INST] ' + content.strip() + ' [/INST]' }}"
            + "{% elif message['role'] == 'assistant' %}{{ ' '  + content.strip() + ' ' + eos_token }}{% endif %}{% endfor %}";

    @Test
    void llama3() {
        assertEquals("<|start_header_id|>system<|end_header_id|>\n\nYou are terse.<|eot_id|>"
                + "<|start_header_id|>user<|end_header_id|>\n\nHi!<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\nHello.<|eot_id|>"
                + "<|start_header_id|>user<|end_header_id|>\n\nHow are you?<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\n",
                ChatTemplate.LLAMA3.render(CONVERSATION, true));
    }

    @Test
    void bitnet() {
        assertEquals("System: You are terse.<|eot_id|>User: Hi!<|eot_id|>Assistant: Hello.<|eot_id|>"
                + "User: How are you?<|eot_id|>Assistant: ", ChatTemplate.BITNET.render(CONVERSATION, true));
        assertEquals("User: Hi!<|eot_id|>", ChatTemplate.BITNET.render(List.of(ChatMessage.user("Hi!")), false));
    }

    @Test
    void llama2() {
        assertEquals("[INST] <<SYS>>\nYou are terse.\n<</SYS>>\n\nHi! [/INST] Hello. </s><s>[INST] How are you? [/INST]",
                ChatTemplate.LLAMA2.render(CONVERSATION, true));
        assertEquals("[INST] Hi! [/INST]", ChatTemplate.LLAMA2.render(List.of(ChatMessage.user("Hi!")), false));
    }

    @Test
    void theOpeningIsWhatEveryNextPromptStartsWith() {
        List<List<ChatMessage>> histories = List.of(List.of(), CONVERSATION.subList(0, 1), CONVERSATION.subList(0, 3),
                CONVERSATION.subList(1, 3));
        for (ChatTemplate t : ChatTemplate.values()) {
            for (List<ChatMessage> history : histories) {
                String opening = t.opening(history);
                for (String message : List.of("How are you?", "  x", "\n[INST] User: <|eot_id|>")) {
                    List<ChatMessage> next = new java.util.ArrayList<>(history);
                    next.add(ChatMessage.user(message));
                    String prompt = t.render(next, true);
                    assertTrue(prompt.startsWith(opening), t + " " + history + ": '" + opening + "' does not start '" + prompt + "'");
                    assertTrue(opening.isEmpty() || !Character.isWhitespace(opening.charAt(opening.length() - 1)), opening);
                }
            }
        }
        // what the openings are, written out from the templates by hand
        assertEquals("<|start_header_id|>system<|end_header_id|>\n\nYou are terse.<|eot_id|><|start_header_id|>user<|end_header_id|>",
                ChatTemplate.LLAMA3.opening(CONVERSATION.subList(0, 1)));
        assertEquals("System: You are terse.<|eot_id|>User:", ChatTemplate.BITNET.opening(CONVERSATION.subList(0, 1)));
        assertEquals("[INST] <<SYS>>\nYou are terse.\n<</SYS>>", ChatTemplate.LLAMA2.opening(CONVERSATION.subList(0, 1)));
        assertEquals("[INST] Hi! [/INST] Hello. </s><s>[INST]", ChatTemplate.LLAMA2.opening(CONVERSATION.subList(1, 3)));
    }

    @Test
    void llama2RejectsTurnsOutOfOrder() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ChatTemplate.LLAMA2.render(
                List.of(ChatMessage.user("a"), ChatMessage.user("b")), true));
        assertTrue(e.getMessage().contains("message 1 is 'user'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ChatTemplate.LLAMA2.render(List.of(ChatMessage.system("s")), true));
    }

    @Test
    void badInput() {
        assertThrows(IllegalArgumentException.class, () -> ChatTemplate.BITNET.render(List.of(), true));
        assertThrows(IllegalArgumentException.class, () -> new ChatMessage(null, "x"));
        assertThrows(IllegalArgumentException.class, () -> new ChatMessage(" ", "x"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ChatTemplate.byName("chatml"));
        assertTrue(e.getMessage().contains("llama3, bitnet, llama2"), e.getMessage());
        assertEquals(ChatTemplate.BITNET, ChatTemplate.byName("BitNet"));
    }

    @Test
    void knownTemplatesAreRecognised() throws IOException {
        String llama3;
        try (GgufFile f = GgufFile.open(VocabCases.gguf("llama-bpe"))) {
            llama3 = f.metadata().getString("tokenizer.chat_template");
        }
        assertEquals(Optional.of(ChatTemplate.LLAMA3), ChatTemplate.recognise(llama3));
        assertEquals(Optional.of(ChatTemplate.BITNET), ChatTemplate.recognise(BITNET_JINJA));
        assertEquals(Optional.of(ChatTemplate.BITNET), ChatTemplate.recognise(
                "{% if message['role'] == 'user' %}{{'Human: ' + message['content'] + '\\n\\nBITNETAssistant: ' + eos_token}}"));
        assertEquals(Optional.of(ChatTemplate.LLAMA2), ChatTemplate.recognise(LLAMA2_JINJA));
        assertEquals(Optional.empty(), ChatTemplate.recognise("{{'<|im_start|>' + message['role'] + '\\n'}}"));
        assertEquals(Optional.empty(), ChatTemplate.recognise("{{ '[INST] ' + message['content'] + ' [/INST]' }}"), "Mistral, not Llama 2");
    }

    @Test
    void withoutATemplateTheFamilyDecides() throws IOException {
        try (GgufFile f = GgufFile.open(Fixtures.require("models/stories260K/stories260K.gguf"))) {
            assertEquals(Optional.of(ChatTemplate.LLAMA2), ChatTemplate.detect(f.metadata()), "SentencePiece LLaMA vocabulary");
        }
        GgufArray llama3Tokens = GgufArray.ofStrings("a", "<|begin_of_text|>", "<|start_header_id|>", "<|eot_id|>");
        GgufMetadata bitnet = new GgufMetadata(Map.of(
                "general.architecture", GgufValue.string("bitnet-25"),
                "tokenizer.ggml.model", GgufValue.string("gpt2"),
                "tokenizer.ggml.tokens", llama3Tokens));
        assertEquals(Optional.of(ChatTemplate.BITNET), ChatTemplate.detect(bitnet));
        GgufMetadata llama = new GgufMetadata(Map.of(
                "general.architecture", GgufValue.string("llama"),
                "tokenizer.ggml.model", GgufValue.string("gpt2"),
                "tokenizer.ggml.tokens", llama3Tokens));
        assertEquals(Optional.of(ChatTemplate.LLAMA3), ChatTemplate.detect(llama));
        GgufMetadata gpt2 = new GgufMetadata(Map.of(
                "tokenizer.ggml.model", GgufValue.string("gpt2"),
                "tokenizer.ggml.tokens", GgufArray.ofStrings("a", "<|endoftext|>")));
        assertEquals(Optional.empty(), ChatTemplate.detect(gpt2));
    }
}
