package org.zoobench.experiments.runner;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zoobench.experiments.data.DataOptions;
import org.zoobench.experiments.data.Datasets;
import org.zoobench.experiments.results.ResizeMode;
import org.zoobench.experiments.results.ResultsStore;
import org.zoobench.experiments.results.RunConfig;
import org.zoobench.experiments.results.RunRecord;
import org.zoobench.experiments.results.Updater;
import org.zoobench.zoo.InputShape;
import org.zoobench.zoo.ModelRegistry;
import org.zoobench.layers.LayerImpl;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A short run on real Fashion-MNIST from the Debian package dataset-fashion-mnist (CI installs it). Downloads are
 * off: without the package the test fails, naming the files it looked for and how to install them.
 */
class FashionMnistTrainingTest {

    static {
        System.setProperty("zoobench.progress", "false");
    }

    @Test
    void leNet5OnASubsetClearlyBeatsChance(@TempDir Path tmp) {
        RunConfig config = RunConfig.builder().model("lenet5").dataset("fashion-mnist")
                .input(InputShape.image(1, 28, 28)).resize(ResizeMode.BILINEAR).classes(10).epochs(2).batchSize(32)
                .updater(Updater.ADAM).learningRate(1e-3).seed(1).trainLimit(1500).testLimit(500).targetAccuracy(70)
                .bootstrapSamples(1000).layers(LayerImpl.FAST).build();
        RunRecord r;
        try (RunData data = new DataProvider(Datasets::load, DataOptions.defaults().withDownload(false))
                .forRun(config)) {
            r = new Trainer(ResultsStore.openForWriting(tmp)).run(RunSpec.single(config),
                    ModelRegistry.get("lenet5"), data, "lenet5");
        }
        // Chance is 10%; a hundred Adam steps of LeNet-5 reach about 70%.
        assertTrue(r.top1().value() > 60, "top-1 " + r.top1());
        assertTrue(r.epochs().get(1).trainLoss() < r.epochs().get(0).trainLoss(), "training loss falls");
    }
}
