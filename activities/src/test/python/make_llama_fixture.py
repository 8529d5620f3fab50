#!/usr/bin/env python3
"""Writes a small Hugging Face-format Llama checkpoint and the logits a LlamaForCausalLM would give for it.

transformers is not installable here (no PyPI), so the forward pass below is an independent transcription of
transformers' modeling_llama.py (LlamaRMSNorm, LlamaRotaryEmbedding with rotate_half, repeat_kv, eager causal
attention, LlamaMLP) in plain torch, run in float64 for a tight reference. The checkpoint is written the way
transformers' save_pretrained(max_shard_size=...) writes a bf16 model: two safetensors shards with HF tensor
names, dtype BF16, and model.safetensors.index.json. Not part of the Maven build:

    python3 activities/src/test/python/make_llama_fixture.py activities/src/test/resources/hf-llama-fixture
"""
import json
import os
import struct
import sys

import torch

CONFIG = {
    "architectures": ["LlamaForCausalLM"],
    "model_type": "llama",
    "vocab_size": 96,
    "hidden_size": 48,
    "intermediate_size": 80,
    "num_hidden_layers": 2,
    "num_attention_heads": 6,
    "num_key_value_heads": 2,
    "head_dim": 8,
    "hidden_act": "silu",
    "max_position_embeddings": 64,
    "rms_norm_eps": 1e-6,
    "rope_theta": 500.0,
    "tie_word_embeddings": False,
    "attention_bias": False,
    "mlp_bias": False,
    "torch_dtype": "bfloat16",
    "bos_token_id": 1,
    "eos_token_id": 2,
    "initializer_range": 0.02,
    "transformers_version": "4.46.0",
}
TOKENS = [[1, 17, 42, 5, 93, 60, 8, 8, 31, 77, 2], [1, 3, 4, 88, 12, 45, 67, 70, 9, 10, 11]]


def weights(c):
    g = torch.Generator().manual_seed(1234)
    h, i, hd = c["hidden_size"], c["intermediate_size"], c["head_dim"]
    q, kv = c["num_attention_heads"] * hd, c["num_key_value_heads"] * hd
    w = {"model.embed_tokens.weight": torch.randn(c["vocab_size"], h, generator=g) * 0.5}
    for l in range(c["num_hidden_layers"]):
        p = f"model.layers.{l}."
        w[p + "input_layernorm.weight"] = 1 + 0.2 * torch.randn(h, generator=g)
        w[p + "self_attn.q_proj.weight"] = torch.randn(q, h, generator=g) * 0.2
        w[p + "self_attn.k_proj.weight"] = torch.randn(kv, h, generator=g) * 0.2
        w[p + "self_attn.v_proj.weight"] = torch.randn(kv, h, generator=g) * 0.2
        w[p + "self_attn.o_proj.weight"] = torch.randn(h, q, generator=g) * 0.2
        w[p + "post_attention_layernorm.weight"] = 1 + 0.2 * torch.randn(h, generator=g)
        w[p + "mlp.gate_proj.weight"] = torch.randn(i, h, generator=g) * 0.2
        w[p + "mlp.up_proj.weight"] = torch.randn(i, h, generator=g) * 0.2
        w[p + "mlp.down_proj.weight"] = torch.randn(h, i, generator=g) * 0.2
    w["model.norm.weight"] = 1 + 0.2 * torch.randn(h, generator=g)
    w["lm_head.weight"] = torch.randn(c["vocab_size"], h, generator=g) * 0.2
    return {k: v.to(torch.bfloat16) for k, v in w.items()}


def rms_norm(x, weight, eps):                      # LlamaRMSNorm
    variance = x.pow(2).mean(-1, keepdim=True)
    return weight * (x * torch.rsqrt(variance + eps))


