package org.zoobench.benchmarks;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BenchEnvironmentTest {

    @Test
    void namesTheCpuBuildFromLibnd4jsBuildDescription() {
        assertEquals("cpu-onednn", BenchEnvironment.backendName(true,
                "GCC: \"7.5.0\"\nDEFAULT_ENGINE: samediff::ENGINE_CPU\nHAVE_FLATBUFFERS\nHAVE_ONEDNN\nHAVE_OPENBLAS"));
        assertEquals("cpu", BenchEnvironment.backendName(true,
                "GCC: \"7.5.0\"\nDEFAULT_ENGINE: samediff::ENGINE_CPU\nHAVE_FLATBUFFERS\nHAVE_OPENBLAS"));
        assertEquals("cuda", BenchEnvironment.backendName(false, "HAVE_CUDNN"));
    }
}
