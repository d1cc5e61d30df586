# Sourced by ./bitnet4j and scripts/jmh.sh: the JVM flags our kernels need wherever they run, in the array
# bitnet4j_kernel_flags, so that a kernel's JMH figure is the speed it runs at under the launcher.
# --add-modules jdk.incubator.vector: the Vector API.
# VECTOR_ACCESS_OOB_CHECK=0: our kernels check bounds once per call, not per vector load.
# C2's limits on speculation, raised: a compile that has inlined methods with, between them, 100 recorded "unstable
# if" traps (PerMethodTrapLimit) or 200 deoptimizations (half of PerMethodRecompilationCutoff) stops placing such
# traps and compiles both sides of every branch, the never-taken ones too. Both totals add up each inlined method's
# own record every time it is inlined, and a big Vector API kernel inlines the API's small shared helpers (operator
# kinds, species lookups) 50-60 times each, so one or two traps anywhere in the JVM in such a helper put the kernel
# over the limit. It then keeps the vector checks' failure paths and decodes about half as fast: a Q4_K_M file at
# 4.1-5.0 tokens/s instead of 7.7-8.1 at one thread in 4 of 6 runs, 3.5-13 instead of 14.4-15.6 at two
# (docs/bench-log.md, "Session 24"). Each branch still stops trapping after a few traps (PerBytecodeTrapLimit), and
# a method that keeps deoptimizing is still given up after 2,000 recompilations.
bitnet4j_kernel_flags=(--add-modules jdk.incubator.vector -Djdk.incubator.vector.VECTOR_ACCESS_OOB_CHECK=0
  -XX:PerMethodTrapLimit=1000 -XX:PerMethodRecompilationCutoff=2000)
