package org.zoobench.benchmarks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.zoobench.device.CpuPeak;

import org.zoobench.UserInputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One benchmark run, as written to {@code results.json} and read back by {@code zoobench bench compare}.
 *
 * @param command how the run was started, so it can be repeated
 * @param commit  the git commit of the code that ran ({@link org.zoobench.zoo.GitCommit}: read when the command started)
 * @param loadBefore the machine's 1, 5 and 15-minute load averages when the run started (other work competes)
 * @param loadAfter  the same when it ended
 * @param peak    the best sgemm measured in the same run; null when the run had no model rows to relate to it
 * @param cpuPeak the CPU's theoretical FP32 peak, the 100% of "% peak"; null on a GPU or where it is not known
 * @param parallel training steps on several data-parallel workers ({@code bench --workers}); empty without
 * @param peers    the same models timed in PyTorch in the same sitting ({@code bench --peer pytorch}); empty without
 */
public record BenchResults(String command, String commit, String startedAt, BenchEnvironment environment,
                           String loadBefore, String loadAfter, Peak peak, CpuPeak cpuPeak, List<ModelRow> models,
                           List<LayerRow> layers, List<ParallelRow> parallel, List<PyTorchPeer.Row> peers) {

    public BenchResults {
        parallel = parallel == null ? List.of() : parallel; // results written before --workers
        peers = peers == null ? List.of() : peers; // results written before --peer
    }

    /** Training steps are counted as this many forward passes (forward, input gradient, weight gradient). */
    public static final int TRAINING_FORWARD_EQUIVALENTS = 3;

    /**
     * The fastest sgemm iteration of the sizes measured ({@code sizes}): its size, the mean time and error at that size,
     * and the GFLOP/s of that iteration.
     */
    public record Peak(int n, double meanMs, double errorMs, double gflops, List<Integer> sizes) {
    }

    /**
     * One model at one requested batch size, inference and training side by side (timm's layout).
     *
     * @param convPath which code ran the model's convolutions ({@link ConvPath})
     */
    public record ModelRow(String model, String input, int requestedBatch, long params, long forwardMacs,
                           Pass inference, Pass training, String convPath) {
    }

    /**
     * A training step of one model at one batch on {@code workers} data-parallel workers, each taking its part of
     * the batch, in ParallelWrapper's {@code mode}; {@code speedup}: its img/s over the single-worker training
     * pass of the same model and batch (NaN where either has no figure).
     */
    public record ParallelRow(String model, int batch, int workers, String mode, Pass training, double speedup) {
    }

    /**
     * One pass of one model. {@code status} is {@code ok}, {@code oom} (not even batch 1 fitted) or {@code failed};
     * the figures are only present when it is ok.
     *
     * @param batch      the batch that ran, smaller than requested when it was stepped down
     * @param oomBatches the requested sizes that ran out of memory
     * @param oomReason  why the first of them did not fit
     * @param gflops     2 x forward MACs x img/s, times {@value #TRAINING_FORWARD_EQUIVALENTS} for training
     * @param warmUpSeconds how long its steps ran before JMH's warm-up, until the JIT was quiet ({@link JitWarmUp})
     * @param jitQuiet   whether the JIT fell quiet within the cap (false where there was no such warm-up)
     */
    public record Pass(String status, int batch, List<Integer> oomBatches, String oomReason, double meanMs, double p50Ms,
                       double p90Ms, double p99Ms, long samples, double imagesPerSecond, double gflops,
                       double percentOfPeak, long peakRssBytes, double warmUpSeconds, boolean jitQuiet) {

        public boolean ok() {
            return "ok".equals(status);
        }
    }

    /**
     * One layer micro-benchmark: {@code impl} is {@code stock} (DL4J layer) or {@code native} (libnd4j op),
     * {@code pass} forward or backward; the error is JMH's 99.9% confidence half-width over forks x iterations;
     * {@code convPath} which code ran a convolution ({@link ConvPath}), empty for other layers.
     */
    public record LayerRow(String layerCase, String description, String shape, String impl, String pass,
                           double meanMs, double errorMs, long macs, double gflops, double gflopsLow,
                           double gflopsHigh, int forks, int iterations, String convPath) {
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public void write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        JSON.writeValue(file.toFile(), this);
    }

    public String toJson() throws IOException {
        return JSON.writeValueAsString(this);
    }

    public static BenchResults read(Path file) throws IOException {
        return JSON.readValue(file.toFile(), BenchResults.class);
    }

    /** {@link #read}, with a file that is not whole {@code results.json} refused in one line. */
    public static BenchResults readChecked(Path file) throws IOException {
        String notOurs = file + " is not a results.json written by `zoobench bench`";
        BenchResults results;
        try {
            results = read(file);
        } catch (JsonProcessingException e) {
            throw new UserInputException(notOurs + " (" + e.getOriginalMessage() + "); give the results.json of a "
                    + "finished bench run, or its folder");
        }
        if (results == null || results.environment() == null || results.models() == null
                || results.layers() == null) {
            throw new UserInputException(notOurs + " (it lacks the environment, models or layers); give the "
                    + "results.json of a finished bench run, or its folder");
        }
        return results;
    }
}
