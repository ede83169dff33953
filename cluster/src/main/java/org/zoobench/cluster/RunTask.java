package org.zoobench.cluster;

import org.zoobench.experiments.results.AtomicFiles;
import org.zoobench.experiments.results.Predictions;
import org.zoobench.experiments.results.ResultsStore;
import org.zoobench.experiments.results.RunRecord;
import org.zoobench.experiments.results.RunSink;
import org.zoobench.experiments.runner.RunData;
import org.zoobench.experiments.runner.RunSpec;
import org.zoobench.experiments.runner.Trainer;
import org.zoobench.zoo.ModelRegistry;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** One run as a Spark task: trained on an executor by the same {@link Trainer} as in one JVM. */
record RunTask(RunSpec spec, String label, ExecutorSetup setup) implements Serializable {

    TrainedRun train() throws IOException {
        Path local = Files.createTempDirectory("zoobench-" + spec.runId() + "-");
        try {
            Kept kept = new Kept(local, setup.runDirs() != null);
            try (RunData batches = setup.data().forRun(spec.config())) {
                new Trainer(kept).run(spec, ModelRegistry.get(spec.config().model()), batches, label);
            } catch (RuntimeException | Error e) {
                // DL4J's memory report of a step that ran out is worth keeping too.
                try {
                    upload(local);
                } catch (RuntimeException | IOException uploadFailure) {
                    e.addSuppressed(uploadFailure);
                }
                throw e;
            }
            upload(local);
            return new TrainedRun(kept.record, kept.predictions);
        } finally {
            deleteTree(local);
        }
    }

    private void upload(Path local) throws IOException {
        if (setup.runDirs() != null) {
            RunDirectories.of(setup.runDirs()).upload(local, spec.runId());
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Holds the record and predictions for the driver; writes the model only where it will be kept. */
    private static final class Kept implements RunSink {

        private final Path dir;
        private final boolean keepModel;
        private RunRecord record;
        private Predictions predictions;

        Kept(Path dir, boolean keepModel) {
            this.dir = dir;
            this.keepModel = keepModel;
        }

        @Override
        public Path runDir(String runId) {
            return dir;
        }

        @Override
        public void save(RunRecord record, Predictions predictions, AtomicFiles.Writer model) {
            this.record = record;
            this.predictions = predictions;
            if (model != null && keepModel) {
                AtomicFiles.write(dir.resolve(ResultsStore.MODEL), model);
            }
        }
    }
}
