package org.zoobench.cli;

import org.junit.jupiter.api.Test;
import org.zoobench.zoo.parallel.WorkerDevices;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

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
        int many = WorkerDevices.processors() + 1;
        Outcome tooMany = execute("bench", "lenet5", "--workers", String.valueOf(many));
        assertEquals(ZooBenchCli.USER_ERROR, tooMany.exit());
        assertTrue(tooMany.err().startsWith("zoobench: --workers " + many + " is more than the "), tooMany.err());
        assertEquals(1, tooMany.err().strip().lines().count(), tooMany.err());
    }

    @Test
    void compareNeedsTwoFiles() {
        Outcome o = execute("bench", "compare", "only-one.json");
        assertFalse(o.exit() == 0);
    }
}
