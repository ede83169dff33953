package org.zoobench.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.zoobench.UserInputException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LayerImplTest {

    @Test
    void unknownImplementationIsAUserError() {
        assertEquals(LayerImpl.STOCK, LayerImpl.parse("Stock"));
        assertThrows(UserInputException.class, () -> LayerImpl.parse("turbo"));
    }

    /** A graph with no weights has no product to route, and runs as any other. */
    @Test
    void aGraphWithoutParametersTakesTheFastImplementation() {
        ComputationGraph graph = new ComputationGraph(new NeuralNetConfiguration.Builder().graphBuilder()
                .addInputs("in")
                .addLayer("relu", new ActivationLayer.Builder().activation(Activation.RELU).build(), "in")
                .addLayer("loss", new LossLayer.Builder(LossFunctions.LossFunction.MSE)
                        .activation(Activation.IDENTITY).build(), "relu")
                .setOutputs("loss").build());
        graph.init();
        LayerImpl.FAST.apply(graph);
        assertTrue(LayerImpl.FAST.runs(graph));
        float[][] input = {{-1f, 2f}, {3f, -4f}};
        assertArrayEquals(new float[][]{{0f, 2f}, {3f, 0f}},
                graph.outputSingle(Nd4j.create(input).castTo(DataType.FLOAT)).toFloatMatrix());
    }

    /**
     * DL4J sizes an activation workspace only after as many cycles as the graph has vertices; the fast layers size
     * each in the pass that first allocates in it. A graph with four activations alive at once, one pass in a fresh
     * thread (workspaces are per thread): under FAST every activation workspace that allocated holds memory after
     * it, under STOCK (DL4J's learning) not yet.
     */
    @Test
    void fastSizesEveryActivationWorkspaceInTheFirstPass() throws Exception {
        assertEquals(List.of(), activationWorkspacesUnsizedAfterOnePass(LayerImpl.FAST));
        assertFalse(activationWorkspacesUnsizedAfterOnePass(LayerImpl.STOCK).isEmpty());
    }

    private static List<String> activationWorkspacesUnsizedAfterOnePass(LayerImpl impl) throws Exception {
        ComputationGraphConfiguration.GraphBuilder builder = new NeuralNetConfiguration.Builder().graphBuilder()
                .addInputs("in");
        String[] branches = {"a", "b", "c", "d"};
        for (String branch : branches) {
            builder.addLayer(branch, new DenseLayer.Builder().nIn(16).nOut(8).activation(Activation.TANH).build(), "in");
        }
        ComputationGraph graph = new ComputationGraph(builder.addVertex("merged", new MergeVertex(), branches)
                .addLayer("loss", new LossLayer.Builder(LossFunctions.LossFunction.MSE)
                        .activation(Activation.IDENTITY).build(), "merged")
                .setOutputs("loss").build());
        graph.init();
        impl.apply(graph);
        List<String> unsized = new ArrayList<>();
        AtomicInteger allocating = new AtomicInteger();
        Thread pass = new Thread(() -> {
            graph.outputSingle(Nd4j.rand(DataType.FLOAT, 8, 16));
            for (MemoryWorkspace workspace : Nd4j.getWorkspaceManager().getAllWorkspacesForCurrentThread()) {
                if (workspace.getId().startsWith("WS_LAYER_ACT_") && workspace.getMaxCycleAllocations() > 0) {
                    allocating.incrementAndGet();
                    if (workspace.getCurrentSize() == 0) {
                        unsized.add(workspace.getId());
                    }
                }
            }
        });
        pass.start();
        pass.join();
        assertTrue(allocating.get() >= branches.length, "one workspace per activation alive at once");
        return unsized;
    }
}
