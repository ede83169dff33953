package org.zoobench.benchmarks;

import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The JMH settings of the whole-model step benchmarks: sample-time mode, so JMH keeps every step's time and reports
 * percentiles, in one fork with iterations long enough for a large model's steps. The bench plan's timing overrides
 * the counts.
 */
@BenchmarkMode(Mode.SampleTime)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public abstract class SampledStepBenchmark extends ZooBenchmark {
}
