package io.bitnet4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bitnet4j.gguf.GgmlType;
import io.bitnet4j.gguf.GgufValue;
import io.bitnet4j.gguf.GgufWriter;
import io.bitnet4j.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code inspect}: the text report, the JSON document, and one-line errors for bad files. */
class InspectCommandTest {
    @TempDir
    Path dir;

    @Test
    void textReportShowsMetadataTensorsAndTotals() {
        Path model = Fixtures.require("models/stories260K/stories260K.gguf");
        MainTest.Result r = MainTest.run("inspect", model.toString());
        assertEquals(0, r.code(), r.err());
        String out = r.out();
        assertTrue(out.contains("GGUF v3"), out);
        assertTrue(out.contains("metadata (19 keys)"), out);
        assertTrue(out.matches("(?s).*tokenizer\\.ggml\\.tokens +ARRAY\\[STRING] +512: \"<unk>\", \"<s>\", \"</s>\", .*, …\n.*"), out);
        assertTrue(out.matches("(?s).*tokenizer\\.ggml\\.seperator_token_id +UINT32 +4294967295\n.*"), out);
        assertTrue(out.matches("(?s).*token_embd\\.weight +F32 +64 x 512 +131,072 +0\n.*"), out);
        assertTrue(out.contains("total: 48 tensors"), out);
        assertTrue(out.matches("(?s).*\n  F32 +48 tensors .* 32\\.0000 bits per weight\n.*"), out);
    }

    @Test
    void longStringsAreCut() {
        Path vocab = Fixtures.require("tokenizers/ggml-vocab-llama-bpe.gguf");
        MainTest.Result r = MainTest.run("inspect", vocab.toString());
        assertEquals(0, r.code(), r.err());
        String template = r.out().lines().filter(l -> l.contains("tokenizer.chat_template")).findFirst().orElseThrow();
        assertTrue(template.matches(".*… \\(\\d+ chars\\)"), template);
        assertTrue(template.length() < 200, template);
        assertTrue(r.out().contains("128256: "), "array length shown");
        assertTrue(r.out().contains("total: 0 tensors, 0 parameters, 0 bytes"), r.out());
    }

    @Test
    void jsonIsOneParsableDocument() throws IOException {
        Path model = Fixtures.require("models/bitnet-i2s-tiny/bitnet-tiny-b158-i2s.gguf");
        MainTest.Result r = MainTest.run("inspect", "--json", model.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertEquals(3, doc.get("version").asInt());
        assertEquals("bitnet-b1.58", doc.at("/metadata/general.architecture/value").asText());
        assertEquals(512, doc.at("/metadata/tokenizer.ggml.tokens/length").asInt());
        assertEquals(InspectCommand.ARRAY_PREVIEW, doc.at("/metadata/tokenizer.ggml.tokens/first").size());
        assertEquals(46, doc.get("tensors").size());
        long params = 0;
        long i2sBytes = 0;
        long i2sParams = 0;
        for (JsonNode t : doc.get("tensors")) {
            long n = 1;
            for (JsonNode d : t.get("shape")) {
                n *= d.asLong();
            }
            assertEquals(n, t.get("elements").asLong());
            params += n;
            if (t.get("typeId").asInt() == GgmlType.I2_S.id()) {
                assertEquals(n / 4 + 32, t.get("bytes").asLong(), t.get("name").asText());
                i2sBytes += t.get("bytes").asLong();
                i2sParams += n;
            }
        }
        assertEquals(params, doc.at("/totals/parameters").asLong());
        assertEquals(28, doc.at("/byType/I2_S/tensors").asInt());
        assertEquals(8.0 * i2sBytes / i2sParams, doc.at("/byType/I2_S/bitsPerWeight").asDouble(), 1e-12);
        assertTrue(doc.at("/byType/I2_S/bitsPerWeight").asDouble() > 2.0, "the 32-byte trailers count");
    }

    @Test
    void jsonKeepsExtremeValuesExactAndValid() throws IOException {
        Path p = dir.resolve("x.gguf");
        try (GgufWriter w = GgufWriter.create(p)) {
            w.put("nan", GgufValue.f32(Float.NaN)).put("max", GgufValue.u64(-1)).put("s", GgufValue.string("a\"b\n"));
            w.addTensor("t", GgmlType.F16, 4).writeTensor("t", new byte[8]);
            w.finish();
        }
        MainTest.Result r = MainTest.run("inspect", "--json", p.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertEquals("NaN", doc.at("/metadata/nan/value").asText());
        assertEquals("18446744073709551615", doc.at("/metadata/max/value").bigIntegerValue().toString());
        assertEquals("a\"b\n", doc.at("/metadata/s/value").asText());
        assertEquals(16.0, doc.at("/byType/F16/bitsPerWeight").asDouble());
    }

    @Test
    void malformedFilesGiveOneLineNamingFieldAndOffset() throws IOException {
        Path garbage = dir.resolve("garbage.gguf");
        Files.writeString(garbage, "GGML and then some");
        MainTest.Result r = MainTest.run("inspect", garbage.toString());
        assertEquals(1, r.code());
        assertEquals("bitnet4j inspect: not a GGUF file: magic at byte 0 is 'GGML', expected 'GGUF'", r.err().strip());

        Path truncated = dir.resolve("truncated.gguf");
        byte[] good = Files.readAllBytes(Fixtures.require("models/stories260K/stories260K.gguf"));
        Files.write(truncated, java.util.Arrays.copyOf(good, 5000));
        r = MainTest.run("inspect", "--json", truncated.toString());
        assertEquals(1, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("at byte") && r.err().contains("truncated"), r.err());
        assertFalse(r.err().contains("Exception"), r.err());

        r = MainTest.run("inspect", dir.resolve("absent.gguf").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("absent.gguf: no such file"), r.err());
    }
}
