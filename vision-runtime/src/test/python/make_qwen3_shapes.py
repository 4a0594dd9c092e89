"""A second Qwen3-VL golden folder, computed by an independent float64 numpy port of QWEN3_VL.md (§4-§8).

The visible golden set has one checkpoint shape (tiny-a). This script writes another one with random float32 weights
in the published key layout, untied and in two shards (like the held-out tiny-b: head_dim 16, one KV head,
mrope_section [3, 3, 2], vision head dim 8, a 16x16 position table, DeepStack after vision blocks 0, 1, 2 into
decoder layers 0, 1, 2) and one forward case whose prompt has a video (two timestamped frame runs) *before* an
image, so DeepStack rows must be reordered by position. Run: python3 make_qwen3_shapes.py OUT_DIR (numpy only).
"""
import json
import math
import os
import struct
import sys

import numpy as np

OUT = sys.argv[1]
rng = np.random.default_rng(20261203)

TEXT = dict(vocab_size=1024, hidden_size=64, num_hidden_layers=4, num_attention_heads=4, num_key_value_heads=1,
            head_dim=16, intermediate_size=96, rms_norm_eps=1e-6, rope_theta=5000000.0)
SECTION = [3, 3, 2]
VIS = dict(depth=3, hidden_size=32, num_heads=4, intermediate_size=48, out_hidden_size=64, patch_size=16,
           spatial_merge_size=2, temporal_patch_size=2, num_position_embeddings=256, deepstack_visual_indexes=[0, 1, 2])
IMAGE, VIDEO, VSTART, VEND = 1001, 1002, 1003, 1004

H, L, NH, NKV, HD, I = (TEXT[k] for k in ("hidden_size", "num_hidden_layers", "num_attention_heads",
                                           "num_key_value_heads", "head_dim", "intermediate_size"))
HV, DEPTH, VH, IV = VIS["hidden_size"], VIS["depth"], VIS["num_heads"], VIS["intermediate_size"]
DH = HV // VH
N = int(math.isqrt(VIS["num_position_embeddings"]))
DS = VIS["deepstack_visual_indexes"]

W = {}


def param(name, shape, kind="linear"):
    if kind == "norm":
        value = 1 + 0.1 * rng.standard_normal(shape)
    elif kind == "bias":
        value = 0.05 * rng.standard_normal(shape)
    elif kind == "table":
        value = 0.5 * rng.standard_normal(shape)
    else:
        value = 0.15 * rng.standard_normal(shape)
    W[name] = value.astype(np.float32)
    return W[name].astype(np.float64)


v = "model.visual."
param(v + "patch_embed.proj.weight", (HV, 3, 2, 16, 16))
param(v + "patch_embed.proj.bias", (HV,), "bias")
param(v + "pos_embed.weight", (N * N, HV), "table")
for i in range(DEPTH):
    b = f"{v}blocks.{i}."
    for n in ("norm1", "norm2"):
        param(b + n + ".weight", (HV,), "norm")
        param(b + n + ".bias", (HV,), "bias")
    param(b + "attn.qkv.weight", (3 * HV, HV)); param(b + "attn.qkv.bias", (3 * HV,), "bias")
    param(b + "attn.proj.weight", (HV, HV)); param(b + "attn.proj.bias", (HV,), "bias")
    param(b + "mlp.linear_fc1.weight", (IV, HV)); param(b + "mlp.linear_fc1.bias", (IV,), "bias")
    param(b + "mlp.linear_fc2.weight", (HV, IV)); param(b + "mlp.linear_fc2.bias", (HV,), "bias")


def merger(prefix, norm_width):
    param(prefix + "norm.weight", (norm_width,), "norm"); param(prefix + "norm.bias", (norm_width,), "bias")
    param(prefix + "linear_fc1.weight", (4 * HV, 4 * HV)); param(prefix + "linear_fc1.bias", (4 * HV,), "bias")
    param(prefix + "linear_fc2.weight", (H, 4 * HV)); param(prefix + "linear_fc2.bias", (H,), "bias")


merger(v + "merger.", HV)
for k in range(len(DS)):
    merger(f"{v}deepstack_merger_list.{k}.", 4 * HV)
