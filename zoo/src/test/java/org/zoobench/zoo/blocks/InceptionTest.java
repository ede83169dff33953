package org.zoobench.zoo.blocks;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.zoobench.zoo.InputShape;
import org.zoobench.zoo.ModelOptions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class InceptionTest {

    private static final ModelOptions OPTIONS = GradientChecks.options(InputShape.image(2, 3, 3), 3);
    private static final Inception.Filters TINY = new Inception.Filters(1, 2, 2, 1, 2, 1);

    private static ComputationGraph tinyModule(boolean batchNorm) {
        return GradientChecks.network(OPTIONS, (graph, in) -> Inception.module(graph, "inc", in, TINY, batchNorm));
    }

    @ParameterizedTest(name = "batchNorm={0}")
    @ValueSource(booleans = {false, true})
    void gradientsMatchFiniteDifferences(boolean batchNorm) {
        GradientChecks.assertGradientsMatch(tinyModule(batchNorm), OPTIONS, 4);
    }

    @Test
    void concatenatesTheFourBranchesAtTheInputSize() {
        ComputationGraph net = tinyModule(false);
        var out = net.feedForward(Nd4j.rand(DataType.DOUBLE, 2, 2, 3, 3), false).get("inc");
        assertArrayEquals(new long[]{2, TINY.outChannels(), 3, 3}, out.shape());
        assertEquals(1 + 2 + 2 + 1, TINY.outChannels());
        // 1x1: 2*1+1; 3x3 reduce: 2*2+2, 3x3: 2*2*9+2; 5x5 reduce: 2*1+1, 5x5: 1*2*25+2; pool proj: 2*1+1.
        long moduleParams = net.numParams() - net.getLayer(Graphs.OUTPUT).numParams();
        assertEquals(3 + 6 + 38 + 3 + 52 + 3, moduleParams);
    }
}
