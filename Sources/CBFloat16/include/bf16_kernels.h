#pragma once
#include <stdint.h>

/// 1 when this CPU has AVX512_BF16 (vdpbf16ps) and the OS saves the zmm registers, else 0.
int facelive_has_avx512_bf16(void);

/// Rounds `count` floats to bfloat16, to nearest even. Only when facelive_has_avx512_bf16().
void facelive_bf16_round(const float *src, uint16_t *dst, long count);

/// One register tile of a bf16 GEMM (bf16 products, fp32 sums), `vectors` (1–3) × 16 output columns by 6 rows:
/// out[r][j] = (accumulate ? out[r][j] : bias[j]) + Σ_p rows[r][offsets[p]] · panel[p][j], each term a pair of
/// bf16 products (rows[r][o] holds two consecutive patch elements; panel[p][j] the matching two weights, the panel
/// `[pairs × 16·vectors × 2]`). Only rows r < store_rows are written (the others may repeat a row). Only when
/// facelive_has_avx512_bf16().
void facelive_bf16_tile(int vectors, const uint32_t *const rows[6], const int32_t *offsets, long pairs,
                        const uint16_t *panel, const float *bias, float *const out[6], int accumulate, int store_rows);

/// Weight gradients in bf16: rows `p` and `p + 1` of `a` (`pixels × lda` floats), columns `0..<width` (a multiple of
/// 16), rounded to bf16 and interleaved: dst[(p/2)·2·width + 2j + i] = a[(p + i)·lda + j], zero for j ≥ `columns`
/// (not read there) and for the missing partner of an odd last row. Only when facelive_has_avx512_bf16().
void facelive_bf16_pack_pixel_pairs(const float *a, long lda, long pixels, long columns, long width, uint16_t *dst);

/// The same pixel-pair layout from values already in bf16, gathered: element j of pixel p is rows[p][offsets[j]]
/// (a convolution's patches read in place from its bf16 padded input, no im2col): dst[(p/2)·2·width + 2j + i] =
/// rows[p + i][offsets[j]], zero for j ≥ `columns` and for the missing partner of an odd last pixel. Runs of 16
/// consecutive offsets move as vectors. Only when facelive_has_avx512_bf16().
void facelive_bf16_pack_gathered_pixel_pairs(const uint16_t *const *rows, const int32_t *offsets, long pixels,
                                             long columns, long width, uint16_t *dst);

/// out[r·ldo + j] += Σ_q gradient[q·ldg + r] · patches[q][j] for r < 6 and j < 16·vectors (1–3 vectors) over `pairs`
/// pixel pairs, bf16 products and fp32 sums: a tile of dWᵀ from two pixel-pair packings (gradient[q·ldg + r] holds
/// channel r's gradient at pixels 2q and 2q + 1; patches[q] is `16·vectors` such pairs). Only when
/// facelive_has_avx512_bf16().
void facelive_bf16_gradient_tile(int vectors, const uint32_t *gradient, long ldg, const uint16_t *patches, long pairs,
                                 float *out, long ldo);

/// dst[i·ldd + c] += src[c·lds + i] for i < rows, c < cols: adds a transposed fp32 matrix (a weight-gradient tile
/// layout `[cols × rows]` into `[rows × cols]`), 16 columns of a destination row per gathered vector. Needs only
/// AVX-512F: callable wherever facelive's AVX-512 build runs.
void facelive_add_transposed(const float *src, long lds, long rows, long cols, float *dst, long ldd);
