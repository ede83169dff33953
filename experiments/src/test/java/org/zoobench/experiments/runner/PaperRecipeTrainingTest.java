package org.zoobench.experiments.runner;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.zoobench.experiments.results.EpochStats;
import org.zoobench.experiments.results.ResultsStore;
import org.zoobench.experiments.results.RunConfig;
import org.zoobench.experiments.results.RunRecord;

import java.nio.file.Path;
import java.util.List;
import org.zoobench.experiments.results.Updater;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Weight decay and the divide-by-10-on-a-plateau schedule of the paper's recipe. */
class PaperRecipeTrainingTest {

    private static RunConfig withRecipe(RunConfig c, double weightDecay, int patience) {
        return RunConfig.builder().model(c.model()).dataset(c.dataset()).input(c.input()).resize(c.resize())
                .classes(c.classes()).epochs(c.epochs()).batchSize(c.batchSize()).updater(Updater.NESTEROVS)
                .learningRate(0.01).seed(c.seed()).trainLimit(c.trainLimit()).testLimit(c.testLimit())
                .targetAccuracy(c.targetAccuracy()).bootstrapSamples(c.bootstrapSamples()).layers(c.layers())
                .weightDecay(weightDecay).lrPatience(patience).build();
    }

    @Test
    void plateauDividesTheRateByTenAfterPatienceEpochsWithoutABetterTop1() {
        Plateau p = new Plateau(0.01, 2);
        assertFalse(p.afterEpoch(0.50));
        assertFalse(p.afterEpoch(0.60));
        assertFalse(p.afterEpoch(0.59));
        assertTrue(p.afterEpoch(0.60), "two epochs without beating 0.60");
        assertEquals(0.001, p.rate(), 1e-12);
        assertFalse(p.afterEpoch(0.61));
        Plateau constant = new Plateau(0.01, 0);
        for (int i = 0; i < 5; i++) {
            assertFalse(constant.afterEpoch(0.5));
        }
        assertEquals(0.01, constant.rate());
    }

    @Test
    void weightDecayIsAnL2TermOnEveryLayersWeights() {
        RunConfig config = withRecipe(TinyRuns.config("tiny-cnn", 1), 5e-4, 2);
        ComputationGraph net = Trainer.network(TinyRuns.tinyCnn("tiny-cnn"), config);
        int layers = 0;
        for (var vertex : net.getConfiguration().getVertices().values()) {
            if (vertex instanceof LayerVertex l && l.getLayerConf().getLayer() instanceof BaseLayer base) {
                assertEquals(List.of(new L2Regularization(5e-4)), base.getRegularization());
                assertTrue(base.getRegularizationBias() == null || base.getRegularizationBias().isEmpty());
                layers++;
            }
        }
        assertEquals(3, layers, "conv, dense and output");
        ComputationGraph plain = Trainer.network(TinyRuns.tinyCnn("tiny-cnn"), TinyRuns.config("tiny-cnn", 1));
        plain.getConfiguration().getVertices().values().forEach(v -> {
            if (v instanceof LayerVertex l && l.getLayerConf().getLayer() instanceof BaseLayer base) {
                assertTrue(base.getRegularization() == null || base.getRegularization().isEmpty());
            }
        });
    }

    @Test
    void runIdsOfRunsWithoutTheNewFieldsAreUnchanged() throws Exception {
        RunConfig plain = TinyRuns.config("tiny-cnn", 1);
        String json = new ObjectMapper().writeValueAsString(plain);
        assertFalse(json.contains("weightDecay") || json.contains("lrPatience"), json);
        RunConfig paper = withRecipe(plain, 5e-4, 2);
        assertTrue(new ObjectMapper().writeValueAsString(paper).contains("\"weightDecay\":5.0E-4"));
        assertNotEquals(plain.runId(), withRecipe(plain, 0, 0).runId(), "the updater differs");
        assertEquals(paper, new ObjectMapper().readValue(new ObjectMapper().writeValueAsString(paper), RunConfig.class));
        assertEquals(0, new ObjectMapper().readValue(json, RunConfig.class).lrPatience());
    }

    @Test
    void aRunRecordsTheRateEachEpochTrainedAt(@TempDir Path dir) {
        RunConfig c = TinyRuns.config("tiny-cnn", 1);
        // Patience 1 and three epochs: at least one epoch fails to beat the best unless every epoch improves.
        RunConfig config = RunConfig.builder().model(c.model()).dataset(c.dataset()).input(c.input())
                .resize(c.resize()).classes(c.classes()).epochs(3).batchSize(c.batchSize()).updater(Updater.NESTEROVS)
                .learningRate(0.01).seed(c.seed()).trainLimit(c.trainLimit()).testLimit(c.testLimit())
                .targetAccuracy(c.targetAccuracy()).bootstrapSamples(c.bootstrapSamples()).layers(c.layers())
                .weightDecay(5e-4).lrPatience(1).build();
        RunRecord r;
        try (RunData data = TinyRuns.syntheticData().forRun(config)) {
            r = new Trainer(ResultsStore.openForWriting(dir)).run(RunSpec.single(config), TinyRuns.tinyCnn("tiny-cnn"),
                    data, "test");
        }
        List<EpochStats> epochs = r.epochs();
        assertEquals(0.01, epochs.get(0).learningRate(), 1e-12);
        for (int e = 1; e < epochs.size(); e++) {
            boolean improved = epochs.get(e - 1).testAccuracy() > epochs.subList(0, e - 1).stream()
                    .mapToDouble(EpochStats::testAccuracy).max().orElse(Double.NEGATIVE_INFINITY);
            assertEquals(improved ? epochs.get(e - 1).learningRate() : epochs.get(e - 1).learningRate() / 10,
                    epochs.get(e).learningRate(), 1e-12, "epoch " + (e + 1));
        }
    }
}
