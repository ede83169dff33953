package org.zoobench.device;

import org.junit.jupiter.api.Test;
import org.zoobench.device.GpuFacts.Demand;
import org.zoobench.device.GpuFacts.Device;
import org.zoobench.device.GpuPreflight.Failure;
import org.zoobench.device.GpuPreflight.Verdict;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every verdict, from the facts GPU machines in various states would report. */
class GpuPreflightTest {

    private static final long GB = 1_000_000_000L;
    private static final String LIBCUDA = "/lib/x86_64-linux-gnu/libcuda.so.1";
    private static final Device A10 = new Device(0, "NVIDIA A10G", 24 * GB, 22 * GB, "8.6");
    private static final Map<String, String> LOADED = Map.of(
            "cudart", "/root/.javacpp/cache/cuda-redist.jar/org/bytedeco/cuda/linux-x86_64/libcudart.so.11.0",
            "cudnn", "/root/.javacpp/cache/cuda-redist.jar/org/bytedeco/cuda/linux-x86_64/libcudnn.so.8",
            "nd4jcuda", "/root/.javacpp/cache/nd4j-cuda.jar/org/nd4j/linalg/jcublas/bindings/linux-x86_64-cudnn/"
                    + "libnd4jcuda.so");

    private static GpuFacts driver(String version) {
        return GpuFacts.driverOnly(version, LIBCUDA, List.of(A10));
    }

    private static void assertFails(Failure expected, GpuFacts facts, String... words) {
        Verdict v = GpuPreflight.judge(facts);
        assertEquals(expected, v.failure(), v.message());
        assertEquals(1, v.message().lines().count(), "one line");
        for (String w : words) {
            assertTrue(v.message().contains(w), w + " in: " + v.message());
        }
    }

    @Test
    void noDriverSaysSoAndWhatItNeeds() {
        assertFails(Failure.NO_DRIVER, GpuFacts.driverOnly(null, null, null),
                "no NVIDIA driver", ">= 510.39.01", "--backend cpu");
    }

    @Test
    void kernelModuleWithoutLibcudaIsNoDriverToo() {
        assertFails(Failure.NO_DRIVER, GpuFacts.driverOnly("535.104.05", null, List.of(A10)),
                "535.104.05", "libcuda.so.1", "--gpus all");
    }

    @Test
    void driverOlderThanCuda116NeedsIsTooOld() {
        assertFails(Failure.DRIVER_TOO_OLD, driver("470.182.03"), "470.182.03 is too old", ">= 510.39.01",
                "upgrade the driver");
        assertFails(Failure.DRIVER_TOO_OLD, driver("510.39"), "too old");
        assertTrue(GpuPreflight.judge(driver("510.39.01")).ok());
        assertTrue(GpuPreflight.judge(driver("550.54.15")).ok());
    }

    @Test
    void driverThatSeesNoGpu() {
        assertFails(Failure.NO_DEVICE, GpuFacts.driverOnly("535.104.05", LIBCUDA, List.of()),
                "sees no GPU", "CUDA_VISIBLE_DEVICES");
    }

    @Test
    void unknownDevicesBeforeTheBackendLoadsAreNotAFailure() {
        assertTrue(GpuPreflight.judge(GpuFacts.driverOnly("535.104.05", LIBCUDA, null)).ok());
    }

    @Test
    void cudnnMissingWhenTheBackendLoadedWithoutIt() {
        Map<String, String> withoutCudnn = Map.of("cudart", LOADED.get("cudart"), "nd4jcuda", LOADED.get("nd4jcuda"));
        assertFails(Failure.CUDNN_MISSING, driver("535.104.05").withBackend(List.of(A10), withoutCudnn, null),
                "cuDNN 8", "mvn -Pcuda -DskipTests package");
    }

    @Test
    void cudnnMissingWhenLoadingFailsOnIt() {
        assertFails(Failure.CUDNN_MISSING, driver("535.104.05").withBackend(null, Map.of(),
                "libcudnn.so.8: cannot open shared object file: No such file or directory"),
                "cuDNN 8", "libcudnn.so.8");
    }

