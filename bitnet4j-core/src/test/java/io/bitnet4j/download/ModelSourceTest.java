package io.bitnet4j.download;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.junit.jupiter.api.Test;

class ModelSourceTest {
    @Test
    void huggingFaceShorthandNamesTheFileOnMain() {
        assertEquals(URI.create("https://huggingface.co/microsoft/bitnet-b1.58-2B-4T-gguf/resolve/main/ggml-model-i2_s.gguf"),
                ModelSource.resolve("hf:microsoft/bitnet-b1.58-2B-4T-gguf/ggml-model-i2_s.gguf"));
        assertEquals(URI.create("https://huggingface.co/o/r/resolve/main/sub/dir/a%20b.gguf"), ModelSource.resolve("hf:o/r/sub/dir/a b.gguf"));
    }

    @Test
    void urlsPassThrough() {
        assertEquals(URI.create("http://127.0.0.1:8080/m.gguf"), ModelSource.resolve(" http://127.0.0.1:8080/m.gguf "));
        assertEquals(URI.create("file:///tmp/m.gguf"), ModelSource.resolve("file:///tmp/m.gguf"));
    }

    @Test
    void badSpecsSayWhatIsAccepted() {
        for (String bad : new String[] {"", "hf:owner/repo", "hf:owner//file", "hf:o/r/dir/", "ftp://h/m.gguf", "model.gguf", "http://"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelSource.resolve(bad), bad);
            assertTrue(e.getMessage().contains("hf:") || e.getMessage().contains("no host"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> ModelSource.resolve(null));
    }

    @Test
    void fileNameIsTheLastPathSegment() {
        assertEquals("ggml-model-i2_s.gguf", ModelSource.fileName(ModelSource.resolve("hf:a/b/c/ggml-model-i2_s.gguf")));
        assertEquals("a b.gguf", ModelSource.fileName(URI.create("https://h/x/a%20b.gguf?download=1")));
        assertThrows(IllegalArgumentException.class, () -> ModelSource.fileName(URI.create("https://h/dir/")));
    }
}