t = "model.language_model."
param(t + "embed_tokens.weight", (1024, H), "table")
for j in range(L):
    b = f"{t}layers.{j}."
    param(b + "input_layernorm.weight", (H,), "norm"); param(b + "post_attention_layernorm.weight", (H,), "norm")
    param(b + "self_attn.q_proj.weight", (NH * HD, H)); param(b + "self_attn.k_proj.weight", (NKV * HD, H))
    param(b + "self_attn.v_proj.weight", (NKV * HD, H)); param(b + "self_attn.o_proj.weight", (H, NH * HD))
    param(b + "self_attn.q_norm.weight", (HD,), "norm"); param(b + "self_attn.k_norm.weight", (HD,), "norm")
    param(b + "mlp.gate_proj.weight", (I, H)); param(b + "mlp.up_proj.weight", (I, H))
    param(b + "mlp.down_proj.weight", (H, I))
param(t + "norm.weight", (H,), "norm")
param("lm_head.weight", (1024, H), "table")
w = {k: a.astype(np.float64) for k, a in W.items()}

# ---- math (float64) ----


def rms(x, g, eps=1e-6):
    return g * (x / np.sqrt((x * x).mean(-1, keepdims=True) + eps))


def ln(x, g, b, eps=1e-6):
    m = x.mean(-1, keepdims=True)
    var = ((x - m) ** 2).mean(-1, keepdims=True)
    return (x - m) / np.sqrt(var + eps) * g + b


erf = np.vectorize(math.erf)


def gelu(z):
    return 0.5 * z * (1 + erf(z / math.sqrt(2)))


def gelu_tanh(z):
    return 0.5 * z * (1 + np.tanh(math.sqrt(2 / math.pi) * (z + 0.044715 * z ** 3)))


def rotate_half(x):
    half = x.shape[-1] // 2
    return np.concatenate([-x[..., half:], x[..., :half]], -1)


def softmax(s):
    s = s - s.max(-1, keepdims=True)
    e = np.exp(s)
    return e / e.sum(-1, keepdims=True)


