package org.zoobench.cli;

import org.deeplearning4j.exception.DL4JException;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.zoobench.experiments.data.TorchvisionPreprocessing;
import org.zoobench.experiments.results.Bootstrap;
import org.zoobench.experiments.results.Estimate;
import org.zoobench.experiments.results.ResultsStore;
import org.zoobench.experiments.results.RunConfig;
import org.zoobench.experiments.results.RunRecord;
import org.zoobench.experiments.runner.DataProvider;
import org.zoobench.experiments.runner.Evaluation;
import org.zoobench.zoo.weights.SavedModel;
import org.zoobench.experiments.runner.RunData;
import org.zoobench.experiments.runner.Trainer;
import org.zoobench.zoo.ModelRegistry;
import org.zoobench.UserInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code zoobench eval RUN_DIR}: evaluate a saved model again on its run's test set, without retraining. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Load a trained model saved by train/run (RUN_DIR = DIR/runs/<run id>) and evaluate it again "
                + "on the test set it was recorded on.")
public final class EvalCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DataDirOption dataDir;

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "a run directory holding record.json and model.zip")
    Path runDir;

    @Option(names = "--dataset", paramLabel = "NAME", description = "image-folder, with --preprocess: evaluate any "
            + "saved model (an imported one: DIR/model.zip) on the class folders under --data-dir (or its val/)")
    String dataset;

    @Mixin
    InferenceOptions inference;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (dataset != null || inference.preprocessGiven()) {
            return evaluateOnFolder(out);
        }
        Path recordFile = runDir.resolve(ResultsStore.RECORD);
        Path modelFile = runDir.resolve(ResultsStore.MODEL);
        if (!Files.isRegularFile(recordFile) || !Files.isRegularFile(modelFile)) {
            throw new UserInputException("'" + runDir + "' is not a finished run directory (needs "
                    + ResultsStore.RECORD + " and " + ResultsStore.MODEL + ")");
        }
        RunRecord record = ResultsStore.readRecord(recordFile);
        RunConfig c = record.config();
        ComputationGraph net = Trainer.savedModel(modelFile, ModelRegistry.get(c.model()), c,
                "put the run's own back, or delete " + runDir + " and rerun the command that trained it");
        Evaluation eval;
        try (RunData data = dataDir.provider().forRun(c)) {
            eval = Evaluation.of(net, data.test());
        } catch (IllegalStateException | IllegalArgumentException | DL4JException e) {
            throw new UserInputException("cannot evaluate " + modelFile + " on the test data of its record ("
                    + c.model() + " on " + c.dataset() + " at " + c.input() + "): " + e.getMessage() + "; was it "
                    + "replaced by another model? delete " + runDir + " and rerun the command that trained it");
        }
        Bootstrap bootstrap = new Bootstrap(c.bootstrapSamples(), Bootstrap.DEFAULT_CONFIDENCE, c.seed());
        Estimate top1 = eval.top1Estimate(bootstrap);
        Estimate top5 = eval.top5Estimate(bootstrap);
        out.printf(Locale.ROOT, "%s on %s (%d test predictions): top-1 %s, top-5 %s, loss %.4f, %.0f img/s%n",
                c.model(), c.dataset(), eval.predictions().size(), top1.format(), top5 == null ? "—" : top5.format(),
                eval.loss(),
                eval.samplesPerSec());
        out.printf(Locale.ROOT, "recorded at training time:        top-1 %s, top-5 %s%n",
                record.top1() == null ? "—" : record.top1().format(), record.top5() == null ? "—" : record.top5().format());
        if (record.top1() != null && !record.top1().contains(top1.value()) && !top1.contains(record.top1().value())) {
            out.printf(Locale.ROOT, "note: top-1 %.1f is outside the recorded interval and the recorded %.1f outside "
                            + "this one: the test images read now (--data-dir, the data set's files) or %s are not "
                            + "what the run was evaluated on%n", top1.value(), record.top1().value(),
                    ResultsStore.MODEL);
        }
        return 0;
    }

    /** A saved model on an image folder with torchvision's preprocessing: no run record needed. */
    private int evaluateOnFolder(PrintWriter out) {
        if (!DataProvider.IMAGE_FOLDER.equals(dataset) || !inference.preprocessGiven()) {
            throw new UserInputException("eval on a data set of your choice takes --dataset image-folder with "
                    + "--preprocess imagenet (or inception); without them it re-evaluates a run on its own test set");
        }
        int batch = inference.batch();
        TorchvisionPreprocessing preprocessing = inference.preprocessing();
        SavedModel model = SavedModel.load(runDir);
        DataSetIterator images = preprocessing.folder(dataDir.dataDir, model.classes(), batch);
        Evaluation eval = Evaluation.of(model.graph(), images);
        Bootstrap bootstrap = new Bootstrap(Bootstrap.DEFAULT_SAMPLES, Bootstrap.DEFAULT_CONFIDENCE, 1);
        Estimate top5 = eval.top5Estimate(bootstrap);
        out.printf(Locale.ROOT, "%s on %s (%d images, %s preprocessing): top-1 %s, top-5 %s, %.0f img/s%n", runDir,
                dataDir.dataDir, eval.predictions().size(), preprocessing.id(), eval.top1Estimate(bootstrap).format(),
                top5 == null ? "—" : top5.format(), eval.samplesPerSec());
        return 0;
    }
}
