#include "bf16_kernels.h"

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>

int facelive_has_avx512_bf16(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 27))) return 0;  // OSXSAVE
    unsigned lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    if ((lo & 0xE6) != 0xE6) return 0;  // the OS saves ymm, zmm and mask state
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d) || !(b & (1u << 16))) return 0;  // AVX512F
    if (!__get_cpuid_count(7, 1, &a, &b, &c, &d)) return 0;
    return (a >> 5) & 1;  // AVX512_BF16
}

#define BF16 __attribute__((target("avx512f,avx512bf16")))

static inline uint16_t round_one(float x) {
    union { float f; uint32_t u; } v = {x};
    if ((v.u & 0x7FFFFFFF) > 0x7F800000) return (uint16_t)((v.u >> 16) | 0x40);  // NaN stays NaN
    return (uint16_t)((v.u + 0x7FFF + ((v.u >> 16) & 1)) >> 16);
}

BF16 void facelive_bf16_round(const float *src, uint16_t *dst, long count) {
    long i = 0;
    for (; i + 32 <= count; i += 32) {
        __m512bh v = _mm512_cvtne2ps_pbh(_mm512_loadu_ps(src + i + 16), _mm512_loadu_ps(src + i));
        _mm512_storeu_si512(dst + i, (__m512i)v);
    }
    for (; i < count; i++) dst[i] = round_one(src[i]);
}

// Spelled once for 1–3 vectors; always inlined with a constant count so the accumulators stay in registers.
static inline __attribute__((always_inline)) BF16 void tile(
    const int vectors, const uint32_t *const rows[6], const int32_t *offsets, long pairs, const uint16_t *panel,
    const float *bias, float *const out[6], int accumulate, int store_rows) {
    __m512 acc[6][3];
    for (int r = 0; r < 6; r++)
        for (int v = 0; v < vectors; v++)
            acc[r][v] = _mm512_loadu_ps((accumulate ? out[r] : bias) + 16 * v);
    const uint32_t *r0 = rows[0], *r1 = rows[1], *r2 = rows[2], *r3 = rows[3], *r4 = rows[4], *r5 = rows[5];
    for (long p = 0; p < pairs; p++) {
        const int32_t o = offsets[p];
        __m512bh w[3];
        for (int v = 0; v < vectors; v++) w[v] = (__m512bh)_mm512_loadu_si512(panel + 32 * v);
        panel += 32 * vectors;
        const uint32_t x[6] = {r0[o], r1[o], r2[o], r3[o], r4[o], r5[o]};
        for (int r = 0; r < 6; r++) {
            __m512bh broadcast = (__m512bh)_mm512_set1_epi32((int)x[r]);
            for (int v = 0; v < vectors; v++) acc[r][v] = _mm512_dpbf16_ps(acc[r][v], broadcast, w[v]);
        }
    }
    // A constant trip count keeps every index static, so the accumulators never leave the registers.
    for (int r = 0; r < 6; r++)
        if (r < store_rows)
            for (int v = 0; v < vectors; v++) _mm512_storeu_ps(out[r] + 16 * v, acc[r][v]);
}

BF16 void facelive_bf16_tile(int vectors, const uint32_t *const rows[6], const int32_t *offsets, long pairs,
                             const uint16_t *panel, const float *bias, float *const out[6], int accumulate,
                             int store_rows) {
    switch (vectors) {
    case 1: tile(1, rows, offsets, pairs, panel, bias, out, accumulate, store_rows); break;
    case 2: tile(2, rows, offsets, pairs, panel, bias, out, accumulate, store_rows); break;
    default: tile(3, rows, offsets, pairs, panel, bias, out, accumulate, store_rows); break;
    }
}
BF16 void facelive_bf16_pack_pixel_pairs(const float *a, long lda, long pixels, long columns, long width,
                                         uint16_t *dst) {
    const __m512i interleave = _mm512_set_epi16(31, 15, 30, 14, 29, 13, 28, 12, 27, 11, 26, 10, 25, 9, 24, 8,
                                                23, 7, 22, 6, 21, 5, 20, 4, 19, 3, 18, 2, 17, 1, 16, 0);
    for (long p = 0; p < pixels; p += 2) {
        const float *first = a + p * lda, *second = first + lda;
        const int paired = p + 1 < pixels;
        for (long j = 0; j < width; j += 16) {
            // Masked loads: zeros past `columns` and for a missing second row (and no read there).
            const long valid = columns - j;
            const __mmask16 mask = valid >= 16 ? 0xFFFF : valid <= 0 ? 0 : (__mmask16)((1u << valid) - 1);
            // [first j..j+15 | second j..j+15] in bf16, then interleaved into 16 (first, second) pairs.
            __m512bh both = _mm512_cvtne2ps_pbh(_mm512_maskz_loadu_ps(paired ? mask : 0, second + j),
                                                _mm512_maskz_loadu_ps(mask, first + j));
            _mm512_storeu_si512(dst + j * 2, _mm512_permutexvar_epi16(interleave, (__m512i)both));
        }
        dst += width * 2;
    }
}

