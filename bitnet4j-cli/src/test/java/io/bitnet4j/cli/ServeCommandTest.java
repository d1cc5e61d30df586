package io.bitnet4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code serve}'s option errors: one clear line and exit code 1, before the model is loaded. */
class ServeCommandTest {

    /** A model path that does not exist: the options must be refused before it is looked at (and no server can start). */
    private static String model() {
        return "/nonexistent/model.gguf";
    }

    @Test
    void badOptionsAreOneLine() {
        MainTest.Result parallel = MainTest.run("serve", "-m", model(), "--parallel", "0");
        assertEquals(1, parallel.code());
        assertTrue(parallel.err().contains("bitnet4j serve: parallel 0 must be 1..256"), parallel.err());
        MainTest.Result template = MainTest.run("serve", "-m", model(), "--chat-template", "nope");
        assertEquals(1, template.code());
        assertTrue(template.err().startsWith("bitnet4j serve: "), template.err());
        MainTest.Result key = MainTest.run("serve", "-m", model(), "--api-key", " ");
        assertEquals(1, key.code());
        assertTrue(key.err().contains("API key is blank"), key.err());
    }

    @Test
    void theModelIdIsTheFileName() {
        assertEquals("stories260K", ServeCommand.modelId(Path.of("/x/stories260K.gguf")));
        assertEquals("model.bin", ServeCommand.modelId(Path.of("model.bin")));
    }
}
