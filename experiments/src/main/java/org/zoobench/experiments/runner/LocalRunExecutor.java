package org.zoobench.experiments.runner;

import org.zoobench.experiments.results.ResultsStore;
import org.zoobench.experiments.results.RunRecord;
import org.zoobench.zoo.ModelEntry;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Trains runs one after another in this JVM; an exception (a kill, running out of memory) stops the suite. */
public final class LocalRunExecutor implements RunExecutor {

    private final Function<String, ModelEntry> models;
    private final DataProvider data;

    public LocalRunExecutor(Function<String, ModelEntry> models, DataProvider data) {
        this.models = models;
        this.data = data;
    }

    @Override
    public void trainAll(List<PlannedRun> runs, ResultsStore store, Listener listener) {
        Trainer trainer = new Trainer(store);
        for (PlannedRun run : runs) {
            listener.started(run);
            RunSpec spec = run.spec();
            ModelEntry model = models.apply(spec.config().model());
            RunRecord record;
            try (RunData batches = data.forRun(spec.config())) {
                record = trainer.run(spec, model, batches, run.label());
            }
            listener.saved(run, record);
        }
    }

    @Override
    public boolean measuresTrainingSets() {
        return true;
    }

    @Override
    public List<RunRecord> measureTrainingSets(List<RunRecord> records, ResultsStore store) {
        List<RunRecord> measured = new ArrayList<>();
        for (RunRecord record : records) {
            RunRecord updated;
            try (RunData batches = data.forRun(record.config())) {
                updated = Trainer.withTrainingSetTop1(record, models.apply(record.config().model()),
                        store.modelFile(record.runId()), batches);
            }
            if (updated != record) {
                store.saveRecord(updated);
                measured.add(updated);
            }
        }
        return measured;
    }
}
