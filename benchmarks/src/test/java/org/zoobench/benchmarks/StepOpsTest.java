package org.zoobench.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.zoobench.layers.LayerImpl;
import org.zoobench.zoo.InputShape;
import org.zoobench.zoo.ModelEntry;
import org.zoobench.zoo.ModelRegistry;

/** The libnd4j op counts of a training step and an inference pass. */
class StepOpsTest {

    /**
     * resnet20's 19 batch norms used to run 16 libnd4j ops a training step each for their running statistics and
     * three an inference pass (the variance from log10 of the standard deviation: a fill, a power, a product);
     * with the fast layers none of those ops remain, and the step's convolutions and batch norms are oneDNN's
     * (not counted) while its loss and updater ops are.
     */
    @Test
    void aFastResNetStepRunsNoOpForItsBatchNormsStatistics() {
        ModelEntry entry = ModelRegistry.get("resnet20");
        Map<String, double[]> perPass = StepOps.count(entry,
                entry.defaultOptions().withInput(InputShape.parse("3x16x16")).withImpl(LayerImpl.FAST), 4);
        for (String statisticsOp : new String[]{"pow_pairwise", "set_scalar", "divide"}) {
            assertEquals(null, perPass.get(statisticsOp), statisticsOp);
        }
        assertTrue(perPass.get("adam_updater")[0] >= 1, "the updater's ops are counted");
        assertEquals(0, perPass.get("adam_updater")[1], "inference updates nothing");
        double trainingOps = perPass.values().stream().mapToDouble(n -> n[0]).sum();
        assertTrue(trainingOps < 19 * 8, trainingOps + " ops a step");
    }

    /**
     * DenseNet-121's blocks of 6, 12, 24 and 16 layers: each feature map is read by every later concatenation of
     * its block, whose gradients DL4J would sum with 535 add ops a step; the fast concatenations add them into the
     * map's gradient themselves, leaving one add per block (the block input's, which its first layer's batch norm
     * reads too). At a 32x32 input the last block's maps are 1x1, where held and C order are the same memory and
     * nothing is copied between them: an inference pass runs a handful of ops (433 before).
     */
    @Test
    void aFastDenseNetSumsItsConcatenationsGradientsItself() {
        ModelEntry entry = ModelRegistry.get("densenet121");
        Map<String, double[]> perPass = StepOps.count(entry, entry.defaultOptions().withClasses(10)
                .withInput(InputShape.parse("1x32x32")).withImpl(LayerImpl.FAST), 2);
        assertEquals(4, perPass.get("add")[0], "adds a training step");
        double inferenceOps = perPass.values().stream().mapToDouble(n -> n[1]).sum();
        assertTrue(inferenceOps <= 10, inferenceOps + " ops an inference pass");
    }
}
