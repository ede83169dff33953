package org.zoobench.benchmarks;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import org.zoobench.UserInputException;
import org.zoobench.layers.LayerImpl;
import org.zoobench.zoo.ModelEntry;
import org.zoobench.zoo.ModelOptions;
import org.zoobench.zoo.ModelRegistry;
import org.zoobench.zoo.profile.ModelProfile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The PyTorch side of {@code zoobench bench --peer pytorch}: {@code benchmarks/peers/peer_bench.py} run by a python
 * with PyTorch ({@value #PYTHON_ENV}, default {@value #DEFAULT_PYTHON}, Debian's {@code python3-torch}). Its nets
 * ({@code zoobench_peers.py}) are checked to be ZooBench's by their trainable parameter counts before anything
 * is timed.
 */
public final class PyTorchPeer {

    /** What {@code --peer} accepts. */
    public static final String NAME = "pytorch";
    public static final String PYTHON_ENV = "ZOOBENCH_PYTHON";
    /** Overrides {@value #PYTHON_ENV} within one JVM (the CLI's tests run in-process). */
    public static final String PYTHON_PROPERTY = "zoobench.python";
    public static final String DEFAULT_PYTHON = "/usr/bin/python3";
    public static final String INSTALL = "apt-get install -y python3-torch python3-torchvision";
    static final String SCRIPT = "benchmarks/peers/peer_bench.py";
    /** peer_bench.py's exit code when PyTorch or torchvision cannot be imported. */
    private static final int MISSING_TORCH = 3;

    /** peer_bench.py writes Python's names (images_per_second); it prints more than the rows keep (its build). */
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final String python;
    private final Path script;

    public PyTorchPeer(String python, Path script) {
        this.python = python;
        this.script = script;
    }

    /** What {@code --peer FRAMEWORK} times these models with; one line for another framework or no models. */
    public static PyTorchPeer forModels(String framework, List<String> models) {
        if (!NAME.equals(framework)) {
            throw new UserInputException("--peer takes " + NAME + ", not '" + framework + "'");
        }
        if (models.isEmpty()) {
            throw new UserInputException("--peer times models in PyTorch: name at least one model");
        }
        return locate();
    }

    /** The python the user chose and the script of the checkout this runs from. */
    public static PyTorchPeer locate() {
        String python = System.getProperty(PYTHON_PROPERTY, System.getenv().getOrDefault(PYTHON_ENV, DEFAULT_PYTHON));
        return new PyTorchPeer(python, script());
    }

    /**
     * {@value #SCRIPT} under the launcher's root ({@code zoobench.root}), else under the working directory or the
     * nearest folder above it that has one (a module's tests run in the module's folder).
     */
    static Path script() {
        String root = System.getProperty("zoobench.root");
        Path start = Path.of(root != null ? root : "").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(SCRIPT))) {
                return dir.resolve(SCRIPT);
            }
        }
        throw new UserInputException("--peer pytorch needs " + SCRIPT + " from the ZooBench checkout, not found at or"
                + " above " + start + " (run ./zoobench from the checkout)");
    }

    /** The python, PyTorch and torchvision versions, as the peer's rows record them. */
    public record Versions(String python, String executable, String torch, String torchvision) {
    }

    /** One net: the model, its input (CxHxW or FxT), classes and trainable parameters. */
    public record Count(String model, String input, int classes, long params) {
    }

    /** One timed stretch: this many steps in this many seconds. */
    public record Stretch(long steps, double seconds) {
    }

    /** Training steps or inference passes: img/s, median over stretches, with their lowest and highest. */
    public record Pass(double imagesPerSecond, double imagesPerSecondLow, double imagesPerSecondHigh, double stepMs,
                       List<Stretch> stretches) {
    }

    /**
     * PyTorch's figures for one model at one batch ({@code failure}: why there are none, else empty).
     *
     * @param threads PyTorch's intra-op threads ({@code torch.set_num_threads})
     */
    public record Row(String model, String input, int classes, int batch, long params, int threads, String torch,
                      Pass training, Pass inference, String failure) {

        public boolean ok() {
            return failure == null || failure.isEmpty();
        }
    }

    /** Fails in one line with the install command when this python has no PyTorch (or is no python at all). */
    public Versions versions() {
        Result r = run(List.of("versions"));
        if (r.exit != 0) {
            throw new UserInputException(r.exit == MISSING_TORCH ? r.message()
                    : "--peer pytorch could not run " + python + " (" + r.message() + "): " + INSTALL
                    + ", or name a python with PyTorch in " + PYTHON_ENV);
        }
        return read(r.stdout, Versions.class);
    }

    /** The trainable parameters of the peers of these nets; a model without a peer fails in one line. */
    public List<Count> params(List<Count> nets) {
        List<String> args = new ArrayList<>(List.of("params"));
        nets.forEach(n -> args.add(n.model() + "@" + n.input() + "@" + n.classes()));
        Result r = run(args);
        if (r.exit != 0) {
            throw new UserInputException(r.message());
        }
        return Arrays.asList(read(r.stdout, Count[].class));
    }

    /**
     * Checks, before anything is timed, that PyTorch is there and that every model's peer has ZooBench's trainable
     * parameter count at the input and classes {@code bench} builds it with; the counts, ZooBench's.
     */
    public List<Count> checkSameNets(List<String> models, LayerImpl impl, String input) {
        versions();
        List<Count> zoo = zooCounts(models, impl, input);
        requireEqualCounts(zoo, params(zoo));
        return zoo;
    }

    /** One line naming the first net whose peer count is not ZooBench's. */
    static void requireEqualCounts(List<Count> zoo, List<Count> peer) {
        for (int i = 0; i < zoo.size(); i++) {
            Count z = zoo.get(i);
            if (peer.get(i).params() != z.params()) {
                throw new UserInputException(String.format(Locale.ROOT, "the PyTorch peer of '%s' at %s has %,d "
                        + "trainable parameters, ZooBench's %,d: not the same net (see %s)", z.model(), z.input(),
                        peer.get(i).params(), z.params(), SCRIPT.replace("peer_bench.py", "zoobench_peers.py")));
            }
        }
    }

    /** ZooBench's trainable parameters of each model as {@code bench} builds it (published classes, this input). */
    public static List<Count> zooCounts(List<String> models, LayerImpl impl, String input) {
        List<Count> counts = new ArrayList<>();
        for (String name : models) {
            ModelEntry entry = ModelRegistry.get(name);
            ModelOptions options = BenchPlan.options(entry, impl, input);
            counts.add(new Count(name, options.input().toString(), options.numClasses(),
                    ModelProfile.of(entry, options).trainableParams()));
        }
        return counts;
    }

    /**
     * Times one net's training step and inference at {@code batch} on {@code threads} threads, with the warm-up and
     * measurement time of {@code timing}; a failure (the net does not fit, the python dies) is a row saying why.
     */
    public Row time(Count net, int batch, int threads, BenchPlan.Timing timing) {
        int repeats = Math.max(1, Math.max(1, timing.forks()) * timing.iterations());
        Result r = run(List.of("time", "--model", net.model(), "--input", net.input(),
                "--classes", String.valueOf(net.classes()), "--batch", String.valueOf(batch),
                "--expect-params", String.valueOf(net.params()), "--threads", String.valueOf(threads),
                "--warmup-ms", String.valueOf(timing.warmupIterations() * timing.warmupMs()),
                "--repeats", String.valueOf(repeats), "--repeat-ms", String.valueOf(timing.iterationMs())));
        if (r.exit != 0) {
            return new Row(net.model(), net.input(), net.classes(), batch, net.params(), threads, "", null, null,
                    r.message());
        }
        return read(r.stdout, Row.class);
    }

    private record Result(int exit, String stdout, String stderr) {

        /** peer_bench.py's one-line error without its prefix, or the last line the python printed. */
        String message() {
            List<String> lines = stderr.strip().lines().toList();
            String last = lines.isEmpty() ? "exit code " + exit : lines.get(lines.size() - 1);
            return last.startsWith("zoobench: ") ? last.substring("zoobench: ".length()) : last;
        }
    }

    private Result run(List<String> args) {
        List<String> command = new ArrayList<>(List.of(python, "-B", script.toString()));
        command.addAll(args);
        Path stderr = null;
        try {
            stderr = Files.createTempFile("zoobench-peer-", ".err");
            Process process = new ProcessBuilder(command).redirectError(stderr.toFile())
                    .redirectInput(ProcessBuilder.Redirect.PIPE).start();
            process.getOutputStream().close();
            String stdout = new String(process.getInputStream().readAllBytes());
            int exit = process.waitFor();
            return new Result(exit, stdout, Files.readString(stderr));
        } catch (IOException e) {
            return new Result(127, "", UserInputException.rootMessage(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + python + " ran " + args.get(0), e);
        } finally {
            if (stderr != null) {
                stderr.toFile().delete();
            }
        }
    }

    private static <T> T read(String json, Class<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (IOException e) {
            throw new UncheckedIOException("peer_bench.py printed no " + type.getSimpleName() + ": " + json, e);
        }
    }
}
