package org.zoobench.cli;

import org.zoobench.cli.BenchLauncher.Backend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code zoobench bench compare A B}: two benchmark runs side by side with the speed-up of B over A. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Joins two `zoobench bench` runs (results.json or their folders) into one table: img/s of each "
                + "and B's speed-up over A per model and batch, ms per layer micro-benchmark.")
public final class BenchCompareCommand implements Callable<Integer> {

    enum Format { table, csv }

    @Parameters(arity = "2", paramLabel = "RESULTS", description = "A and B: results.json files or their folders")
    List<Path> results;

    @Option(names = "--format", defaultValue = "table", description = "table (Markdown) or csv")
    Format format;

    @Override
    public Integer call() {
        List<String> args = new ArrayList<>(List.of("compare"));
        results.forEach(p -> args.add(p.toAbsolutePath().toString()));
        args.addAll(List.of("--format", format.name()));
        // Comparing reads two JSON files: any backend's classpath will do, and the default one is always built.
        return BenchLauncher.fromLauncherRoot().runBenchmarks(Backend.cpu, args);
    }
}
