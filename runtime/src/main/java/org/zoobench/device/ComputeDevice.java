package org.zoobench.device;

import org.nd4j.linalg.factory.Nd4j;
import org.zoobench.device.GpuFacts.Device;

import java.util.List;
import java.util.Properties;

/** The name of what computes a run: the GPU ND4J uses on the CUDA backend, the CPU model otherwise. */
public final class ComputeDevice {

    private ComputeDevice() {
    }

    /** For the loaded ND4J backend: its environment report, and (CUDA) the device of the calling thread. */
    public static String current() {
        Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
        return Nd4j.getEnvironment().isCPU() ? ThisMachine.cpuModel()
                : name(GpuProbe.devices(env), Nd4j.getAffinityManager().getDeviceForCurrentThread());
    }

    static String name(List<Device> gpus, int index) {
        return gpus.stream().filter(d -> d.index() == index).findFirst().or(() -> gpus.stream().findFirst())
                .map(Device::name).orElse("unknown GPU");
    }
}
