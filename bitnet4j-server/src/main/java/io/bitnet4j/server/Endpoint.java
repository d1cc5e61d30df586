package io.bitnet4j.server;

/** The two generation endpoints, which differ in how the prompt is given and how the answer is shaped. */
enum Endpoint {
    /** {@code POST /v1/chat/completions}: messages in, an assistant message (or deltas) out. */
    CHAT("chatcmpl-", "chat.completion", "chat.completion.chunk"),
    /** {@code POST /v1/completions}: a prompt in, its continuation out. */
    TEXT("cmpl-", "text_completion", "text_completion");

    final String idPrefix;
    final String object;
    final String chunkObject;

    Endpoint(String idPrefix, String object, String chunkObject) {
        this.idPrefix = idPrefix;
        this.object = object;
        this.chunkObject = chunkObject;
    }
}
