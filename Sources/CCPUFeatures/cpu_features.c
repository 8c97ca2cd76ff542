#include "cpu_features.h"

#include <stdio.h>
#include <string.h>

#ifndef FACELIVE_TARGET_CPU
#define FACELIVE_TARGET_CPU "haswell"
#endif

const char *facelive_target_cpu(void) { return FACELIVE_TARGET_CPU; }

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>

static unsigned long long xgetbv0(void) {
    unsigned int lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return ((unsigned long long)hi << 32) | lo;
}

const char *facelive_cpu_check(void) {
    static char message[256];
    unsigned int a, b, c, d;
    unsigned int c1 = 0, b7 = 0, cx81 = 0;
    if (__get_cpuid(1, &a, &b, &c, &d)) c1 = c;
    if (__get_cpuid_count(7, 0, &a, &b, &c, &d)) b7 = b;
    if (__get_cpuid(0x80000001, &a, &b, &c, &d)) cx81 = c;
    int osAVX = (c1 & (1u << 27)) && (xgetbv0() & 0x6) == 0x6;
    int osAVX512 = osAVX && (xgetbv0() & 0xE6) == 0xE6;

    const char *target = FACELIVE_TARGET_CPU;
    int wantsAVX2 = strcmp(target, "x86-64") != 0 && strcmp(target, "x86-64-v2") != 0;
#ifdef FACELIVE_AVX512
    int wantsAVX512 = 1;
#else
    int wantsAVX512 = 0;
#endif
    struct { const char *name; int wanted; int present; } features[] = {
        {"AVX", wantsAVX2, osAVX && (c1 & (1u << 28))},
        {"AVX2", wantsAVX2, osAVX && (b7 & (1u << 5))},
        {"FMA", wantsAVX2, osAVX && (c1 & (1u << 12))},
        {"F16C", wantsAVX2, c1 & (1u << 29)},
        {"BMI1", wantsAVX2, b7 & (1u << 3)},
        {"BMI2", wantsAVX2, b7 & (1u << 8)},
        {"MOVBE", wantsAVX2, c1 & (1u << 22)},
        {"LZCNT", wantsAVX2, cx81 & (1u << 5)},
        {"AVX512F", wantsAVX512, osAVX512 && (b7 & (1u << 16))},
        {"AVX512DQ", wantsAVX512, osAVX512 && (b7 & (1u << 17))},
        {"AVX512BW", wantsAVX512, osAVX512 && (b7 & (1u << 30))},
        {"AVX512VL", wantsAVX512, osAVX512 && (b7 & (1u << 31))},
    };
    char missing[128] = "";
    for (unsigned i = 0; i < sizeof features / sizeof features[0]; i++) {
        if (features[i].wanted && !features[i].present) {
            if (missing[0]) strncat(missing, ", ", sizeof missing - strlen(missing) - 1);
            strncat(missing, features[i].name, sizeof missing - strlen(missing) - 1);
        }
    }
    if (!missing[0]) return NULL;
    snprintf(message, sizeof message,
             "this CPU lacks %s, which this build of facelive needs (built for %s); "
             "rebuild with FACELIVE_TARGET_CPU=x86-64",
             missing, target);
    return message;
}
#else
const char *facelive_cpu_check(void) { return NULL; }
#endif
