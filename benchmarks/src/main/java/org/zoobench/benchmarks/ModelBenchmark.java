package org.zoobench.benchmarks;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.zoobench.device.ThisMachine;
import org.zoobench.layers.LayerImpl;
import org.zoobench.zoo.ModelEntry;
import org.zoobench.zoo.ModelOptions;
import org.zoobench.zoo.ModelRegistry;
import org.zoobench.zoo.profile.ModelProfile;

import java.nio.file.Path;
import java.util.Random;

/**
 * Whole-model inference (forward pass, no gradients) and training step (forward, backward, updater) of any
 * registered model at its published input size, or the one the plan asks for, on random data. Before JMH's
 * warm-up the steps run until the JIT compilers are quiet ({@link JitWarmUp}), so that JMH times the steady state.
 * Sample-time mode, so JMH keeps every step's time and reports percentiles. A batch that runs out of memory (on
 * the CPU: whose estimated working set exceeds the {@link MemoryBudget}) is halved until it fits, and the facts
 * file says so.
 */
public class ModelBenchmark extends SampledStepBenchmark {

    public static final String INFERENCE = "inference";
    public static final String TRAINING = "training";
    /** The layer implementation the forks build models with (set by the bench JVM from --impl). */
    public static final String IMPL_PROPERTY = "zoobench.impl";
    /** The input shape the forks build models for (set by the bench JVM from --input); unset: each model's own. */
    public static final String INPUT_PROPERTY = "zoobench.bench.input";

    @Param({"lenet5"})
    public String model;

    @Param({"1"})
    public int batch;

    private ComputationGraph net;
    private INDArray[] input;
    private INDArray[] labels;
    private ModelRunFacts facts;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) throws Exception {
        String pass = params.getBenchmark().endsWith(TRAINING) ? TRAINING : INFERENCE;
        ModelEntry entry = ModelRegistry.get(model);
        ModelOptions options = options(entry);
        net = entry.build(options);
        ModelProfile profile = ModelProfile.of(entry, options);

        boolean training = pass.equals(TRAINING);
        boolean cpu = Nd4j.getEnvironment().isCPU();
        MemoryBudget budget = MemoryBudget.ofThisMachine();
        BatchStepDown.Outcome outcome = BatchStepDown.find(batch, size -> {
            if (cpu) {
                budget.check(profile, size, training);
            }
            prepareData(options, size);
            if (training) {
                training();
            } else {
                inference();
            }
        }, ModelBenchmark::releaseMemory);

        JitWarmUp.Outcome warmUp = outcome.fits()
                ? JitWarmUp.untilQuiet(training ? this::training : this::inference)
                : JitWarmUp.Outcome.NONE;
        facts = new ModelRunFacts(pass, model, options.input().toString(), batch, outcome.batch(),
                outcome.failed(), outcome.reason(), profile.trainableParams(), profile.macs(), 0,
                ConvPath.of(net, NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo()),
                warmUp.seconds(), warmUp.quiet(), warmUp.windows());
        writeFacts();
        if (!outcome.fits()) {
            throw new IllegalStateException(model + " runs out of memory even at batch size 1 (" + pass + ")");
        }
    }

    /** The options the bench JVM asked for in system properties ({@link BenchPlan#options}). */
    static ModelOptions options(ModelEntry entry) {
        return BenchPlan.options(entry, LayerImpl.parse(System.getProperty(IMPL_PROPERTY, LayerImpl.FAST.id())),
                System.getProperty(INPUT_PROPERTY));
    }

    /** Standard-normal inputs (never all zeros) and one-hot labels of random classes, shaped like the output. */
    private void prepareData(ModelOptions options, int size) {
        Nd4j.getRandom().setSeed(options.seed());
        input = new INDArray[]{Nd4j.randn(DataType.FLOAT, options.input().batchShape(size))};
        INDArray out = net.output(false, input)[0];
        labels = new INDArray[]{randomOneHot(out.shape(), new Random(options.seed()))};
    }

    /** One-hot along dimension 1 ([batch, classes] or [batch, classes, time]). */
    static INDArray randomOneHot(long[] shape, Random random) {
        INDArray oneHot = Nd4j.zeros(DataType.FLOAT, shape);
        int classes = (int) shape[1];
        long steps = shape.length == 3 ? shape[2] : 1;
        for (long example = 0; example < shape[0]; example++) {
            for (long t = 0; t < steps; t++) {
                long cls = random.nextInt(classes);
                if (shape.length == 3) {
                    oneHot.putScalar(new long[]{example, cls, t}, 1f);
                } else {
                    oneHot.putScalar(new long[]{example, cls}, 1f);
                }
            }
        }
        return oneHot;
    }

    private static void releaseMemory() {
        Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
        System.gc();
    }

    @Benchmark
    public INDArray inference() {
        return net.output(false, input)[0];
    }

    @Benchmark
    public double training() {
        net.fit(input, labels);
        return net.score();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (facts != null) {
            facts = facts.withPeakRss(ThisMachine.peakResidentBytes().orElse(0));
            writeFacts();
        }
    }

    private void writeFacts() {
        String directory = System.getProperty(ModelRunFacts.DIRECTORY_PROPERTY);
        if (directory != null) {
            facts.write(Path.of(directory));
        }
    }
}
