package org.zoobench.benchmarks;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.List;

/**
 * One stock DL4J layer (the implementation the zoo's networks run through) timed alone: forward in training mode,
 * and {@code backpropGradient} after an untimed forward pass (layers such as batch norm consume what the forward
 * pass cached). A convolution's backpropGradient also recomputes the forward im2col product, as DL4J does in
 * every training step.
 */
public class StockLayerBenchmark extends LayerBenchmark {

    @Param({"lenet5-c3", "alexnet-conv1", "alexnet-conv3", "resnet20-stage1", "resnet18-stage1", "resnet18-stage4",
            "alexnet-fc7", "resnet18-stage1-bn", "lstm-fashion-rows"})
    public String layerCase;

    private Layer layer;
    private INDArray input;
    private INDArray outputGradient;
    private final LayerWorkspaceMgr workspaces = LayerWorkspaceMgr.noWorkspaces();

    @Setup(Level.Trial)
    public void setUp() {
        LayerCase c = LayerCase.byId(layerCase);
        NeuralNetConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(42).dataType(DataType.FLOAT).weightInit(WeightInit.RELU)
                .layer(c.stockLayer()).build();
        long numParams = conf.getLayer().initializer().numParams(conf);
        INDArray params = Nd4j.create(DataType.FLOAT, 1, numParams);
        layer = conf.getLayer().instantiate(conf, List.of(), 0, params, true, DataType.FLOAT);
        layer.setBackpropGradientsViewArray(Nd4j.create(DataType.FLOAT, 1, numParams));
        Nd4j.getRandom().setSeed(42);
        input = Nd4j.randn(DataType.FLOAT, c.shape().inputShape());
        outputGradient = Nd4j.randn(DataType.FLOAT, c.shape().outputShape());
    }

    @Benchmark
    public INDArray forward() {
        layer.setInput(input, workspaces);
        return layer.activate(true, workspaces);
    }

    /** A fresh forward pass before each timed backward pass, as in a training step. */
    @State(Scope.Thread)
    public static class ForwardDone {
        @Setup(Level.Invocation)
        public void forward(StockLayerBenchmark benchmark) {
            benchmark.forward();
        }
    }

    @Benchmark
    public Pair<Gradient, INDArray> backward(ForwardDone forwardDone) {
        return layer.backpropGradient(outputGradient, workspaces);
    }
}
