package org.zoobench.benchmarks;

import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The JMH settings of the single-layer benchmarks, stock and native alike so that the two compare: the average
 * time of a short operation over two forks. The bench plan's timing overrides the counts.
 */
@BenchmarkMode(Mode.AverageTime)
@Fork(2)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 4, time = 1)
public abstract class LayerBenchmark extends ZooBenchmark {
}
