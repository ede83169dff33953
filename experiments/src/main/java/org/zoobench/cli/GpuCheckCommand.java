package org.zoobench.cli;

import org.zoobench.UserInputException;
import org.zoobench.cli.BenchLauncher.Backend;
import org.zoobench.device.GpuFacts;
import org.zoobench.device.GpuPreflight;
import org.zoobench.device.GpuProbe;
import org.zoobench.zoo.ModelEntry;
import org.zoobench.zoo.ModelRegistry;
import org.zoobench.zoo.profile.MemoryEstimate;
import org.zoobench.zoo.profile.ModelProfile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code zoobench gpu-check}: what `--backend cuda` checks first, with everything it found. */
@Command(name = "gpu-check", mixinStandardHelpOptions = true,
        description = {"Checks that --backend cuda can run here and reports the NVIDIA driver, each GPU's name, "
                + "memory and compute capability, and which CUDA, cuDNN and libnd4j libraries were loaded from where.",
                "Without a usable driver it says so in one line (exit 2) without loading CUDA; otherwise it reruns on "
                        + "the CUDA classpath (built with mvn -Pcuda the first time) and loads the backend."})
public final class GpuCheckCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "MODEL",
            description = "also check that a training step of this model fits in GPU 0's free memory")
    String model;

    @Option(names = "--batch", defaultValue = "64", paramLabel = "N",
            description = "batch size for --model (default ${DEFAULT-VALUE})")
    int batch;

    @Override
    public Integer call() {
        if (batch < 1) {
            throw new UserInputException("--batch must be at least 1, got " + batch);
        }
        GpuFacts.Demand demand = null;
        if (model != null) {
            ModelEntry entry = ModelRegistry.get(model);
            demand = MemoryEstimate.demand(ModelProfile.of(entry, entry.defaultOptions()), batch, true);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (BenchLauncher.runningBackend() != Backend.CUDA) {
            BenchLauncher.checkBackendUsable(Backend.CUDA, demand);
            return BenchLauncher.fromLauncherRoot().runCli(Backend.CUDA,
                    spec.root().commandLine().getParseResult().originalArgs());
        }
        GpuProbe.Checked gpu = GpuProbe.check(demand, true);
        out.print(GpuPreflight.report(gpu.facts()));
        out.flush();
        if (!gpu.verdict().ok()) {
            throw new UserInputException(gpu.verdict().message());
        }
        out.println("GPU ready for --backend cuda" + (demand == null ? "" : " (" + demand.what() + " at batch "
                + batch + " fits)"));
        return 0;
    }
}
