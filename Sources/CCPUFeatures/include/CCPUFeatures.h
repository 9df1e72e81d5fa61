#ifndef CCPUFEATURES_H
#define CCPUFEATURES_H
/* What the processor the engine runs on can execute, for choosing between kernel builds at
   start-up. Swift has no cpuid; this is the one place that asks. */
#include <stdbool.h>

/* True when the CPU implements the x86-64-v3 level (AVX, AVX2, FMA, BMI1, BMI2, LZCNT, MOVBE,
   F16C, plus the x86-64-v2 base: SSE3, SSSE3, SSE4.1, SSE4.2, POPCNT, CMPXCHG16B) and the
   operating system saves the YMM registers across context switches. False on other
   architectures. */
bool activation_cpu_has_x86_64_v3(void);

#endif
