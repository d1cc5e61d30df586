package io.bitnet4j.generate;

/**
 * How a {@link Sampler} picks the next token. The defaults are llama.cpp's ({@code common_params_sampling}).
 *
 * @param temperature logits are divided by it before the draw; 0 means greedy (argmax), ≥ 0
 * @param topK keep the {@code topK} most likely tokens; 0 turns the filter off, ≥ 0
 * @param topP nucleus: keep the most likely tokens until their probability sums to {@code topP}; in (0, 1], 1 is off
 * @param minP keep tokens whose probability is at least {@code minP} times the top one's; in [0, 1], 0 is off
 * @param repeatPenalty for tokens among the last {@code repeatLastN}: positive logits are divided by it,
 *        negative ones multiplied; {@code > 0}, 1 is off
 * @param repeatLastN how many recent tokens the penalties look at, ≥ 0 (0 turns the penalties off)
 * @param frequencyPenalty subtracted from a recent token's logit once per occurrence; finite, 0 is off
 * @param presencePenalty subtracted once from the logit of any recent token; finite, 0 is off
 * @param seed seeds the random draw: the same seed, logits and accepted tokens give the same choices
 */
public record SamplerConfig(float temperature, int topK, float topP, float minP, float repeatPenalty, int repeatLastN,
                            float frequencyPenalty, float presencePenalty, long seed) {

    public SamplerConfig {
        require(Float.isFinite(temperature) && temperature >= 0, "temperature", temperature, "a finite number ≥ 0");
        require(topK >= 0, "topK", topK, "≥ 0 (0 = off)");
        require(topP > 0 && topP <= 1, "topP", topP, "in (0, 1]");
        require(minP >= 0 && minP <= 1, "minP", minP, "in [0, 1]");
        require(Float.isFinite(repeatPenalty) && repeatPenalty > 0, "repeatPenalty", repeatPenalty, "a finite number > 0");
        require(repeatLastN >= 0, "repeatLastN", repeatLastN, "≥ 0");
        require(Float.isFinite(frequencyPenalty), "frequencyPenalty", frequencyPenalty, "finite");
        require(Float.isFinite(presencePenalty), "presencePenalty", presencePenalty, "finite");
    }

    private static void require(boolean ok, String name, Object value, String rule) {
        if (!ok) {
            throw new IllegalArgumentException("sampler " + name + " is " + value + "; it must be " + rule);
        }
    }

    /** llama.cpp's defaults: temperature 0.8, top-k 40, top-p 0.95, min-p 0.05, no penalties (last 64), seed 0. */
    public static SamplerConfig defaults() {
        return new SamplerConfig(0.8f, 40, 0.95f, 0.05f, 1.0f, 64, 0f, 0f, 0L);
    }

    /** Always the most likely token (temperature 0, no penalties). */
    public static SamplerConfig greedy() {
        return defaults().withTemperature(0f);
    }

    public SamplerConfig withTemperature(float t) {
        return new SamplerConfig(t, topK, topP, minP, repeatPenalty, repeatLastN, frequencyPenalty, presencePenalty, seed);
    }

    public SamplerConfig withTopK(int k) {
        return new SamplerConfig(temperature, k, topP, minP, repeatPenalty, repeatLastN, frequencyPenalty, presencePenalty, seed);
    }

    public SamplerConfig withTopP(float p) {
        return new SamplerConfig(temperature, topK, p, minP, repeatPenalty, repeatLastN, frequencyPenalty, presencePenalty, seed);
    }

    public SamplerConfig withMinP(float p) {
        return new SamplerConfig(temperature, topK, topP, p, repeatPenalty, repeatLastN, frequencyPenalty, presencePenalty, seed);
    }

    /** The repetition penalty and the window it looks at. */
    public SamplerConfig withRepeatPenalty(float penalty, int lastN) {
        return new SamplerConfig(temperature, topK, topP, minP, penalty, lastN, frequencyPenalty, presencePenalty, seed);
    }

    public SamplerConfig withFrequencyAndPresencePenalty(float frequency, float presence) {
        return new SamplerConfig(temperature, topK, topP, minP, repeatPenalty, repeatLastN, frequency, presence, seed);
    }

    public SamplerConfig withSeed(long s) {
        return new SamplerConfig(temperature, topK, topP, minP, repeatPenalty, repeatLastN, frequencyPenalty, presencePenalty, s);
    }

    /** Whether any penalty changes logits. */
    public boolean penalizes() {
        return repeatLastN > 0 && (repeatPenalty != 1f || frequencyPenalty != 0f || presencePenalty != 0f);
    }
}