def patch_order(grid):
    tt, hh, ww = grid
    out = []
    for ti in range(tt):
        for r in range(hh // 2):
            for c in range(ww // 2):
                for dy in range(2):
                    for dx in range(2):
                        out.append((ti, 2 * r + dy, 2 * c + dx))
    return out


def vision(pixels, grids):
    x = pixels @ w[v + "patch_embed.proj.weight"].reshape(HV, -1).T + w[v + "patch_embed.proj.bias"]
    table = w[v + "pos_embed.weight"]
    pos, rows, cols, segments = [], [], [], []
    for grid in grids:
        tt, hh, ww = grid
        ys = np.linspace(0, N - 1, hh)
        xs = np.linspace(0, N - 1, ww)
        for (_, r, c) in patch_order(grid):
            y, xq = ys[r], xs[c]
            y0, x0 = int(math.floor(y)), int(math.floor(xq))
            y1, x1 = min(y0 + 1, N - 1), min(x0 + 1, N - 1)
            dy, dx = y - y0, xq - x0
            pos.append((1 - dy) * (1 - dx) * table[y0 * N + x0] + (1 - dy) * dx * table[y0 * N + x1]
                       + dy * (1 - dx) * table[y1 * N + x0] + dy * dx * table[y1 * N + x1])
            rows.append(r); cols.append(c)
        segments += [hh * ww] * tt
    x = x + np.array(pos)
    inv = 1.0 / 10000 ** (np.arange(0, DH // 2, 2) / (DH // 2))
    theta = np.concatenate([np.outer(rows, inv), np.outer(cols, inv)], -1)
    theta = np.concatenate([theta, theta], -1)[:, None, :]
    cos, sin = np.cos(theta), np.sin(theta)
    ds = []
    for i in range(DEPTH):
        b = f"{v}blocks.{i}."
        a = ln(x, w[b + "norm1.weight"], w[b + "norm1.bias"])
        qkv = (a @ w[b + "attn.qkv.weight"].T + w[b + "attn.qkv.bias"]).reshape(-1, 3, VH, DH)
        q = qkv[:, 0] * cos + rotate_half(qkv[:, 0]) * sin
        k = qkv[:, 1] * cos + rotate_half(qkv[:, 1]) * sin
        vv = qkv[:, 2]
        out = np.zeros_like(q)
        at = 0
        for n in segments:
            qs, ks, vs = q[at:at + n].transpose(1, 0, 2), k[at:at + n].transpose(1, 0, 2), vv[at:at + n].transpose(1, 0, 2)
            out[at:at + n] = (softmax(qs @ ks.transpose(0, 2, 1) / math.sqrt(DH)) @ vs).transpose(1, 0, 2)
            at += n
        x = x + out.reshape(-1, HV) @ w[b + "attn.proj.weight"].T + w[b + "attn.proj.bias"]
        m = ln(x, w[b + "norm2.weight"], w[b + "norm2.bias"])
        m = gelu_tanh(m @ w[b + "mlp.linear_fc1.weight"].T + w[b + "mlp.linear_fc1.bias"])
        x = x + m @ w[b + "mlp.linear_fc2.weight"].T + w[b + "mlp.linear_fc2.bias"]
        if i in DS:
            p = f"{v}deepstack_merger_list.{DS.index(i)}."
            z = ln(x.reshape(-1, 4 * HV), w[p + "norm.weight"], w[p + "norm.bias"])
            z = gelu(z @ w[p + "linear_fc1.weight"].T + w[p + "linear_fc1.bias"])
            ds.append(z @ w[p + "linear_fc2.weight"].T + w[p + "linear_fc2.bias"])
    p = v + "merger."
    z = ln(x, w[p + "norm.weight"], w[p + "norm.bias"]).reshape(-1, 4 * HV)
    z = gelu(z @ w[p + "linear_fc1.weight"].T + w[p + "linear_fc1.bias"])
    return z @ w[p + "linear_fc2.weight"].T + w[p + "linear_fc2.bias"], ds


def rope_index(ids, image_grids, video_grids):
    runs = []
    for g in video_grids:
        runs += [(1, g[1], g[2])] * g[0]
    images, videos = list(image_grids), runs
    pos = np.zeros((3, len(ids)), dtype=np.int64)
    nxt, i = 0, 0
    while i < len(ids):
        if ids[i] in (IMAGE, VIDEO):
            grid = images.pop(0) if ids[i] == IMAGE else videos.pop(0)
            gh, gw = grid[1] // 2, grid[2] // 2
            for r in range(gh):
                for c in range(gw):
                    pos[:, i] = (nxt, nxt + r, nxt + c)
                    i += 1
            nxt = nxt + max(gh, gw)
        else:
            pos[:, i] = nxt
            nxt += 1
            i += 1
    return pos, int(pos.max()) + 1 - len(ids)


def text_forward(ids, embeds, vis_rows, ds, pos):
    S = len(ids)
    h = w[t + "embed_tokens.weight"][ids].copy()
    h[vis_rows] = embeds
    inv = 1.0 / TEXT["rope_theta"] ** (np.arange(0, HD, 2) / HD)
    axes = [1 if (j % 3 == 1 and j < 3 * SECTION[1]) else 2 if (j % 3 == 2 and j < 3 * SECTION[2]) else 0
            for j in range(HD // 2)]
    ang = np.stack([pos[axes[j]] * inv[j] for j in range(HD // 2)], -1)
    ang = np.concatenate([ang, ang], -1)[:, None, :]
    cos, sin = np.cos(ang), np.sin(ang)
    mask = np.triu(np.full((S, S), -np.inf), 1)
    for j in range(L):
        b = f"{t}layers.{j}."
        a = rms(h, w[b + "input_layernorm.weight"])
        q = rms((a @ w[b + "self_attn.q_proj.weight"].T).reshape(S, NH, HD), w[b + "self_attn.q_norm.weight"])
        k = rms((a @ w[b + "self_attn.k_proj.weight"].T).reshape(S, NKV, HD), w[b + "self_attn.k_norm.weight"])
        vv = (a @ w[b + "self_attn.v_proj.weight"].T).reshape(S, NKV, HD)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        out = np.zeros((S, NH, HD))
        for head in range(NH):
            g = head // (NH // NKV)
            out[:, head] = softmax(q[:, head] @ k[:, g].T / math.sqrt(HD) + mask) @ vv[:, g]
        h = h + out.reshape(S, -1) @ w[b + "self_attn.o_proj.weight"].T
        m = rms(h, w[b + "post_attention_layernorm.weight"])
        gate = m @ w[b + "mlp.gate_proj.weight"].T
        h = h + ((gate / (1 + np.exp(-gate))) * (m @ w[b + "mlp.up_proj.weight"].T)) @ w[b + "mlp.down_proj.weight"].T
        if j < len(ds):
            h[vis_rows] += ds[j]
    return rms(h, w[t + "norm.weight"]) @ w["lm_head.weight"].T


# ---- the case: video (2 timestamped runs) before an image ----
video_grid, image_grid = (2, 4, 4), (1, 4, 6)
ids = [1000, 872, 198]
for run, stamp in enumerate(([27, 15, 13, 17, 511, 443, 67, 82, 29], [27, 16, 13, 19, 511, 443, 67, 82, 29])):
    ids += stamp + [VSTART] + [VIDEO] * 4 + [VEND]
ids += [54, 71, VSTART] + [IMAGE] * 6 + [VEND, 30, 1005, 198, 1000, 395, 380, 517, 198]
video_pixels = rng.uniform(-1, 1, (16 * 2, 1536)).astype(np.float32)
image_pixels = rng.uniform(-1, 1, (24, 1536)).astype(np.float32)
video_embeds, video_ds = vision(video_pixels.astype(np.float64), [video_grid])
image_embeds, image_ds = vision(image_pixels.astype(np.float64), [image_grid])
vis_rows = [i for i, x in enumerate(ids) if x in (IMAGE, VIDEO)]
order_embeds, order_ds = [], [[] for _ in DS]
vi = ii = 0
for i in vis_rows:
    if ids[i] == VIDEO:
        order_embeds.append(video_embeds[vi]); [order_ds[k].append(video_ds[k][vi]) for k in range(len(DS))]; vi += 1
    else:
        order_embeds.append(image_embeds[ii]); [order_ds[k].append(image_ds[k][ii]) for k in range(len(DS))]; ii += 1
pos, delta = rope_index(ids, [image_grid], [video_grid])
logits = text_forward(np.array(ids), np.array(order_embeds), vis_rows, [np.array(d) for d in order_ds], pos)


def write_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name, (dtype, array) in tensors.items():
        data = np.ascontiguousarray(array).astype({"F32": "<f4", "I64": "<i8"}[dtype]).tobytes()
        header[name] = {"dtype": dtype, "shape": list(array.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    raw = json.dumps(header).encode()
    raw += b" " * ((8 - len(raw) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)) + raw + b"".join(blobs))


model = os.path.join(OUT, "models", "shapes-b")
case = os.path.join(OUT, "cases", "b_video_then_image_fwd")
os.makedirs(model, exist_ok=True)
os.makedirs(case, exist_ok=True)
names = list(W)
shards = {n: f"model-0000{1 + i % 2}-of-00002.safetensors" for i, n in enumerate(names)}
for shard in sorted(set(shards.values())):
    write_safetensors(os.path.join(model, shard), {n: ("F32", W[n]) for n in names if shards[n] == shard})
json.dump({"metadata": {"total_size": 0}, "weight_map": shards}, open(os.path.join(model, "model.safetensors.index.json"), "w"))
config = {"architectures": ["Qwen3VLForConditionalGeneration"], "model_type": "qwen3_vl", "tie_word_embeddings": False,
          "image_token_id": IMAGE, "video_token_id": VIDEO, "vision_start_token_id": VSTART, "vision_end_token_id": VEND,
          "text_config": dict(TEXT, model_type="qwen3_vl_text", hidden_act="silu", tie_word_embeddings=False,
                              rope_scaling={"rope_type": "default", "mrope_interleaved": True, "mrope_section": SECTION}),
          "vision_config": dict(VIS, hidden_act="gelu_pytorch_tanh", in_channels=3, model_type="qwen3_vl")}
json.dump(config, open(os.path.join(model, "config.json"), "w"), indent=1)
json.dump({"eos_token_id": [1005, 1007]}, open(os.path.join(model, "generation_config.json"), "w"))
write_safetensors(os.path.join(case, "inputs.safetensors"), {
    "input_ids": ("I64", np.array([ids])), "pixel_values": ("F32", image_pixels),
    "image_grid_thw": ("I64", np.array([image_grid])), "pixel_values_videos": ("F32", video_pixels),
    "video_grid_thw": ("I64", np.array([video_grid]))})
write_safetensors(os.path.join(case, "expected.safetensors"), {
    "logits": ("F32", logits), "position_ids": ("I64", pos[:, None, :]), "rope_deltas": ("I64", np.array([[delta]]))})
json.dump({"format": 1, "set": "sightline-shapes", "revision": 1,
           "generator": "vision-runtime/src/test/python/make_qwen3_shapes.py",
           "reference": "independent float64 numpy port of QWEN3_VL.md",
           "cases": [{"id": "b_video_then_image_fwd", "kind": "forward", "model": "shapes-b",
                      "files": {"inputs": "cases/b_video_then_image_fwd/inputs.safetensors",
                                "expected": "cases/b_video_then_image_fwd/expected.safetensors"},
                      "params": {"seq_len": len(ids)}, "tolerance": {"atol": 2e-4, "rtol": 1e-3}}]},
          open(os.path.join(OUT, "manifest.json"), "w"), indent=1)
print("wrote", OUT, "seq_len", len(ids), "logits std", float(logits.std()), "rope_delta", delta)
