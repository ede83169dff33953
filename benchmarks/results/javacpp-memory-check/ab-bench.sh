#!/bin/bash
# Two rounds of `bench` with JavaCPP's resident-memory check (the bench JVMs' setting before: 60% of RAM) and
# without it, alternated. From the repository root.
O=benchmarks/results/javacpp-memory-check
for r in 1 2; do
  ZOOBENCH_BENCH_JAVA_OPTS="-Xmx2g -Dorg.bytedeco.javacpp.maxbytes=12G -Dorg.bytedeco.javacpp.maxphysicalbytes=14G" \
    ./zoobench bench resnet20 resnet56 --batch 32 --input 3x32x32 --out $O/with-check-$r
  ZOOBENCH_BENCH_JAVA_OPTS="-Xmx2g -Dorg.bytedeco.javacpp.maxbytes=12G -Dorg.bytedeco.javacpp.maxphysicalbytes=0" \
    ./zoobench bench resnet20 resnet56 --batch 32 --input 3x32x32 --out $O/without-check-$r
done
