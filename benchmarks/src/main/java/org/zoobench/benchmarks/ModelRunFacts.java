package org.zoobench.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What one model benchmark fork knows that JMH's JSON cannot hold: the batch that actually ran after any
 * out-of-memory step-down, the model's size and cost, and the fork's peak memory. Written next to JMH's results,
 * one file per (pass, model, requested batch), and joined with them by {@link BenchReport}.
 *
 * @param pass          {@code inference} or {@code training}
 * @param batch         the batch size that ran (0 when even a batch of one ran out of memory)
 * @param oomBatches    requested sizes that ran out of memory, largest first
 * @param oomReason     why the first of them did not fit (an exception's message or the budget estimate)
 * @param forwardMacs   multiply-accumulates of one forward pass of one example
 * @param peakRssBytes  peak resident memory of the benchmark JVM (heap and ND4J's off-heap buffers)
 * @param convPath      which code ran the model's convolutions ({@link ConvPath})
 * @param warmUpSeconds how long the steps ran before JMH's warm-up, until the JIT was quiet ({@link JitWarmUp})
 * @param jitQuiet      whether the JIT fell quiet within the plan's cap (false where there was no such warm-up)
 * @param warmUpWindows that warm-up's windows: steps, seconds and compilation of each
 */
public record ModelRunFacts(String pass, String model, String input, int requestedBatch, int batch,
                            List<Integer> oomBatches, String oomReason, long params, long forwardMacs,
                            long peakRssBytes, String convPath, double warmUpSeconds, boolean jitQuiet,
                            List<JitWarmUp.Window> warmUpWindows) {

    public ModelRunFacts {
        warmUpWindows = warmUpWindows == null ? List.of() : List.copyOf(warmUpWindows);
    }

    /** Where forks write their facts: a system property, so it reaches JMH's forked JVMs. */
    public static final String DIRECTORY_PROPERTY = "zoobench.bench.facts";

    private static final ObjectMapper JSON = new ObjectMapper();

    public static String key(String pass, String model, int requestedBatch) {
        return pass + "-" + model + "-" + requestedBatch;
    }

    public String key() {
        return key(pass, model, requestedBatch);
    }

    public ModelRunFacts withPeakRss(long bytes) {
        return new ModelRunFacts(pass, model, input, requestedBatch, batch, oomBatches, oomReason, params,
                forwardMacs, bytes, convPath, warmUpSeconds, jitQuiet, warmUpWindows);
    }

    public void write(Path directory) {
        try {
            Files.createDirectories(directory);
            JSON.writerWithDefaultPrettyPrinter().writeValue(directory.resolve(key() + ".json").toFile(), this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<ModelRunFacts> readAll(Path directory) throws IOException {
        List<ModelRunFacts> facts = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return facts;
        }
        try (Stream<Path> files = Files.list(directory)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                facts.add(JSON.readValue(f.toFile(), ModelRunFacts.class));
            }
        }
        return facts;
    }
}
