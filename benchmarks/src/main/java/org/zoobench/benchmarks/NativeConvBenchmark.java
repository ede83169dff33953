package org.zoobench.benchmarks;

import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;


/**
 * The same convolutions as {@link StockLayerBenchmark} through libnd4j's own {@code conv2d} and {@code conv2d_bp}
 * ops (oneDNN's kernels in the onednn build), with DL4J's weight layout [out, in, kH, kW] and a bias, so the two
 * differ only in the implementation.
 */
public class NativeConvBenchmark extends LayerBenchmark {

    @Param({"lenet5-c3", "alexnet-conv1", "alexnet-conv3", "resnet20-stage1", "resnet18-stage1", "resnet18-stage4"})
    public String layerCase;

    private Conv2DConfig config;
    private INDArray input;
    private INDArray weights;
    private INDArray bias;
    private INDArray outputGradient;
    private DynamicCustomOp backward;

    @Setup(Level.Trial)
    public void setUp() {
        LayerCase.Shape s = LayerCase.byId(layerCase).shape();
        if (s.kind() != LayerCase.Kind.CONV) {
            throw new IllegalArgumentException(layerCase + " is not a convolution");
        }
        config = Conv2DConfig.builder()
                .kH(s.kernel()).kW(s.kernel()).sH(s.stride()).sW(s.stride()).pH(s.pad()).pW(s.pad()).dH(1).dW(1)
                .paddingMode(PaddingMode.VALID).dataFormat(Conv2DConfig.NCHW).weightsFormat(WeightsFormat.OIYX)
                .build();
        Nd4j.getRandom().setSeed(42);
        input = Nd4j.randn(DataType.FLOAT, s.inputShape());
        weights = Nd4j.randn(DataType.FLOAT, s.out(), s.in(), s.kernel(), s.kernel()).muli(0.05);
        bias = Nd4j.randn(DataType.FLOAT, s.out()).muli(0.1);
        outputGradient = Nd4j.randn(DataType.FLOAT, s.outputShape());
        backward = DynamicCustomOp.builder("conv2d_bp")
                .addInputs(input, weights, bias, outputGradient)
                .addOutputs(input.ulike(), weights.ulike(), bias.ulike())
                // kH, kW, sH, sW, pH, pW, dH, dW, same-mode (0: explicit padding), NCHW (0), weights [oC, iC, kH, kW] (1)
                .addIntegerArguments(s.kernel(), s.kernel(), s.stride(), s.stride(), s.pad(), s.pad(), 1, 1, 0, 0, 1)
                .build();
    }

    @Benchmark
    public INDArray forward() {
        return Nd4j.cnn().conv2d(input, weights, bias, config);
    }

    @Benchmark
    public INDArray[] backward() {
        return Nd4j.exec(backward);
    }
}
