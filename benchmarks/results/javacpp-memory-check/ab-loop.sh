#!/bin/bash
# Alternates fresh JVMs with JavaCPP's resident-memory check (its default) and without it, each timing MODEL's
# steps in 25 windows of 2 s (InferCurve.java), and prints the median and fastest of the last 10 windows.
# Usage, from the repository root after ./zoobench has built once:
#   benchmarks/results/javacpp-memory-check/ab-loop.sh resnet20 32 3x32x32 10 train|infer ROUNDS
here=$(dirname "$0")
export OMP_PROC_BIND=true GOMP_SPINCOUNT=10000
CP="experiments/target/classes:$(cat experiments/target/classpath-cpu.txt)"
classes=$(mktemp -d)
javac -d "$classes" -cp "$CP" "$here/InferCurve.java" || exit 1
for r in $(seq 1 "$6"); do
  for opt in "-Dorg.bytedeco.javacpp.maxphysicalbytes=25G" "-Dorg.bytedeco.javacpp.maxphysicalbytes=0"; do
    out=$(java $opt -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$classes:$CP" InferCurve "$1" "$2" "$3" "$4" 2 25 "$5" 2>&1 | tail -1)
    echo "$r $opt $(echo "$out" | python3 -c "
import sys, statistics, re
v = [float(x) for x in re.findall(r'([0-9.]+)\(', sys.stdin.read())]
print('median of the last 10 windows: %.2f ms, fastest %.2f ms' % (statistics.median(v[-10:]), min(v[-10:])))")"
  done
done
