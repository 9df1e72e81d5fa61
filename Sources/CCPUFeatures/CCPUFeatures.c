#include "CCPUFeatures.h"

#if defined(__x86_64__)
#include <cpuid.h>

static bool has(unsigned int reg, int bit) { return (reg >> bit) & 1u; }

bool activation_cpu_has_x86_64_v3(void) {
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return false;
    /* CPUID.1:ECX: SSE3 0, SSSE3 9, FMA 12, CX16 13, SSE4.1 19, SSE4.2 20, MOVBE 22,
       POPCNT 23, OSXSAVE 27, AVX 28, F16C 29. */
    static const int leaf1[] = {0, 9, 12, 13, 19, 20, 22, 23, 27, 28, 29};
    for (unsigned i = 0; i < sizeof leaf1 / sizeof leaf1[0]; i++) {
        if (!has(ecx, leaf1[i])) return false;
    }
    /* XCR0 bits 1 (SSE) and 2 (AVX): the kernel saves and restores the YMM state.
       OSXSAVE was checked above, so xgetbv is available. */
    unsigned int xcr0_lo, xcr0_hi;
    __asm__ volatile("xgetbv" : "=a"(xcr0_lo), "=d"(xcr0_hi) : "c"(0));
    if ((xcr0_lo & 0x6u) != 0x6u) return false;
    /* CPUID.(7,0):EBX: BMI1 3, AVX2 5, BMI2 8. */
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return false;
    if (!has(ebx, 3) || !has(ebx, 5) || !has(ebx, 8)) return false;
    /* CPUID.80000001h:ECX: LZCNT (ABM) 5. */
    if (!__get_cpuid(0x80000001u, &eax, &ebx, &ecx, &edx)) return false;
    return has(ecx, 5);
}

#else

bool activation_cpu_has_x86_64_v3(void) { return false; }

#endif
