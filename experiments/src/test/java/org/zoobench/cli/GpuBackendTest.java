package org.zoobench.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zoobench.UserInputException;
import org.zoobench.benchmarks.BenchPlan;
import org.zoobench.cli.BenchLauncher.Backend;
import org.zoobench.layers.LayerImpl;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** --backend cuda and gpu-check on a machine without an NVIDIA driver, and the CPU-vs-GPU comparison's folder. */
class GpuBackendTest {

    private record Outcome(int exit, String out, String err) {
    }

    private static Outcome execute(String... args) {
        CommandLine cli = ZooBenchCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Outcome(exit, out.toString(), err.toString());
    }

    private static void assertNoDriverLine(Outcome o) {
        assertEquals(ZooBenchCli.USER_ERROR, o.exit(), o.err());
        assertEquals("", o.out());
        assertEquals(1, o.err().strip().lines().count(), o.err());
        assertTrue(o.err().startsWith("zoobench: no NVIDIA driver on this machine"), o.err());
        assertTrue(o.err().contains(">= 510.39.01") && o.err().contains("--backend cpu"), o.err());
    }

    @Test
    void gpuCheckSaysThereIsNoDriverInOneLine() {
        assumeTrue(BenchCommandTest.noDriver(), "this machine has an NVIDIA driver");
        assertNoDriverLine(execute("gpu-check"));
        assertNoDriverLine(execute("gpu-check", "--model", "lenet5", "--batch", "256"));
    }

    @Test
    void gpuCheckRejectsABadBatchFirst() {
        Outcome o = execute("gpu-check", "--model", "lenet5", "--batch", "0");
        assertEquals(ZooBenchCli.USER_ERROR, o.exit());
        assertTrue(o.err().contains("--batch must be at least 1"), o.err());
    }

    @Test
    void trainOnCudaChecksTheDriverBeforeLoadingData(@TempDir Path tmp) {
        assumeTrue(BenchCommandTest.noDriver(), "this machine has an NVIDIA driver");
        assertNoDriverLine(execute("train", "lenet5", "--dataset", "fashion-mnist", "--backend", "cuda",
                "--data-dir", tmp.toString(), "--results", tmp.resolve("r").toString()));
        assertTrue(Files.notExists(tmp.resolve("r")), "nothing written");
    }

    @Test
    void runOnCudaChecksTheDriverFirst(@TempDir Path tmp) {
        assumeTrue(BenchCommandTest.noDriver(), "this machine has an NVIDIA driver");
        assertNoDriverLine(execute("run", "alexnet-ablation", "--quick", "--backend", "cuda",
                "--results", tmp.resolve("r").toString()));
        assertTrue(Files.notExists(tmp.resolve("r")), "nothing written");
    }

    /** Records what each benchmark JVM is asked, and answers with an exit code per backend. */
    private static final class RecordingJvm implements BenchComparison.BenchJvm {
        final List<String> calls = new ArrayList<>();
        private final ToIntFunction<Backend> exits;
        private final Consumer<BenchPlan.Comparison> onCompare;

        RecordingJvm(ToIntFunction<Backend> exits, Consumer<BenchPlan.Comparison> onCompare) {
            this.exits = exits;
            this.onCompare = onCompare;
        }

        @Override
        public int run(Backend backend, BenchPlan plan) {
            calls.add(backend + " run " + plan.out());
            return exits.applyAsInt(backend);
        }

        @Override
        public int compare(BenchPlan.Comparison comparison) {
            calls.add("compare");
            onCompare.accept(comparison);
            return 0;
        }
    }

    private static BenchPlan plan(Path out) {
        return new BenchPlan(List.of("lenet5"), null, null, null, false, null, true, "cpu", LayerImpl.FAST, "table",
                out, "./zoobench bench lenet5", BenchPlan.DEFAULT_PEAK_N, null);
    }

    @Test
    void cpuHalfRunsAndKeepsItsResultsWhenTheCudaHalfCannot(@TempDir Path tmp) {
        assumeTrue(BenchCommandTest.noDriver(), "this machine has an NVIDIA driver");
        RecordingJvm jvm = new RecordingJvm(b -> 0, c -> fail("nothing to join"));
        StringWriter err = new StringWriter();
        UserInputException e = assertThrows(UserInputException.class, () -> BenchComparison.run(jvm,
                List.of(Backend.CPU, Backend.CUDA), tmp, b -> plan(tmp.resolve(b.toString())), "table",
                new PrintWriter(err, true)));
        assertEquals(List.of("cpu run " + tmp.resolve("cpu")), jvm.calls, "only the cpu half ran, no compare");
        assertEquals(1, e.getMessage().lines().count());
        assertTrue(e.getMessage().startsWith("cuda: no NVIDIA driver on this machine"), e.getMessage());
        assertTrue(e.getMessage().endsWith("the [cpu] results are in " + tmp), e.getMessage());
        assertTrue(err.toString().contains("skipping cuda: no NVIDIA driver"), err.toString());
    }

    @Test
    void bothHalvesJoinIntoOneFolderWithTheSpeedUpChart(@TempDir Path tmp) throws Exception {
        RecordingJvm jvm = new RecordingJvm(b -> 0, comparison -> {
            assertEquals(new BenchPlan.Comparison(tmp.resolve("cpu"), tmp.resolve("avx2"), "table", tmp), comparison);
            // what BenchMain's compare writes to the comparison's folder
            write(tmp.resolve("compare.csv"), """
                    kind,name,batch_or_impl,pass,a_backend,b_backend,a_value,b_value,unit,speedup
                    model,lenet5,8,inference,cpu-onednn,cpu,1000.00,1500.00,img/s,1.500
                    model,lenet5,8,training,cpu-onednn,cpu,300.00,330.00,img/s,1.100
                    model,resnet18,8,inference,cpu-onednn,cpu,10.00,,img/s,
                    """);
        });
        int exit = BenchComparison.run(jvm, List.of(Backend.CPU, Backend.AVX2), tmp,
                b -> plan(tmp.resolve(b.toString())), "table", new PrintWriter(new StringWriter()));
        assertEquals(0, exit);
        assertEquals(List.of("cpu run " + tmp.resolve("cpu"), "avx2 run " + tmp.resolve("avx2"), "compare"),
                jvm.calls);
        assertTrue(Files.size(tmp.resolve("speedup.png")) > 1000);
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aHalfThatFailsIsNamedAndTheOtherKept(@TempDir Path tmp) {
        RecordingJvm jvm = new RecordingJvm(b -> b == Backend.AVX2 ? 3 : 0, c -> fail("nothing to join"));
        UserInputException e = assertThrows(UserInputException.class, () -> BenchComparison.run(jvm,
                List.of(Backend.CPU, Backend.AVX2), tmp, b -> plan(tmp.resolve(b.toString())), "table",
                new PrintWriter(new StringWriter())));
        assertTrue(e.getMessage().startsWith("avx2: the avx2 benchmarks failed (exit 3"), e.getMessage());
        assertTrue(e.getMessage().endsWith("the [cpu] results are in " + tmp), e.getMessage());
    }
}
