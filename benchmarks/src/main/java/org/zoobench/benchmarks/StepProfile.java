package org.zoobench.benchmarks;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.zoobench.layers.LayerImpl;
import org.zoobench.zoo.InputShape;
import org.zoobench.zoo.ModelEntry;
import org.zoobench.zoo.ModelOptions;
import org.zoobench.zoo.ModelRegistry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Where a training step's time goes, per layer type and pass, stock against fast layers. Runs training steps of
 * each model under JDK Flight Recorder and attributes every sample of the training thread (in Java or waiting in
 * a native op, whose worker threads JFR cannot see) to the innermost DL4J layer, vertex or updater frame on its
 * stack, and to the forward or backward pass. Prints one Markdown table per model: share of step time and
 * milliseconds per step.
 * <p>
 * {@code java -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath-cpu.txt)"
 * org.zoobench.benchmarks.StepProfile lenet5:64 alexnet-mini:32 resnet20:32 bilstm-max:64 resnet18:64:1x32x32}
 * (MODEL:BATCH, optionally :INPUT for another input than the model's default)
 */
public final class StepProfile {

    /** The fast implementation's own layer and vertex classes, counted under the DL4J type each replaces. */
    private static final Map<String, String> FAST_LAYERS_AND_VERTICES = Map.of(
            "org.zoobench.layers.FastReluLayer", "ActivationLayer",
            "org.zoobench.layers.FastBatchNormalization", "BatchNormalization",
            "org.zoobench.layers.FastAddVertex", "ElementWiseVertex",
            "org.zoobench.layers.FastMergeVertex", "MergeVertex");

    private static final Duration SAMPLE_PERIOD = Duration.ofMillis(2);
    private static final double SECONDS_PER_IMPL = 12;

    private StepProfile() {
    }

    public static void main(String[] args) throws IOException {
        for (String spec : args) {
            String[] parts = spec.split(":");
            ModelEntry entry = ModelRegistry.get(parts[0]);
            int batch = Integer.parseInt(parts[1]);
            InputShape input = parts.length > 2 ? InputShape.parse(parts[2]) : entry.defaultInput();
            Map<String, double[]> msPerStep = new TreeMap<>();
            double[] stepMs = new double[2];
            for (LayerImpl impl : LayerImpl.values()) {
                int column = impl == LayerImpl.STOCK ? 0 : 1;
                Profile p = profile(entry, input, batch, impl);
                stepMs[column] = p.stepMs();
                p.samplesByPlace().forEach((place, count) -> msPerStep.computeIfAbsent(place, k -> new double[2])
                        [column] = p.stepMs() * count / p.totalSamples());
            }
            System.out.printf(Locale.ROOT, "%n### %s at %s, batch %d: %.1f ms per training step stock, %.1f fast (%.1fx)%n%n",
                    entry.name(), input, batch, stepMs[0], stepMs[1], stepMs[0] / stepMs[1]);
            System.out.println("| where (layer type, pass) | stock ms/step | stock share | fast ms/step | fast share |");
            System.out.println("|---|---:|---:|---:|---:|");
            msPerStep.entrySet().stream()
                    .sorted((a, b) -> Double.compare(b.getValue()[0] + b.getValue()[1], a.getValue()[0] + a.getValue()[1]))
                    .filter(e -> e.getValue()[0] / stepMs[0] >= 0.005 || e.getValue()[1] / stepMs[1] >= 0.005)
                    .forEach(e -> System.out.printf(Locale.ROOT, "| %s | %.2f | %.1f%% | %.2f | %.1f%% |%n", e.getKey(),
                            e.getValue()[0], 100 * e.getValue()[0] / stepMs[0],
                            e.getValue()[1], 100 * e.getValue()[1] / stepMs[1]));
        }
    }

    private record Profile(double stepMs, long totalSamples, Map<String, Long> samplesByPlace) {
    }

    private static Profile profile(ModelEntry entry, InputShape shape, int batch, LayerImpl impl) throws IOException {
        ModelOptions options = entry.defaultOptions().withInput(shape).withImpl(impl);
        ComputationGraph net = entry.build(options);
        Nd4j.getRandom().setSeed(1);
        INDArray[] input = {Nd4j.randn(DataType.FLOAT, options.input().batchShape(batch))};
        INDArray[] labels = {ModelBenchmark.randomOneHot(net.outputSingle(input).shape(), new Random(1))};
        for (int i = 0; i < 5; i++) {
            net.fit(input, labels); // JIT, workspaces
        }
        Path file = Files.createTempFile("zoobench-step", ".jfr");
        int steps = 0;
        long start;
        long end;
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ExecutionSample").withPeriod(SAMPLE_PERIOD);
            recording.enable("jdk.NativeMethodSample").withPeriod(SAMPLE_PERIOD);
            recording.start();
            start = System.nanoTime();
            do {
                net.fit(input, labels);
                steps++;
            } while (System.nanoTime() - start < SECONDS_PER_IMPL * 1e9);
            end = System.nanoTime();
            recording.stop();
            recording.dump(file);
        }
        Map<String, Long> byPlace = new TreeMap<>();
        long total = 0;
        String thread = Thread.currentThread().getName();
        for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
            if (event.getThread("sampledThread") == null
                    || !thread.equals(event.getThread("sampledThread").getJavaName()) || event.getStackTrace() == null) {
                continue;
            }
            byPlace.merge(place(event.getStackTrace().getFrames()), 1L, Long::sum);
            total++;
        }
        Files.delete(file);
        return new Profile((end - start) / 1e6 / steps, total, byPlace);
    }

    /** The innermost layer, vertex or updater frame, and whether it is under the backward pass. */
    static String place(List<RecordedFrame> frames) {
        String where = "other (graph bookkeeping, score, listeners)";
        boolean backward = false;
        for (RecordedFrame frame : frames) {
            String type = frame.getMethod().getType().getName();
            String method = frame.getMethod().getName();
            if (method.equals("backpropGradient") || method.equals("doBackward") || method.equals("calcBackpropGradients")) {
                backward = true;
            }
            if (where.startsWith("other")) {
                if (type.startsWith("org.deeplearning4j.nn.updater") || type.startsWith("org.nd4j.linalg.learning")) {
                    where = "updater";
                } else if (type.equals("org.deeplearning4j.nn.layers.BaseLayer")) {
                    where = "DenseLayer (BaseLayer)"; // the convolution and output layers have frames of their own
                } else if (FAST_LAYERS_AND_VERTICES.containsKey(type)) {
                    where = FAST_LAYERS_AND_VERTICES.get(type);
                } else if (type.startsWith("org.deeplearning4j.nn.layers.")
                        || type.startsWith("org.deeplearning4j.nn.graph.vertex.impl.")
                        || type.startsWith("org.zoobench.zoo.blocks.")) {
                    where = type.substring(type.lastIndexOf('.') + 1).replace('$', '.');
                }
            }
        }
        if (where.equals("updater") || where.startsWith("other")) {
            return where;
        }
        return where + (backward ? ", backward" : ", forward");
    }
}
