package org.zoobench.layers;

import static org.bytedeco.dnnl.global.dnnl.dnnl_ab;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nchw;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nhwc;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** The batch norm's rectifying inference pass against its plain inference pass followed by a ReLU. */
class OneDnnBatchNormTest {

    /**
     * Both ways of computing it: the batch norm with the ReLU fused where oneDNN has an AVX-512 kernel for it (a
     * multiple of 16 channels, channels-last) or only a reference kernel for the scaling (few channels on large
     * maps), else the per-channel scaling (channels-last DenseNet-BC concatenations, whose channel counts oneDNN's
     * batch norm takes in slower kernels; NCHW maps; vectors).
     */
    @ParameterizedTest
    @CsvSource({"4x162x8x8, nhwc, true, scaling", "4x36x32x32, nhwc, true, scaling",
            "4x48x8x8, nhwc, true, batch norm where AVX-512", "4x24x32x32, nhwc, true, batch norm",
            "4x24x32x32, nhwc, false, batch norm", "3x20x5x5, nchw, true, scaling", "6x30, ab, true, scaling",
            "6x30, ab, false, scaling"})
    void rectifiedInferenceIsTheInferencePassFollowedByAReLU(String dims, String layout, boolean scaled,
                                                             String computedBy) throws IOException {
        boolean avx512 = Files.readString(Path.of("/proc/cpuinfo")).contains(" avx512f");
        boolean byScaling = computedBy.equals("scaling") || computedBy.endsWith("where AVX-512") && !avx512;
        long[] shape = Arrays.stream(dims.split("x")).mapToLong(Long::parseLong).toArray();
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
        long zeros = Arrays.stream(rectified.reshape(rectified.length()).toDoubleVector())
                .filter(v -> v == 0).count();
        assertEquals(Arrays.stream(expected.reshape(expected.length()).toDoubleVector())
                .filter(v -> v == 0).count(), zeros, "the same values rectified");
    }
}
