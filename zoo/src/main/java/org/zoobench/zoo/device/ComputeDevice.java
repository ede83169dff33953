package org.zoobench.zoo.device;

import org.nd4j.linalg.factory.Nd4j;
import org.zoobench.zoo.device.GpuFacts.Device;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/** The name of what computes a run: the GPU ND4J uses on the CUDA backend, the CPU model otherwise. */
public final class ComputeDevice {

    private ComputeDevice() {
    }

    /** For the loaded ND4J backend: its environment report, and (CUDA) the device of the calling thread. */
    public static String current() {
        Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
        return Nd4j.getEnvironment().isCPU() ? cpuModel()
                : name(GpuProbe.devices(env), Nd4j.getAffinityManager().getDeviceForCurrentThread());
    }

    static String name(List<Device> gpus, int index) {
        return gpus.stream().filter(d -> d.index() == index).findFirst().or(() -> gpus.stream().findFirst())
                .map(Device::name).orElse("unknown GPU");
    }

    public static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // not Linux: fall through to the architecture name
        }
        return System.getProperty("os.arch");
    }
}
