package org.zoobench.layers;

import static org.bytedeco.dnnl.global.dnnl.dnnl_ab;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nchw;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nhwc;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** The batch norm's rectifying inference pass against its plain inference pass followed by a ReLU. */
class OneDnnBatchNormTest {

    /**
     * Both ways of computing it: the per-channel scaling (channels-last DenseNet concatenations, whose channel
     * counts oneDNN's batch norm kernels take only in a plain loop; NCHW maps; vectors) and, where oneDNN has only
     * its reference kernel for that scaling (few channels on large maps), the batch norm with the ReLU fused.
     */
    @ParameterizedTest
    @CsvSource({"4x162x8x8, nhwc, true, true", "4x36x32x32, nhwc, true, true", "4x24x32x32, nhwc, true, false",
            "4x24x32x32, nhwc, false, false", "3x20x5x5, nchw, true, true", "6x30, ab, true, true",
            "6x30, ab, false, true"})
    void rectifiedInferenceIsTheInferencePassFollowedByAReLU(String dims, String layout, boolean scaled,
                                                             boolean byScaling) {
        long[] shape = java.util.Arrays.stream(dims.split("x")).mapToLong(Long::parseLong).toArray();
        int tag = switch (layout) {
            case "nhwc" -> dnnl_nhwc;
            case "nchw" -> dnnl_nchw;
            default -> dnnl_ab;
        };
        long channels = shape[1];
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.randn(DataType.FLOAT, shape); // one block: its values in either layout
        INDArray mean = Nd4j.randn(DataType.FLOAT, channels).muli(0.3);
        INDArray variance = Nd4j.rand(DataType.FLOAT, channels).addi(0.5);
        INDArray gamma = scaled ? Nd4j.rand(DataType.FLOAT, channels).addi(0.5) : null;
        INDArray beta = scaled ? Nd4j.randn(DataType.FLOAT, channels).muli(0.2) : null;

        OneDnnBatchNorm norm = new OneDnnBatchNorm(shape, tag, 1e-5, scaled, false, true);
        assertEquals(byScaling, norm.rectifiesByScaling(), dims + " " + layout);
        INDArray expected = Nd4j.createUninitialized(DataType.FLOAT, shape);
        norm.inference(x, mean, variance, gamma, beta, expected);
        Transforms.relu(expected, false);
        INDArray rectified = Nd4j.createUninitialized(DataType.FLOAT, shape);
        norm.inferenceRectified(x, mean, variance, gamma, beta, rectified);

        float[] want = expected.reshape(expected.length()).toFloatVector();
        assertArrayEquals(want, rectified.reshape(rectified.length()).toFloatVector(), 2e-6f, dims + " " + layout);
        long zeros = java.util.Arrays.stream(rectified.reshape(rectified.length()).toDoubleVector())
                .filter(v -> v == 0).count();
        assertEquals(java.util.Arrays.stream(expected.reshape(expected.length()).toDoubleVector())
                .filter(v -> v == 0).count(), zeros, "the same values rectified");
    }
}
