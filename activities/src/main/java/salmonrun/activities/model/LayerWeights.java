package salmonrun.activities.model;

import ai.djl.ndarray.NDArray;

/** The weights of one decoder layer, as views of the model's named parameters. */
public record LayerWeights(NDArray inputNorm, NDArray q, NDArray k, NDArray v, NDArray o, NDArray postNorm,
                           NDArray gate, NDArray up, NDArray down) {

    static LayerWeights of(ParameterStore p, int i) {
        String l = "model.layers." + i + ".";
        return new LayerWeights(p.get(l + "input_layernorm.weight"),
                p.get(l + "self_attn.q_proj.weight"), p.get(l + "self_attn.k_proj.weight"),
                p.get(l + "self_attn.v_proj.weight"), p.get(l + "self_attn.o_proj.weight"),
                p.get(l + "post_attention_layernorm.weight"),
                p.get(l + "mlp.gate_proj.weight"), p.get(l + "mlp.up_proj.weight"), p.get(l + "mlp.down_proj.weight"));
    }
}