BF16 void facelive_bf16_pack_gathered_pixel_pairs(const uint16_t *const *rows, const int32_t *offsets, long pixels,
                                                  long columns, long width, uint16_t *dst) {
    const __m512i interleave = _mm512_set_epi16(31, 15, 30, 14, 29, 13, 28, 12, 27, 11, 26, 10, 25, 9, 24, 8,
                                                23, 7, 22, 6, 21, 5, 20, 4, 19, 3, 18, 2, 17, 1, 16, 0);
    for (long p = 0; p < pixels; p += 2) {
        const uint16_t *first = rows[p], *second = p + 1 < pixels ? rows[p + 1] : 0;
        for (long j = 0; j < width; j += 16) {
            if (j + 16 <= columns && offsets[j + 15] - offsets[j] == 15) {
                // [first j..j+15 | second j..j+15], interleaved into 16 (first, second) pairs.
                const __m256i a = _mm256_loadu_si256((const __m256i *)(first + offsets[j]));
                const __m256i b = second ? _mm256_loadu_si256((const __m256i *)(second + offsets[j]))
                                         : _mm256_setzero_si256();
                const __m512i both = _mm512_inserti64x4(_mm512_castsi256_si512(a), b, 1);
                _mm512_storeu_si512(dst + j * 2, _mm512_permutexvar_epi16(interleave, both));
                continue;
            }
            for (long i = j; i < j + 16; i++) {
                const int inside = i < columns;
                dst[2 * i] = inside ? first[offsets[i]] : 0;
                dst[2 * i + 1] = inside && second ? second[offsets[i]] : 0;
            }
        }
        dst += width * 2;
    }
}

static inline __attribute__((always_inline)) BF16 void gradient_tile(
    const int vectors, const uint32_t *gradient, long ldg, const uint16_t *patches, long pairs, float *out, long ldo) {
    __m512 acc[6][3];
    for (int r = 0; r < 6; r++)
        for (int v = 0; v < vectors; v++) acc[r][v] = _mm512_loadu_ps(out + r * ldo + 16 * v);
    for (long p = 0; p < pairs; p++) {
        __m512bh a[3];
        for (int v = 0; v < vectors; v++) a[v] = (__m512bh)_mm512_loadu_si512(patches + 32 * v);
        patches += 32 * vectors;
        for (int r = 0; r < 6; r++) {
            __m512bh broadcast = (__m512bh)_mm512_set1_epi32((int)gradient[r]);
            for (int v = 0; v < vectors; v++) acc[r][v] = _mm512_dpbf16_ps(acc[r][v], broadcast, a[v]);
        }
        gradient += ldg;
    }
    for (int r = 0; r < 6; r++)
        for (int v = 0; v < vectors; v++) _mm512_storeu_ps(out + r * ldo + 16 * v, acc[r][v]);
}

BF16 void facelive_bf16_gradient_tile(int vectors, const uint32_t *gradient, long ldg, const uint16_t *patches,
                                      long pairs, float *out, long ldo) {
    switch (vectors) {
    case 1: gradient_tile(1, gradient, ldg, patches, pairs, out, ldo); break;
    case 2: gradient_tile(2, gradient, ldg, patches, pairs, out, ldo); break;
    default: gradient_tile(3, gradient, ldg, patches, pairs, out, ldo); break;
    }
}
__attribute__((target("avx512f"))) void facelive_add_transposed(const float *src, long lds, long rows, long cols,
                                                                float *dst, long ldd) {
    const __m512i lanes = _mm512_mullo_epi32(_mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
                                             _mm512_set1_epi32((int)lds));
    for (long c = 0; c < cols; c += 16) {
        const long valid = cols - c;
        const __mmask16 mask = valid >= 16 ? 0xFFFF : (__mmask16)((1u << valid) - 1);
        const float *column = src + c * lds;
        for (long i = 0; i < rows; i++) {
            const __m512 t = _mm512_mask_i32gather_ps(_mm512_setzero_ps(), mask, lanes, column + i, 4);
            float *out = dst + i * ldd + c;
            _mm512_mask_storeu_ps(out, mask, _mm512_add_ps(_mm512_maskz_loadu_ps(mask, out), t));
        }
    }
}
#else
int facelive_has_avx512_bf16(void) { return 0; }
void facelive_add_transposed(const float *src, long lds, long rows, long cols, float *dst, long ldd) {
    for (long i = 0; i < rows; i++)
        for (long c = 0; c < cols; c++) dst[i * ldd + c] += src[c * lds + i];
}
void facelive_bf16_round(const float *src, uint16_t *dst, long count) { (void)src; (void)dst; (void)count; }
void facelive_bf16_tile(int vectors, const uint32_t *const rows[6], const int32_t *offsets, long pairs,
                        const uint16_t *panel, const float *bias, float *const out[6], int accumulate,
                        int store_rows) {
    (void)vectors; (void)rows; (void)offsets; (void)pairs; (void)panel; (void)bias; (void)out; (void)accumulate;
    (void)store_rows;
}
void facelive_bf16_pack_pixel_pairs(const float *a, long lda, long pixels, long columns, long width,
                                    uint16_t *dst) {
    (void)a; (void)lda; (void)pixels; (void)columns; (void)width; (void)dst;
}
void facelive_bf16_pack_gathered_pixel_pairs(const uint16_t *const *rows, const int32_t *offsets, long pixels,
                                             long columns, long width, uint16_t *dst) {
    (void)rows; (void)offsets; (void)pixels; (void)columns; (void)width; (void)dst;
}
void facelive_bf16_gradient_tile(int vectors, const uint32_t *gradient, long ldg, const uint16_t *patches,
                                 long pairs, float *out, long ldo) {
    (void)vectors; (void)gradient; (void)ldg; (void)patches; (void)pairs; (void)out; (void)ldo;
}
#endif
