package org.zoobench.zoo.blocks;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.zoobench.zoo.InputShape;
import org.zoobench.zoo.ModelOptions;

import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Finite-difference checks of a block's backward pass: the block between a tiny input and a softmax output. */
final class GradientChecks {

    private GradientChecks() {
    }

    /** Options for a gradient check: double precision, and no updater so the check sees raw gradients. */
    static ModelOptions options(InputShape input, int classes) {
        return ModelOptions.of(classes, input).withDataType(DataType.DOUBLE).withUpdater(new NoOp()).withSeed(12345);
    }

    /**
     * {@code block} gets the graph and its input's name and returns the block's output name.
     * <p>
     * DL4J stores BatchNorm's running-statistics updates in the gradient of its mean/variance parameters, which the
     * loss does not depend on, so they must not be checked. Excluding them by name does not work for graphs with
     * branches: GradientCheckUtil maps names to flat indices in vertex order, while the flat parameter vector is in
     * topological order. Freezing the running statistics (decay 1) makes those entries zero on both sides instead;
     * it changes nothing in the training-mode forward and backward pass being checked.
     */
    static ComputationGraph network(ModelOptions options, BiFunction<GraphBuilder, String, String> block) {
        GraphBuilder graph = Graphs.start(options);
        String out = block.apply(graph, Graphs.INPUT);
        String pooled = Layers.globalAvgPool(graph, "gap", out);
        ComputationGraphConfiguration conf = Graphs.classifier(graph, pooled, options.numClasses()).build();
        for (GraphVertex vertex : conf.getVertices().values()) {
            if (vertex instanceof LayerVertex layer && layer.getLayerConf().getLayer() instanceof BatchNormalization bn) {
                bn.setDecay(1.0);
            }
        }
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        return options.impl().apply(net); // the fast layers' native ops, in double precision
    }

    static void assertGradientsMatch(ComputationGraph net, ModelOptions options, int batch) {
        Nd4j.getRandom().setSeed(7);
        INDArray input = Nd4j.rand(DataType.DOUBLE, options.input().batchShape(batch)).subi(0.5);
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, batch, options.numClasses());
        for (int i = 0; i < batch; i++) {
            labels.putScalar(i, i % options.numClasses(), 1.0);
        }
        // GradientCheckUtil insists on double as the global default type too; restore it for the other tests.
        DataType defaultType = Nd4j.defaultFloatingPointType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        // Hundreds of forward passes over a few hundred numbers: thread hand-offs would cost more than the maths.
        NativeOps nativeOps = NativeOpsHolder.getInstance().getDeviceNativeOps();
        int threads = nativeOps.ompGetMaxThreads();
        nativeOps.setOmpNumThreads(1);
        try {
            boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig()
                    .net(net)
                    .inputs(new INDArray[]{input})
                    .labels(new INDArray[]{labels})
                    .epsilon(1e-6)
                    .maxRelError(1e-3)
                    .minAbsoluteError(1e-8));
            assertTrue(ok, "analytic and numerical gradients differ");
        } finally {
            nativeOps.setOmpNumThreads(threads);
            Nd4j.setDefaultDataTypes(defaultType, defaultType);
        }
    }
}
