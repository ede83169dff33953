package org.zoobench.experiments.results;

import org.nd4j.linalg.factory.Nd4j;
import org.zoobench.device.ComputeDevice;
import org.zoobench.device.ThisMachine;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Where a run ran: ND4J backend, device (the GPU's name on CUDA, else the CPU model), BLAS vendor, threads, cores,
 * plus ND4J's full environment report.
 */
public record MachineInfo(String backend, String device, String blasVendor, int blasThreads, int ompThreads,
                          int cores, String os, String java, Map<String, String> environment) implements Serializable {

    private static final List<String> THREAD_SETTINGS = List.of("OMP_PROC_BIND", "OMP_WAIT_POLICY", "GOMP_SPINCOUNT",
            "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS");

    public static MachineInfo current() {
        Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
        Map<String, String> all = new TreeMap<>();
        env.forEach((k, v) -> all.put(String.valueOf(k), String.valueOf(v)));
        // Thread settings that change speed several-fold on few cores (docs/fast-layers.md)
        for (String name : THREAD_SETTINGS) {
            if (System.getenv(name) != null) {
                all.put("env." + name, System.getenv(name));
            }
        }
        String backend = all.getOrDefault("backend", Nd4j.getBackend().getClass().getSimpleName());
        return new MachineInfo(backend, ComputeDevice.current(), all.getOrDefault("blas.vendor", "unknown"),
                intOf(all.get("blas.threads")), intOf(all.get("omp.threads")),
                ThisMachine.processors(),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                System.getProperty("java.version"), all);
    }

    private static int intOf(String s) {
        try {
            return s == null ? -1 : Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
