package salmonrun.activities.model;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Size and hyper-parameters of a Llama-style decoder, with the Hugging Face {@code config.json} field names.
 * Unknown fields of a real HF config (architectures, torch_dtype, ...) are ignored on read.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelConfig(
        @JsonProperty("vocab_size") int vocabSize,
        @JsonProperty("hidden_size") int hiddenSize,
        @JsonProperty("num_hidden_layers") int numHiddenLayers,
        @JsonProperty("num_attention_heads") int numAttentionHeads,
        @JsonProperty("num_key_value_heads") Integer numKeyValueHeads,
        @JsonProperty("intermediate_size") int intermediateSize,
        @JsonProperty("rms_norm_eps") double rmsNormEps,
        @JsonProperty("rope_theta") double ropeTheta,
        @JsonProperty("max_position_embeddings") int maxPositionEmbeddings,
        @JsonProperty("tie_word_embeddings") boolean tieWordEmbeddings,
        @JsonProperty("head_dim") Integer headDim,
        @JsonProperty("bos_token_id") Integer bosTokenId,
        @JsonProperty("eos_token_id") @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
        java.util.List<Integer> eosTokenId,
        @JsonProperty("pad_token_id") Integer padTokenId,
        @JsonProperty("model_type") String modelType,
        @JsonProperty("architectures") java.util.List<String> architectures,
        @JsonProperty("hidden_act") String hiddenAct,
        @JsonProperty("attention_bias") Boolean attentionBias,
        @JsonProperty("mlp_bias") Boolean mlpBias,
        @JsonProperty("rope_scaling") java.util.Map<String, Object> ropeScaling) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public ModelConfig {
        if (numKeyValueHeads == null) {
            numKeyValueHeads = numAttentionHeads; // HF default: plain multi-head attention
        }
        if (headDim == null && numAttentionHeads > 0) {
            headDim = hiddenSize / numAttentionHeads;
        }
        if (hiddenAct == null) {
            hiddenAct = "silu";
        }
        if (modelType == null) {
            modelType = "llama";
        }
        if (architectures == null) {
            architectures = java.util.List.of("LlamaForCausalLM");
        }
        if (rmsNormEps == 0) {
            rmsNormEps = 1e-6;
        }
        if (ropeTheta == 0) {
            ropeTheta = 10000.0;
        }
    }

    /** A small Llama config with the usual defaults (no GQA unless {@code kvHeads < heads}). */
    public static ModelConfig of(int vocab, int hidden, int layers, int heads, int kvHeads, int intermediate,
                                 int maxPositions, boolean tied) {
        return new ModelConfig(vocab, hidden, layers, heads, kvHeads, intermediate, 1e-5, 10000.0, maxPositions, tied,
                null, null, null, null, null, null, null, null, null, null);
    }

    /** The same config with another {@code architectures} entry (e.g. LlamaForSequenceClassification). */
    public ModelConfig withArchitecture(String architecture) {
        return new ModelConfig(vocabSize, hiddenSize, numHiddenLayers, numAttentionHeads, numKeyValueHeads,
                intermediateSize, rmsNormEps, ropeTheta, maxPositionEmbeddings, tieWordEmbeddings, headDim, bosTokenId,
                eosTokenId, padTokenId, modelType, java.util.List.of(architecture), hiddenAct, attentionBias, mlpBias,
                ropeScaling);
    }

    /** The same config with special token ids. */
    public ModelConfig withTokens(Integer bos, Integer eos, Integer pad) {
        return new ModelConfig(vocabSize, hiddenSize, numHiddenLayers, numAttentionHeads, numKeyValueHeads,
                intermediateSize, rmsNormEps, ropeTheta, maxPositionEmbeddings, tieWordEmbeddings, headDim, bos,
                eos == null ? null : java.util.List.of(eos), pad, modelType, architectures, hiddenAct, attentionBias,
                mlpBias, ropeScaling);
    }

    /** Checks the sizes fit together; throws {@link IllegalArgumentException} naming the field. */
    public ModelConfig validate() {
        require(vocabSize > 0, "vocab_size must be > 0");
        require(hiddenSize > 0, "hidden_size must be > 0");
        require(numHiddenLayers > 0, "num_hidden_layers must be > 0");
        require(numAttentionHeads > 0, "num_attention_heads must be > 0");
        require(numKeyValueHeads > 0 && numAttentionHeads % numKeyValueHeads == 0,
                "num_attention_heads (" + numAttentionHeads + ") must be a multiple of num_key_value_heads ("
                        + numKeyValueHeads + ")");
        require(headDim % 2 == 0, "head_dim must be even for rotary embeddings, got " + headDim);
        require(intermediateSize > 0, "intermediate_size must be > 0");
        require(maxPositionEmbeddings > 0, "max_position_embeddings must be > 0");
        require("silu".equals(hiddenAct), "hidden_act " + hiddenAct + " is not supported (only silu)");
        require(!Boolean.TRUE.equals(attentionBias), "attention_bias=true is not supported");
        require(!Boolean.TRUE.equals(mlpBias), "mlp_bias=true is not supported");
        require(ropeScaling == null, "rope_scaling " + ropeScaling + " is not supported (plain RoPE only)");
        return this;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("config.json: " + message);
        }
    }

    /** The first end-of-sequence id, if the config names one. */
    public Integer eosId() {
        return eosTokenId == null || eosTokenId.isEmpty() ? null : eosTokenId.get(0);
    }

    /** Query heads per key/value head (1 = no grouping). */
    public int groups() {
        return numAttentionHeads / numKeyValueHeads;
    }

    /** Number of trainable parameters of the decoder (without a scalar head). */
    public long parameterCount() {
        long h = hiddenSize;
        long q = (long) numAttentionHeads * headDim;
        long kv = (long) numKeyValueHeads * headDim;
        long perLayer = h * q + 2 * h * kv + q * h + 3 * h * intermediateSize + 2 * h;
        long embeddings = (long) vocabSize * h * (tieWordEmbeddings ? 1 : 2);
        return embeddings + numHiddenLayers * perLayer + h;
    }

    /** Reads and validates a {@code config.json}. */
    public static ModelConfig read(Path file) {
        try {
            return JSON.readValue(file.toFile(), ModelConfig.class).validate();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model config " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses a config from JSON text. */
    public static ModelConfig parse(String json) {
        try {
            return JSON.readValue(json, ModelConfig.class).validate();
        } catch (IOException e) {
            throw new IllegalArgumentException("invalid config.json: " + e.getMessage(), e);
        }
    }

    /** The config as HF-style JSON text. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
