package org.zoobench.benchmarks;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.zoobench.parallel.ParallelTraining;
import org.zoobench.parallel.WorkerMode;
import org.zoobench.zoo.ModelEntry;
import org.zoobench.zoo.ModelOptions;
import org.zoobench.zoo.ModelRegistry;
import org.zoobench.zoo.PreparedBatches;

import java.util.List;
import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A training step of a registered model on {@code workers} data-parallel workers (ParallelWrapper, in the mode DL4J
 * recommends for the backend), the batch split among them as {@code train --workers} splits it: one invocation is
 * one step of all the workers, replicas brought back in step included. ParallelWrapper trains inside one long
 * {@code fit} on a thread of its own, fed one step at a time, so that its per-fit start-up (building the replicas)
 * stays out of the step times, as it stays out of all but the first step of an epoch in a run. Steps run until the
 * JIT is quiet before JMH's warm-up, as the single-worker steps do ({@link JitWarmUp}).
 */
public class ParallelTrainingBenchmark extends SampledStepBenchmark {

    public static final String TRAINING = "training";

    @Param({"lenet5"})
    public String model;

    @Param({"8"})
    public int batch;

    @Param({"2"})
    public int workers;

    private ParallelWrapper wrapper;
    private StepFeed feed;
    private Thread fitting;
    private volatile Throwable failure;

    @Setup(Level.Trial)
    public void setUp() {
        if (batch < workers) {
            throw new IllegalStateException("a batch of " + batch + " cannot be split among " + workers + " workers");
        }
        ModelEntry entry = ModelRegistry.get(model);
        ModelOptions options = ModelBenchmark.options(entry);
        ComputationGraph net = entry.build(options);
        // the single-worker training benchmark's data: standard-normal inputs, one-hot labels of random classes
        Nd4j.getRandom().setSeed(options.seed());
        INDArray features = Nd4j.randn(DataType.FLOAT, options.input().batchShape(batch));
        long[] outputShape = net.output(false, features)[0].shape();
        DataSet data = new DataSet(features, ModelBenchmark.randomOneHot(outputShape, new Random(options.seed())));
        feed = new StepFeed(ParallelTraining.split(data, workers));
        wrapper = ParallelTraining.wrap(net, workers, WorkerMode.recommended(!Nd4j.getEnvironment().isCPU()),
                options.impl(), options.seed());
        fitting = new Thread(() -> {
            try {
                wrapper.fit(feed);
            } catch (Throwable t) {
                failure = t;
            }
        }, "ParallelWrapper fit");
        fitting.setDaemon(true);
        fitting.start();
        JitWarmUp.untilQuiet(this::warmUpStep);
    }

    private void warmUpStep() {
        try {
            training();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while warming up", e);
        }
    }

    /** One step of all the workers. */
    @Benchmark
    public void training() throws InterruptedException {
        feed.step(this::checkFitting);
    }

    private void checkFitting() {
        if (failure != null) {
            throw new IllegalStateException("data-parallel training failed: " + failure, failure);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        feed.stop();
        fitting.join(TimeUnit.MINUTES.toMillis(1));
        wrapper.shutdown();
    }

    /**
     * The same step's parts over and over, one step at a time: ParallelWrapper takes one part per worker, and asks
     * for the next step's first part only once every worker has finished and the replicas are back in step, which
     * is when {@link #step} returns.
     */
    static final class StepFeed extends PreparedBatches {

        private final List<DataSet> parts;
        private final Semaphore released = new Semaphore(0);
        private final Semaphore finished = new Semaphore(0);
        private int next;
        private boolean started;
        private volatile boolean stopping;

        StepFeed(List<DataSet> parts) {
            super("the parts are ready");
            this.parts = parts;
        }

        /** Lets ParallelWrapper take one step and waits until it has finished it. */
        void step(Runnable whileWaiting) throws InterruptedException {
            released.release();
            while (!finished.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                whileWaiting.run();
            }
        }

        /** Lets the fit end after one last step. */
        void stop() {
            stopping = true;
            released.release();
        }

        @Override
        public boolean hasNext() {
            return !stopping || next != 0;
        }

        @Override
        public DataSet next() {
            if (next == 0) {
                if (started) {
                    finished.release();
                }
                started = true;
                released.acquireUninterruptibly();
            }
            DataSet part = parts.get(next);
            next = (next + 1) % parts.size();
            return part;
        }

        @Override
        public int inputColumns() {
            return (int) parts.get(0).getFeatures().size(1);
        }

        @Override
        public int totalOutcomes() {
            return (int) parts.get(0).getLabels().size(1);
        }

        @Override
        public boolean resetSupported() {
            return false;
        }

        @Override
        public boolean asyncSupported() {
            return false;
        }

        @Override
        public void reset() {
            throw new UnsupportedOperationException("an endless feed");
        }

        @Override
        public int batch() {
            return (int) parts.get(0).getFeatures().size(0);
        }

        @Override
        public List<String> getLabels() {
            return null;
        }
    }
}
