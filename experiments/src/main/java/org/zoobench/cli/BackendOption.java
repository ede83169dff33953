package org.zoobench.cli;

import org.zoobench.cli.BenchLauncher.Backend;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * {@code --backend} for the commands that train: this JVM runs on the default (cpu) backend's jars, so another
 * backend means running the same command again in a JVM on that backend's classpath, as {@code bench} does.
 */
final class BackendOption {

    @Option(names = "--backend", defaultValue = "cpu", paramLabel = "NAME",
            description = "cpu (ND4J avx2 build), onednn or cuda (CUDA 11.6 + cuDNN, needs an NVIDIA GPU); another "
                    + "backend than cpu reruns the command on its classpath, built with its Maven profile on first "
                    + "use (default ${DEFAULT-VALUE})")
    Backend backend;

    /** The exit code of the command rerun on the chosen backend; empty when this JVM's (cpu) is the one. */
    OptionalInt relaunch(CommandSpec spec) {
        if (backend == Backend.cpu) {
            return OptionalInt.empty();
        }
        BenchLauncher.checkBackendUsable(backend);
        return OptionalInt.of(BenchLauncher.fromLauncherRoot().runCli(backend,
                withoutBackend(spec.root().commandLine().getParseResult().originalArgs())));
    }

    /** The arguments less {@code --backend NAME} (or {@code --backend=NAME}). */
    static List<String> withoutBackend(List<String> args) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--backend")) {
                i++;
            } else if (!args.get(i).startsWith("--backend=")) {
                out.add(args.get(i));
            }
        }
        return out;
    }
}
