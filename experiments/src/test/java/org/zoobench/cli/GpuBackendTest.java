package org.zoobench.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zoobench.cli.BenchLauncher.Backend;
import org.zoobench.zoo.UserInputException;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
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

    @Test
    void cpuHalfRunsAndKeepsItsResultsWhenTheCudaHalfCannot(@TempDir Path tmp) {
        assumeTrue(BenchCommandTest.noDriver(), "this machine has an NVIDIA driver");
        List<String> calls = new ArrayList<>();
        StringWriter err = new StringWriter();
        UserInputException e = assertThrows(UserInputException.class, () -> BenchComparison.run(
                (backend, args) -> {
                    calls.add(backend + " " + String.join(" ", args));
                    return 0;
                }, List.of(Backend.cpu, Backend.cuda), tmp, b -> List.of("run", "--out", tmp.resolve(b.name())
                        .toString()), "table", new PrintWriter(err, true)));
        assertEquals(List.of("cpu run --out " + tmp.resolve("cpu")), calls, "only the cpu half ran, no compare");
        assertEquals(1, e.getMessage().lines().count());
        assertTrue(e.getMessage().startsWith("cuda: no NVIDIA driver on this machine"), e.getMessage());
        assertTrue(e.getMessage().endsWith("the [cpu] results are in " + tmp), e.getMessage());
        assertTrue(err.toString().contains("skipping cuda: no NVIDIA driver"), err.toString());
    }

    @Test
    void bothHalvesJoinIntoOneFolderWithTheSpeedUpChart(@TempDir Path tmp) throws Exception {
        List<String> calls = new ArrayList<>();
        int exit = BenchComparison.run((backend, args) -> {
            calls.add(backend + " " + args.get(0));
            if (args.get(0).equals("compare")) {
                // what BenchMain's compare --out writes
                write(tmp.resolve("compare.csv"), """
                        kind,name,batch_or_impl,pass,a_backend,b_backend,a_value,b_value,unit,speedup
                        model,lenet5,8,inference,cpu-onednn,cpu,1000.00,1500.00,img/s,1.500
                        model,lenet5,8,training,cpu-onednn,cpu,300.00,330.00,img/s,1.100
                        model,resnet18,8,inference,cpu-onednn,cpu,10.00,,img/s,
                        """);
                assertEquals(List.of("compare", tmp.resolve("cpu").toString(), tmp.resolve("avx2").toString(),
                        "--format", "table", "--out", tmp.toString()), args);
            }
            return 0;
        }, List.of(Backend.cpu, Backend.avx2), tmp, b -> List.of("run"), "table",
                new PrintWriter(new StringWriter()));
        assertEquals(0, exit);
        assertEquals(List.of("cpu run", "avx2 run", "cpu compare"), calls);
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
        UserInputException e = assertThrows(UserInputException.class, () -> BenchComparison.run(
                (backend, args) -> backend == Backend.avx2 ? 3 : 0, List.of(Backend.cpu, Backend.avx2), tmp,
                b -> List.of("run"), "table", new PrintWriter(new StringWriter())));
        assertTrue(e.getMessage().startsWith("avx2: the avx2 benchmarks failed (exit 3"), e.getMessage());
        assertTrue(e.getMessage().endsWith("the [cpu] results are in " + tmp), e.getMessage());
    }
}
