package org.zoobench.device;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.environment.Nd4jEnvironment;
import org.zoobench.device.GpuFacts.Device;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** How the probe reads what drivers, nvidia-smi, ldconfig and ND4J's CUDA backend print. */
class GpuProbeTest {

    private static final long MIB = 1024 * 1024;

    @Test
    void kernelModuleVersionFromProc() {
        assertEquals("535.104.05", GpuProbe.parseProcVersion("NVRM version: NVIDIA UNIX x86_64 Kernel Module  "
                + "535.104.05  Sat Aug 19 01:15:15 UTC 2023\nGCC version:  gcc version 12.2.0 (Debian 12.2.0-14)\n"));
        assertEquals("550.54.15", GpuProbe.parseProcVersion("NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  "
                + "550.54.15  Release Build  (dvs-builder@U16-I3-B03-4-3)  Tue Mar  5 22:15:33 UTC 2024\n"));
        assertNull(GpuProbe.parseProcVersion("something else"));
    }

    @Test
    void nvidiaSmiRows() {
        List<Device> devices = GpuProbe.parseSmi(List.of("0, NVIDIA A10G, 23028, 22563, 8.6, 535.104.05",
                "1, NVIDIA GeForce RTX 3090, 24576, 100, 8.6, 535.104.05"));
        assertEquals(List.of(new Device(0, "NVIDIA A10G", 23028 * MIB, 22563 * MIB, "8.6"),
                new Device(1, "NVIDIA GeForce RTX 3090", 24576 * MIB, 100 * MIB, "8.6")), devices);
    }

    @Test
    void nvidiaSmiOfOldDriversHasNoComputeCapability() {
        assertEquals(List.of(new Device(0, "Tesla T4", 15109 * MIB, 15000 * MIB, "?")),
                GpuProbe.parseSmi(List.of("0, Tesla T4, 15109, 15000, 470.182.03")));
    }

    @Test
    void nvidiaSmiWithoutDevicesOrWithoutDriver() {
        assertEquals(List.of(), GpuProbe.parseSmi(List.of("No devices were found")));
        assertNull(GpuProbe.parseSmi(List.of("NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA "
                + "driver. Make sure that the latest NVIDIA driver is installed and running.")));
    }

    @Test
    void libcudaFromLdconfig() {
        assertEquals("/lib/x86_64-linux-gnu/libcuda.so.1", GpuProbe.parseLdconfig(List.of(
                "1234 libs found in cache `/etc/ld.so.cache'",
                "\tlibcuda.so.1 (libc6) => /lib/i386-linux-gnu/libcuda.so.1",
                "\tlibcuda.so.1 (libc6,x86-64) => /lib/x86_64-linux-gnu/libcuda.so.1",
                "\tlibcuda.so (libc6,x86-64) => /lib/x86_64-linux-gnu/libcuda.so")));
        assertNull(GpuProbe.parseLdconfig(List.of("\tlibc.so.6 (libc6,x86-64) => /lib/x86_64-linux-gnu/libc.so.6")));
    }

    @Test
    void devicesFromNd4jsCudaEnvironmentReport() {
        Properties env = new Properties();
        env.put(Nd4jEnvironment.CUDA_DEVICE_INFORMATION_KEY, List.of(Map.of(
                Nd4jEnvironment.CUDA_DEVICE_NAME_KEY, "NVIDIA A100-SXM4-40GB",
                Nd4jEnvironment.CUDA_TOTAL_MEMORY_KEY, 42_314_694_656L,
                Nd4jEnvironment.CUDA_FREE_MEMORY_KEY, 41_000_000_000L,
                Nd4jEnvironment.CUDA_DEVICE_MAJOR_VERSION_KEY, 8L,
                Nd4jEnvironment.CUDA_DEVICE_MINOR_VERSION_KEY, 0L)));
        List<Device> devices = GpuProbe.devices(env);
        assertEquals(List.of(new Device(0, "NVIDIA A100-SXM4-40GB", 42_314_694_656L, 41_000_000_000L, "8.0")),
                devices);
        assertEquals("NVIDIA A100-SXM4-40GB", ComputeDevice.name(devices, 0));
        assertEquals(List.of(), GpuProbe.devices(new Properties()), "the CPU backend lists none");
    }

    @Test
    void onlyCudaLibrariesAreReported() {
        assertEquals(Map.of("cudnn", "/c/libcudnn.so.8", "nd4jcuda", "/c/libnd4jcuda.so"),
                GpuProbe.cudaLibraries(Map.of("cudnn", "/c/libcudnn.so.8", "nd4jcuda", "/c/libnd4jcuda.so",
                        "jnijavacpp", "/c/libjnijavacpp.so", "gomp", "/usr/lib/libgomp.so.1")));
    }

    @Test
    void thisMachineHasNoDriverAndSaysSoWithoutLoadingCuda() {
        assumeFalse(Files.exists(GpuProbe.PROC_VERSION), "this machine has an NVIDIA driver");
        GpuProbe.Checked checked = GpuProbe.check(null, true);
        assertEquals(GpuPreflight.Failure.NO_DRIVER, checked.verdict().failure());
        assertTrue(checked.facts().libraries().isEmpty(), "the backend was not loaded");
    }
}
