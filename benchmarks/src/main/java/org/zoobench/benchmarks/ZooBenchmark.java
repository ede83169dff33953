package org.zoobench.benchmarks;

import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * What every benchmark here shares: one state per benchmark, times in milliseconds. JMH reads its annotations
 * from a benchmark's superclasses, the nearest first (its samples' JMHSample_24_Inheritance), so a subclass adds
 * the mode and iteration settings of its kind.
 */
@State(Scope.Benchmark)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public abstract class ZooBenchmark {
}
