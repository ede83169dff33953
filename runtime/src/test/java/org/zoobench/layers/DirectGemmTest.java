package org.zoobench.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;
import org.nd4j.linalg.api.blas.params.MMulTranspose;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.profiler.OpProfiler;
import org.nd4j.linalg.profiler.ProfilerConfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** OpenBLAS called directly gives ND4J's own matmul results for every layout DL4J hands it, for the graphs that chose it. */
class DirectGemmTest {

    @Test
    void everyLayoutTransposeAndTypeMatchesNd4jsMatmul() {
        for (DataType type : new DataType[]{DataType.FLOAT, DataType.DOUBLE}) {
            for (char orderA : new char[]{'c', 'f'}) {
                for (char orderB : new char[]{'c', 'f'}) {
                    for (char orderC : new char[]{'c', 'f'}) {
                        for (boolean ta : new boolean[]{false, true}) {
                            for (boolean tb : new boolean[]{false, true}) {
                                check(type, orderA, orderB, orderC, ta, tb, false);
                                check(type, orderA, orderB, orderC, ta, tb, true);
                            }
                        }
                    }
                }
            }
        }
    }

    /** With {@code views}, every operand is a sub-matrix at a non-zero offset of a larger array, as parameter views are. */
    private static void check(DataType type, char orderA, char orderB, char orderC, boolean ta, boolean tb,
                              boolean views) {
        int m = 7;
        int n = 5;
        int k = 6;
        Nd4j.getRandom().setSeed(1);
        INDArray a = operand(type, orderA, ta ? k : m, ta ? m : k, views);
        INDArray b = operand(type, orderB, tb ? n : k, tb ? k : n, views);
        INDArray c = operand(type, orderC, m, n, views);
        INDArray expected = c.dup();
        Nd4j.exec(new Mmul(a, b, expected, 0.5, 2.0, MMulTranspose.builder().transposeA(ta).transposeB(tb).build()));
        DirectGemm.multiply(a, b, c, ta, tb, 0.5, 2.0);
        String what = type + " " + orderA + orderB + orderC + " ta=" + ta + " tb=" + tb + " views=" + views;
        assertTrue(expected.equalsWithEps(c, type == DataType.FLOAT ? 1e-5 : 1e-12), what + "\n" + expected + "\n" + c);
    }

    private static INDArray operand(DataType type, char order, int rows, int cols, boolean view) {
        if (!view) {
            return Nd4j.rand(type, order, rows, cols);
        }
        INDArray big = Nd4j.rand(type, order, rows + 3, cols + 2);
        return big.get(NDArrayIndex.interval(2, rows + 2), NDArrayIndex.interval(1, cols + 1));
    }

    /**
     * Two graphs in one JVM, one choosing OpenBLAS (fast) and one ND4J's matmul (stock), each keep their choice
     * whichever was applied last. Seen in the ops ND4J runs: its matmul computes the stock graph's dense layer, not
     * the fast one's (the output layer's product, below the threshold, is matmul's in both). The two give the same
     * bits on these shapes, so only the ops show the routing.
     */
    @Test
    void twoGraphsInOneJvmEachKeepTheirOwnProducts() {
        ComputationGraph fast = denseGraph();
        ComputationGraph stock = denseGraph();
        INDArray input = Nd4j.rand(DataType.FLOAT, BATCH, FEATURES);
        LayerImpl.FAST.apply(fast);
        LayerImpl.STOCK.apply(stock);
        assertEquals(1, matmulsIn(fast, input), "fast graph, stock applied last");
        assertEquals(2, matmulsIn(stock, input), "stock graph, stock applied last");
        LayerImpl.FAST.apply(fast);
        assertEquals(1, matmulsIn(fast, input), "fast graph, fast applied last");
        assertEquals(2, matmulsIn(stock, input), "stock graph, fast applied last");
    }

    private static final int BATCH = 64;
    /** Features in and out of the dense layer: a product of 64 x 256 x 256, above the threshold. */
    private static final int FEATURES = 256;

    /** Input, a dense layer, softmax output with 10 classes. */
    private static ComputationGraph denseGraph() {
        ComputationGraph graph = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(7)
                .graphBuilder().addInputs("in")
                .addLayer("dense", new DenseLayer.Builder().nIn(FEATURES).nOut(FEATURES)
                        .activation(Activation.RELU).build(), "in")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(FEATURES).nOut(10)
                        .activation(Activation.SOFTMAX).build(), "dense")
                .setOutputs("out").build());
        graph.init();
        return graph;
    }

    /** How many of ND4J's matmul ops one inference pass of {@code graph} runs (counted by ND4J's op profiler). */
    private static long matmulsIn(ComputationGraph graph, INDArray input) {
        ProfilerConfig before = OpProfiler.getInstance().getConfig();
        Nd4j.getExecutioner().setProfilingConfig(ProfilerConfig.builder().checkElapsedTime(true).build());
        try {
            OpProfiler.getInstance().reset();
            graph.output(input);
            return OpProfiler.getInstance().getOpCounter().getCount("matmul");
        } finally {
            Nd4j.getExecutioner().setProfilingConfig(before);
            OpProfiler.getInstance().reset();
        }
    }
}
