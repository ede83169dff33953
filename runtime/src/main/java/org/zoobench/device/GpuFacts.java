package org.zoobench.device;

import java.util.List;
import java.util.Map;

/**
 * What a machine reports about its NVIDIA driver, GPUs and CUDA libraries: gathered by {@link GpuProbe}, judged by
 * {@link GpuPreflight}. Tests build these by hand to stand in for machines this project has never seen.
 *
 * @param driverVersion  the NVIDIA kernel driver's version, or null when there is no driver
 * @param libcuda        where the dynamic loader finds libcuda.so.1 (the driver's user-space half), or null
 * @param devices        the GPUs the driver or CUDA lists; null while unknown (no nvidia-smi, backend not loaded)
 * @param libraries      CUDA, cuDNN and libnd4j libraries JavaCPP loaded, name to path; empty before the backend loads
 * @param backendError   why the ND4J CUDA backend did not load, or null (loaded, or not tried)
 * @param demand         GPU memory the requested work needs, or null when nothing was asked
 */
public record GpuFacts(String driverVersion, String libcuda, List<Device> devices, Map<String, String> libraries,
                       String backendError, Demand demand) {

    /**
     * @param computeCapability e.g. {@code 8.6}, or {@code ?} when the driver is too old to report it
     */
    public record Device(int index, String name, long totalBytes, long freeBytes, String computeCapability) {
    }

    /** The estimated working set of one model at one batch (the zoo's MemoryEstimate.demand), linear in the batch. */
    public record Demand(String what, int batch, long fixedBytes, long bytesPerExample) {

        public long bytes(int size) {
            return fixedBytes + bytesPerExample * size;
        }
    }

    public static GpuFacts driverOnly(String driverVersion, String libcuda, List<Device> devices) {
        return new GpuFacts(driverVersion, libcuda, devices, Map.of(), null, null);
    }

    public GpuFacts withBackend(List<Device> cudaDevices, Map<String, String> loaded, String error) {
        return new GpuFacts(driverVersion, libcuda, cudaDevices == null ? devices : cudaDevices, Map.copyOf(loaded),
                error, demand);
    }

    public GpuFacts withDemand(Demand d) {
        return new GpuFacts(driverVersion, libcuda, devices, libraries, backendError, d);
    }

    public boolean backendLoaded() {
        return !libraries.isEmpty() && backendError == null;
    }
}
