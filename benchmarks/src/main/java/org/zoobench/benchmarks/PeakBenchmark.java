package org.zoobench.benchmarks;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The best a matrix product reaches here as DL4J sees it: a square single-precision matrix multiply through ND4J
 * (and so through the backend's BLAS), 2·n³ floating-point operations per call, at a few sizes. Reported beside the
 * theoretical peak ({@link org.zoobench.device.CpuPeak}), of which models' GFLOP/s are quoted as a share.
 */
@BenchmarkMode(Mode.AverageTime)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class PeakBenchmark extends ZooBenchmark {

    @Param({"1024"})
    public int n;

    private INDArray a;
    private INDArray b;
    private INDArray c;

    @Setup(Level.Trial)
    public void setUp() {
        Nd4j.getRandom().setSeed(7);
        a = Nd4j.rand(DataType.FLOAT, n, n).addi(0.5);
        b = Nd4j.rand(DataType.FLOAT, n, n).addi(0.5);
        c = Nd4j.create(DataType.FLOAT, n, n);
    }

    @Benchmark
    public INDArray sgemm() {
        return a.mmuli(b, c);
    }

    /** Half, once and twice the plan's size: the best of them is the measured figure. */
    public static String[] sizes(int n) {
        return new String[]{String.valueOf(n / 2), String.valueOf(n), String.valueOf(2 * n)};
    }

    public static double flops(int n) {
        return 2.0 * n * n * n;
    }
}
