package org.zoobench.experiments.runner;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.zoobench.experiments.results.AtomicFiles;
import org.zoobench.experiments.results.EpochStats;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A run's progress after its last finished epoch, kept in its own directory, so that a run killed mid-way (a
 * sitting ended, a machine rebooted) resumes at the epoch after it instead of from scratch: the network's
 * parameters, updater state and step count ({@value #MODEL}), and what the run's loop had added up
 * ({@value #STATE}, written last: a checkpoint without it is ignored). Removed once the run is saved.
 * Data order, crops and flips depend only on the seed and the epoch, so the resumed epochs see the batches the
 * uninterrupted run would have; dropout masks are drawn afresh.
 */
final class Checkpoint {

    static final String MODEL = "checkpoint.zip";
    static final String STATE = "checkpoint.json";
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** Everything a run's loop has accumulated besides the network, after {@code epochs.size()} epochs. */
    record State(List<EpochStats> epochs, double trainSeconds, Double timeToTarget, double plateauRate,
                 double plateauBest, int plateauSince, StepMeter.Counts steps, long peakHeap, long peakOffHeap,
                 long peakPhysical, double wallSeconds, long fallbacks, String startedAt) {
    }

    private Checkpoint() {
    }

    static void save(Path runDir, ComputationGraph net, State state) {
        try {
            Files.createDirectories(runDir);
            Files.deleteIfExists(runDir.resolve(STATE)); // a model newer than its state must not be read with it
            AtomicFiles.write(runDir.resolve(MODEL), file -> ModelSerializer.writeModel(net, file.toFile(), true));
            AtomicFiles.writeString(runDir.resolve(STATE), JSON.writeValueAsString(state));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the checkpoint in " + runDir, e);
        }
    }

    /** The saved state, or empty if there is no checkpoint. */
    static Optional<State> read(Path runDir) {
        Path state = runDir.resolve(STATE);
        if (!Files.isRegularFile(state) || !Files.isRegularFile(runDir.resolve(MODEL))) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(state.toFile(), State.class));
        } catch (IOException e) {
            throw unreadable(runDir, e);
        }
    }

    /**
     * Copies the saved parameters, updater state and step count into {@code net}, built for the same config (so
     * with the same layers and layer implementation) and with its learning rate already set.
     */
    static void restoreNetwork(Path runDir, ComputationGraph net) {
        try {
            ComputationGraph trained = ModelSerializer.restoreComputationGraph(runDir.resolve(MODEL).toFile(), true);
            net.setParams(trained.params());
            INDArray updaterState = trained.getUpdater().getStateViewArray();
            if (updaterState != null) {
                net.getUpdater().getStateViewArray().assign(updaterState);
            }
            net.getConfiguration().setIterationCount(trained.getConfiguration().getIterationCount());
            net.getConfiguration().setEpochCount(trained.getConfiguration().getEpochCount());
        } catch (IOException e) {
            throw unreadable(runDir, e);
        }
    }

    private static UncheckedIOException unreadable(Path runDir, IOException e) {
        return new UncheckedIOException("cannot read the checkpoint in " + runDir + " (delete " + MODEL + " and "
                + STATE + " there to train the run from its start)", e);
    }

    static void delete(Path runDir) {
        try {
            Files.deleteIfExists(runDir.resolve(STATE));
            Files.deleteIfExists(runDir.resolve(MODEL));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the checkpoint in " + runDir, e);
        }
    }
}
