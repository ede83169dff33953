package org.zoobench.benchmarks;

import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The JMH settings of the single-layer benchmarks, stock and native alike so that the two compare: the average
 * time of a short operation over two forks. JMH reads these annotations from a benchmark's superclasses (its
 * samples' JMHSample_24_Inheritance); the bench plan's timing overrides the counts.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(2)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 4, time = 1)
public abstract class LayerBenchmark {
}
