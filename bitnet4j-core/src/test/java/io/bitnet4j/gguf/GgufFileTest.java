package io.bitnet4j.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The open file's lifecycle and lookups. */
class GgufFileTest {
    @TempDir
    Path dir;

    @Test
    void versionTwoHasTheSameLayoutAndIsRead() throws IOException {
        Path p = dir.resolve("v2.gguf");
        Files.write(p, TinyGguf.putU32(TinyGguf.bytes(dir), 4, 2));
        try (GgufFile f = GgufFile.open(p)) {
            assertEquals(2, f.version());
            assertEquals(3, f.tensors().size());
            assertEquals(7, f.metadata().getInt("k.aaa"));
        }
    }

    @Test
    void tensorsAreMappedSlicesThatDieWithTheFile() throws IOException {
        Path p = dir.resolve("tiny.gguf");
        TinyGguf.bytes(dir);
        GgufFile f = GgufFile.open(p);
        GgufTensor qb = f.tensor(TinyGguf.QB);
        assertEquals(GgmlType.Q8_0, qb.type());
        assertEquals(32, qb.nElements());
        assertEquals(34, qb.byteSize());
        assertTrue(qb.data().isMapped() && qb.data().isReadOnly());
        assertArrayEquals(TinyGguf.filled(34, 2), qb.data().toArray(ValueLayout.JAVA_BYTE));
        assertEquals(Optional.empty(), f.findTensor("nope"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> f.tensor("nope")).getMessage().contains("no tensor 'nope'"));
        f.close();
        f.close();
        assertThrows(IllegalStateException.class, () -> qb.data().get(ValueLayout.JAVA_BYTE, 0));
    }
}
