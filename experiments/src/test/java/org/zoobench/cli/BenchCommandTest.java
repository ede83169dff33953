package org.zoobench.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zoobench.benchmarks.BenchPlan;
import org.zoobench.cli.BenchLauncher.Backend;
import org.zoobench.device.ThisMachine;
import org.zoobench.layers.LayerImpl;
import org.zoobench.zoo.profile.MemoryEstimate;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The checks `zoobench bench` makes before it builds or starts anything. */
class BenchCommandTest {

    private record Outcome(int exit, String err) {
    }

    private static Outcome execute(String... args) {
        CommandLine cli = ZooBenchCli.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Outcome(exit, err.toString());
    }

    static boolean noDriver() {
        return !Files.exists(Path.of("/proc/driver/nvidia/version"));
    }

    @Test
    void cudaWithoutAGpuSaysSoInOneLineAndFails() {
        assumeTrue(noDriver(), "this machine has an NVIDIA driver");
        Outcome o = execute("bench", "lenet5", "--backend", "cuda");
        assertEquals(ZooBenchCli.USER_ERROR, o.exit());
        assertEquals(1, o.err().strip().lines().count(), o.err());
        assertTrue(o.err().contains("no NVIDIA driver on this machine"), o.err());
    }

    @Test
    void unknownModelFailsBeforeAnythingStarts() {
        Outcome o = execute("bench", "lenet6");
        assertEquals(ZooBenchCli.USER_ERROR, o.exit());
        assertEquals(1, o.err().strip().lines().count(), o.err());
        assertTrue(o.err().contains("unknown model 'lenet6'") && o.err().contains("lenet5"), o.err());
    }

    @Test
    void nothingToRunIsAUserError() {
        Outcome o = execute("bench");
        assertEquals(ZooBenchCli.USER_ERROR, o.exit());
        assertTrue(o.err().contains("name at least one model"), o.err());
    }

    @Test
    void workersBelowOneOrAboveTheProcessorsAreRefusedBeforeAnythingStarts() {
        Outcome none = execute("bench", "lenet5", "--workers", "1,0");
        assertEquals(ZooBenchCli.USER_ERROR, none.exit());
        assertEquals("zoobench: --workers must be at least 1, got 0", none.err().strip());
        int many = ThisMachine.processors() + 1;
        Outcome tooMany = execute("bench", "lenet5", "--workers", String.valueOf(many));
        assertEquals(ZooBenchCli.USER_ERROR, tooMany.exit());
        assertTrue(tooMany.err().startsWith("zoobench: --workers " + many + " is more than the "), tooMany.err());
        assertEquals(1, tooMany.err().strip().lines().count(), tooMany.err());
    }

    @Test
    void anInputAModelCannotTakeIsOneLineBeforeAnythingStarts() {
        Outcome small = execute("bench", "resnet20", "alexnet", "--input", "3x8x8");
        assertEquals(ZooBenchCli.USER_ERROR, small.exit());
        assertEquals("zoobench: input 3x8x8 is too small for 'alexnet': spatial size reaches zero at layer 'pool1' "
                + "(kernel 3x3 on 1x1)", small.err().strip());
        Outcome unreadable = execute("bench", "lenet5", "--input", "3by64");
        assertEquals(ZooBenchCli.USER_ERROR, unreadable.exit());
        assertEquals(1, unreadable.err().strip().lines().count(), unreadable.err());
        assertTrue(unreadable.err().startsWith("zoobench: cannot read input shape '3by64'"), unreadable.err());
    }

    @Test
    void thePlanCarriesWhatWasAskedAndTheCommandAsTyped(@TempDir Path tmp) throws Exception {
        CommandLine cli = ZooBenchCli.commandLine();
        cli.parseArgs("bench", "lenet5", "alexnet-mini*", "--input", "1X32X32", "--batch", "1,32", "--backend",
                "cpu,avx2", "--format", "csv");
        BenchCommand bench = cli.getSubcommands().get("bench").getCommand();
        BenchPlan plan = bench.plan(Backend.AVX2, tmp);
        assertEquals("lenet5", plan.models().get(0));
        assertEquals(9, plan.models().size(), "lenet5 and alexnet-mini with its eight variants: " + plan.models());
        assertEquals("1x32x32", plan.input());
        assertEquals(List.of(1, 32), plan.batches());
        assertEquals("avx2", plan.backend());
        assertEquals("csv", plan.format());
        assertEquals(LayerImpl.FAST, plan.impl());
        assertEquals(tmp, plan.out());
        assertEquals("./zoobench bench lenet5 'alexnet-mini*' --input 1X32X32 --batch 1,32 --backend cpu,avx2 "
                + "--format csv", plan.command());
        Path file = tmp.resolve("plan.json");
        plan.write(file);
        assertEquals(plan, BenchPlan.read(file));
    }

    @Test
    void anEmptyListOfBatchesOrWorkersIsOneLine() {
        Outcome batches = execute("bench", "lenet5", "--batch", ",");
        assertEquals(ZooBenchCli.USER_ERROR, batches.exit());
        assertEquals("zoobench: --batch lists no number; give one or more, comma-separated, e.g. 1,8",
                batches.err().strip());
        Outcome workers = execute("bench", "lenet5", "--workers", ",");
        assertEquals(ZooBenchCli.USER_ERROR, workers.exit());
        assertTrue(workers.err().startsWith("zoobench: --workers lists no number"), workers.err());
    }

    @Test
    void anOutThatIsAFileOrCannotBeCreatedIsOneLineAndLeavesNothing(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("passwd"), "root:x:0:0\n");
        Outcome onFile = execute("bench", "lenet5", "--out", file.toString());
        assertEquals(ZooBenchCli.USER_ERROR, onFile.exit());
        assertEquals("zoobench: --out " + file + " is a file, not a folder; choose a new or empty folder",
                onFile.err().strip());
        Outcome underFile = execute("bench", "lenet5", "--out", file.resolve("x").toString());
        assertEquals(ZooBenchCli.USER_ERROR, underFile.exit());
        assertTrue(underFile.err().startsWith("zoobench: cannot write benchmark results to " + file.resolve("x")),
                underFile.err());
        Outcome proc = execute("bench", "lenet5", "--out", "/proc/zoobench-bench/deeper");
        assertEquals(ZooBenchCli.USER_ERROR, proc.exit());
        assertEquals(1, proc.err().strip().lines().count(), proc.err());
        assertFalse(Files.exists(Path.of("/proc/zoobench-bench")));
        try (var left = Files.list(tmp)) {
            assertEquals(List.of(file), left.toList(), "nothing created");
        }
    }

    @Test
    void anInputWhoseSmallestBatchCannotFitIsOneLineBeforeAnythingStarts() {
        System.setProperty(MemoryEstimate.AVAILABLE_PROPERTY, String.valueOf(100_000_000));
        try {
            Outcome o = execute("bench", "lenet5", "--input", "1x2000x2000", "--batch", "2,1");
            assertEquals(ZooBenchCli.USER_ERROR, o.exit());
            assertEquals(1, o.err().strip().lines().count(), o.err());
            assertTrue(o.err().startsWith("zoobench: lenet5 at input 1x2000x2000 needs about "), o.err());
            assertTrue(o.err().contains("for one inference step at batch 1, more than the 0.10 GB this machine has "
                    + "available; give a smaller --input"), o.err());
        } finally {
            System.clearProperty(MemoryEstimate.AVAILABLE_PROPERTY);
        }
    }

    @Test
    void compareNeedsTwoFiles() {
        Outcome o = execute("bench", "compare", "only-one.json");
        assertFalse(o.exit() == 0);
    }
}
