package org.zoobench.benchmarks;

import java.lang.reflect.Field;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.profiler.OpProfiler;
import org.nd4j.linalg.profiler.data.StringCounter;
import org.zoobench.layers.LayerImpl;
import org.zoobench.zoo.InputShape;
import org.zoobench.zoo.ModelEntry;
import org.zoobench.zoo.ModelOptions;
import org.zoobench.zoo.ModelRegistry;

/**
 * How many libnd4j ops a training step and an inference pass run, by op name, with the fast layers. Each costs a
 * fixed 17–230 µs here whatever its size (docs/fast-layers.md), so on small layers their count is a cost of its
 * own; oneDNN primitives and OpenBLAS calls made directly are not libnd4j ops and are not counted. Counted by
 * ND4J's {@link OpProfiler} over a few steps after warm-up.
 * <p>
 * {@code java -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath-cpu.txt)"
 * org.zoobench.benchmarks.StepOps resnet20:32:3x32x32 densenet121:32:3x32x32}
 * (MODEL:BATCH, optionally :INPUT for another input than the model's default)
 */
public final class StepOps {

    private static final int WARM_UP = 3;
    private static final int COUNTED = 3;

    private StepOps() {
    }

    public static void main(String[] args) {
        for (String spec : args) {
            String[] parts = spec.split(":");
            ModelEntry entry = ModelRegistry.get(parts[0]);
            int batch = Integer.parseInt(parts[1]);
            InputShape input = parts.length > 2 ? InputShape.parse(parts[2]) : entry.defaultInput();
            Map<String, double[]> perPass = count(entry, entry.defaultOptions().withInput(input)
                    .withImpl(LayerImpl.FAST), batch);
            double[] total = perPass.values().stream().reduce(new double[2], (a, b) -> new double[]{a[0] + b[0], a[1] + b[1]});
            System.out.printf(Locale.ROOT, "%n### %s at %s, batch %d: %.0f libnd4j ops per training step, %.0f per inference pass%n%n",
                    entry.name(), input, batch, total[0], total[1]);
            System.out.println("| op | per training step | per inference pass |");
            System.out.println("|---|---:|---:|");
            perPass.entrySet().stream()
                    .sorted((a, b) -> Double.compare(b.getValue()[0] + b.getValue()[1], a.getValue()[0] + a.getValue()[1]))
                    .forEach(e -> System.out.printf(Locale.ROOT, "| %s | %.0f | %.0f |%n", e.getKey(),
                            e.getValue()[0], e.getValue()[1]));
        }
    }

    /** Per op name: how many a training step runs, and how many an inference pass does. */
    static Map<String, double[]> count(ModelEntry entry, ModelOptions options, int batch) {
        ComputationGraph net = entry.build(options);
        Nd4j.getRandom().setSeed(1);
        INDArray[] input = {Nd4j.randn(DataType.FLOAT, options.input().batchShape(batch))};
        INDArray[] labels = {ModelBenchmark.randomOneHot(net.outputSingle(input).shape(), new Random(1))};
        for (int i = 0; i < WARM_UP; i++) {
            net.fit(input, labels);
            net.output(input);
        }
        Map<String, double[]> perPass = new TreeMap<>();
        Map<String, Long> training = counted(() -> net.fit(input, labels));
        Map<String, Long> inference = counted(() -> net.output(input));
        training.forEach((op, n) -> perPass.computeIfAbsent(op, k -> new double[2])[0] = n / (double) COUNTED);
        inference.forEach((op, n) -> perPass.computeIfAbsent(op, k -> new double[2])[1] = n / (double) COUNTED);
        return perPass;
    }

    private static Map<String, Long> counted(Runnable pass) {
        OpExecutioner executioner = Nd4j.getExecutioner();
        OpExecutioner.ProfilingMode before = executioner.getProfilingMode();
        OpProfiler profiler = OpProfiler.getInstance();
        profiler.reset();
        executioner.setProfilingMode(OpExecutioner.ProfilingMode.OPERATIONS);
        try {
            for (int i = 0; i < COUNTED; i++) {
                pass.run();
            }
        } finally {
            executioner.setProfilingMode(before);
        }
        Map<String, Long> byOp = new TreeMap<>();
        opCounts(profiler).forEach((op, n) -> byOp.put(op, n.get()));
        profiler.reset();
        return byOp;
    }

    /** The profiler's count per op name, which ND4J only prints (no getter for its counter or the counter's map). */
    @SuppressWarnings("unchecked")
    private static Map<String, ? extends AtomicLong> opCounts(OpProfiler profiler) {
        try {
            Field opCounter = OpProfiler.class.getDeclaredField("opCounter");
            opCounter.setAccessible(true);
            Object counter = opCounter.get(profiler);
            Field counts = StringCounter.class.getDeclaredField("counter");
            counts.setAccessible(true);
            return (Map<String, ? extends AtomicLong>) counts.get(counter);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("ND4J's OpProfiler no longer keeps its op counts where this reads them", e);
        }
    }
}