    @Test
    void libcudaThatTheRuntimeCannotOpenIsNoDriver() {
        // what JavaCPP's CUDA runtime says on a machine without the driver's library (seen on this machine)
        assertFails(Failure.NO_DRIVER, driver("535.104.05").withBackend(null, Map.of(), "/root/.javacpp/cache/"
                + "cuda-11.6-8.3-1.5.7-linux-x86_64.jar/org/bytedeco/cuda/linux-x86_64/libjnicudnn.so: libcuda.so.1: "
                + "cannot open shared object file: No such file or directory"),
                "cannot open the driver's libcuda.so.1");
    }

    @Test
    void cudaErrorsWhileLoadingAreNamed() {
        assertFails(Failure.DRIVER_TOO_OLD, driver("535.104.05").withBackend(null, Map.of(),
                "CUDA driver version is insufficient for CUDA runtime version"), "upgrade the driver");
        assertFails(Failure.NO_DEVICE, driver("535.104.05").withBackend(null, Map.of(),
                "no CUDA-capable device is detected"), "CUDA sees no GPU");
        assertFails(Failure.BACKEND_FAILED, driver("535.104.05").withBackend(null, Map.of(), "something else"),
                "did not load (something else)", "gpu-check");
    }

    @Test
    void cudaDevicesReplaceNvidiaSmis() {
        Device fromCuda = new Device(0, "NVIDIA A10G", 24 * GB, 1 * GB, "8.6");
        GpuFacts facts = driver("535.104.05").withBackend(List.of(fromCuda), LOADED, null);
        assertEquals(1 * GB, facts.devices().get(0).freeBytes());
        assertTrue(facts.backendLoaded());
    }

    @Test
    void outOfMemoryAtTheRequestedBatchSuggestsOneThatFits() {
        // 1 GB fixed + 0.1 GB per example: 256 need 26.6 GB, 128 need 13.8 GB of the 22 GB free
        Demand demand = new Demand("resnet50 training", 256, GB, GB / 10);
        assertFails(Failure.OUT_OF_MEMORY, driver("535.104.05").withBackend(List.of(A10), LOADED, null)
                .withDemand(demand), "GPU 0 (NVIDIA A10G)", "resnet50 training at batch 256", "26.6 GB",
                "22.0 GB is free", "--batch 128 or less");
        assertTrue(GpuPreflight.judge(driver("535.104.05").withDemand(new Demand("resnet50 training", 128, GB,
                GB / 10))).ok());
    }

    @Test
    void outOfMemoryEvenAtBatchOne() {
        assertFails(Failure.OUT_OF_MEMORY, driver("535.104.05").withDemand(new Demand("huge training", 8, 30 * GB, 1)),
                "does not fit even at batch 1");
    }

    @Test
    void demandFollowsTheModelProfile() {
        Demand d = new Demand("m", 4, 100, 10);
        assertEquals(140, d.bytes(4));
        assertEquals(8, GpuPreflight.largestBatchThatFits(new Demand("m", 12, 100, 10), 185));
    }

    @Test
    void usableGpuReportsDriverDevicesAndLibraries() {
        GpuFacts facts = driver("535.104.05").withBackend(List.of(A10), LOADED, null);
        Verdict v = GpuPreflight.judge(facts);
        assertTrue(v.ok());
        assertNull(v.message());
        String report = GpuPreflight.report(facts);
        assertTrue(report.contains("NVIDIA driver: 535.104.05 (CUDA 11.6 needs >= 510.39.01)"), report);
        assertTrue(report.contains("libcuda.so.1: " + LIBCUDA), report);
        assertTrue(report.contains("GPU 0: NVIDIA A10G, 24.0 GB total, 22.0 GB free, compute capability 8.6"), report);
        assertTrue(report.contains("loaded cudnn: " + LOADED.get("cudnn")), report);
        assertTrue(report.contains("loaded nd4jcuda: "), report);
    }

    @Test
    void versionsCompareNumerically() {
        assertTrue(GpuPreflight.compareVersions("510.39.01", "510.39.1") == 0);
        assertTrue(GpuPreflight.compareVersions("510.108.03", "510.39.01") > 0);
        assertTrue(GpuPreflight.compareVersions("495.29.05", "510.39.01") < 0);
        assertTrue(GpuPreflight.compareVersions("1000", "510.39.01") > 0);
    }
}