def rotate_half(x):
    x1, x2 = x[..., : x.shape[-1] // 2], x[..., x.shape[-1] // 2:]
    return torch.cat((-x2, x1), dim=-1)


def forward(c, w, tokens):                         # LlamaForCausalLM.forward, eager attention, no padding
    w = {k: v.to(torch.float64) for k, v in w.items()}
    ids = torch.tensor(tokens)
    b, t = ids.shape
    hd, nh, nkv = c["head_dim"], c["num_attention_heads"], c["num_key_value_heads"]
    inv_freq = 1.0 / (c["rope_theta"] ** (torch.arange(0, hd, 2, dtype=torch.int64).float() / hd))
    pos = torch.arange(t).float()
    freqs = torch.outer(pos, inv_freq)             # HF: float32 inv_freq @ float32 positions
    emb = torch.cat((freqs, freqs), dim=-1)
    cos, sin = emb.cos().double()[None, None], emb.sin().double()[None, None]
    mask = torch.full((t, t), float("-inf"), dtype=torch.float64).triu(1)
    x = w["model.embed_tokens.weight"][ids]
    for l in range(c["num_hidden_layers"]):
        p = f"model.layers.{l}."
        hN = rms_norm(x, w[p + "input_layernorm.weight"], c["rms_norm_eps"])
        q = (hN @ w[p + "self_attn.q_proj.weight"].T).view(b, t, nh, hd).transpose(1, 2)
        k = (hN @ w[p + "self_attn.k_proj.weight"].T).view(b, t, nkv, hd).transpose(1, 2)
        v = (hN @ w[p + "self_attn.v_proj.weight"].T).view(b, t, nkv, hd).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        k = k.repeat_interleave(nh // nkv, dim=1)  # repeat_kv
        v = v.repeat_interleave(nh // nkv, dim=1)
        scores = q @ k.transpose(2, 3) / hd ** 0.5 + mask
        attn = torch.softmax(scores, dim=-1) @ v
        x = x + attn.transpose(1, 2).reshape(b, t, nh * hd) @ w[p + "self_attn.o_proj.weight"].T
        hN = rms_norm(x, w[p + "post_attention_layernorm.weight"], c["rms_norm_eps"])
        gate = hN @ w[p + "mlp.gate_proj.weight"].T
        up = hN @ w[p + "mlp.up_proj.weight"].T
        x = x + (torch.nn.functional.silu(gate) * up) @ w[p + "mlp.down_proj.weight"].T
    x = rms_norm(x, w["model.norm.weight"], c["rms_norm_eps"])
    return x @ w["lm_head.weight"].T


def write_safetensors(path, tensors):
    header, offset, blobs = {"__metadata__": {"format": "pt"}}, 0, []
    for name, t in tensors.items():
        raw = t.contiguous().view(torch.int16).numpy().tobytes()   # bf16 bits, little endian
        header[name] = {"dtype": "BF16", "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
        blobs.append(raw)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for raw in blobs:
            f.write(raw)


def main(out):
    os.makedirs(out, exist_ok=True)
    w = weights(CONFIG)
    names = list(w)
    shards = {"model-00001-of-00002.safetensors": names[: len(names) // 2],
              "model-00002-of-00002.safetensors": names[len(names) // 2:]}
    weight_map = {}
    for shard, keys in shards.items():
        write_safetensors(os.path.join(out, shard), {k: w[k] for k in keys})
        weight_map.update({k: shard for k in keys})
    total = sum(v.numel() * 2 for v in w.values())
    with open(os.path.join(out, "model.safetensors.index.json"), "w") as f:
        json.dump({"metadata": {"total_size": total}, "weight_map": weight_map}, f, indent=2)
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump(CONFIG, f, indent=2)
    logits = forward(CONFIG, w, TOKENS)
    with open(os.path.join(out, "expected_logits.json"), "w") as f:
        json.dump({"tokens": TOKENS, "shape": list(logits.shape),
                   "logits": [round(v, 6) for v in logits.flatten().tolist()]}, f)
    print("wrote", out, "logits", tuple(logits.shape), "torch", torch.__version__)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "hf-llama-fixture")
