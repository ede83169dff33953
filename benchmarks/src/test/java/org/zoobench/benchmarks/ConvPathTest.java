package org.zoobench.benchmarks;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which convolution code a benchmark row records. */
class ConvPathTest {

    @Test
    void libnd4jsPlatformHelperFollowsItsBuild() {
        assertEquals("libnd4j conv2d (cuDNN)", ConvPath.nativeOp("... HAVE_CUDNN ...", true));
        assertEquals("libnd4j conv2d (oneDNN)", ConvPath.nativeOp("HAVE_ONEDNN", true));
        assertEquals("libnd4j conv2d (built-in)", ConvPath.nativeOp("HAVE_ONEDNN", false));
        assertEquals("libnd4j conv2d (built-in)", ConvPath.nativeOp("", true));
    }

    @Test
    void stockLayerWithoutHelperRunsIm2col() {
        assertEquals(ConvPath.IM2COL, ConvPath.ofHelper(null));
        assertEquals(ConvPath.IM2COL, ConvPath.stockLayer(), "the avx2 build has no oneDNN");
    }
}
