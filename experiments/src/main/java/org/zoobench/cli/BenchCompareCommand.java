package org.zoobench.cli;

import org.zoobench.benchmarks.BenchPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code zoobench bench compare A B}: two benchmark runs side by side with the speed-up of B over A. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Joins two `zoobench bench` runs (results.json or their folders) into one table: img/s of each "
                + "and B's speed-up over A per model and batch, ms per layer micro-benchmark.")
public final class BenchCompareCommand implements Callable<Integer> {

    enum Format {
        TABLE, CSV;

        /** As the command line and the benchmark JVM spell it. */
        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    @Parameters(arity = "2", paramLabel = "RESULTS", description = "A and B: results.json files or their folders")
    List<Path> results;

    @Option(names = "--format", defaultValue = "table", description = "table (Markdown) or csv")
    Format format;

    @Override
    public Integer call() {
        return BenchLauncher.fromLauncherRoot().compare(new BenchPlan.Comparison(results.get(0).toAbsolutePath(),
                results.get(1).toAbsolutePath(), format.toString(), null));
    }
}
