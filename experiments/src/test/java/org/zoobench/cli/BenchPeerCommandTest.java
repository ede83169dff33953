package org.zoobench.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zoobench.benchmarks.PyTorchPeer;
import org.zoobench.cli.BenchLauncher.Backend;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `zoobench bench --peer`: refused in one line, exit 2, before anything is built, started or written. */
class BenchPeerCommandTest {

    @TempDir
    Path tmp;

    @AfterEach
    void forgetPython() {
        System.clearProperty(PyTorchPeer.PYTHON_PROPERTY);
    }

    private void assertRefusedBeforeAnything(CliRun run, String expected) {
        assertEquals(ZooBenchCli.USER_ERROR, run.exitCode(), run.err() + run.out());
        assertTrue(run.errIsOneLine(), run.err());
        assertTrue(run.err().contains(expected), run.err());
        assertFalse(Files.exists(tmp.resolve("out")), "nothing written");
    }

    @Test
    void withoutPyTorchOneLineSaysWhatToInstall() throws Exception {
        // Debian's python without its site packages: the standard library, no torch
        Path python = tmp.resolve("python-without-torch");
        Files.writeString(python, "#!/bin/sh\nexec " + PyTorchPeer.DEFAULT_PYTHON + " -S \"$@\"\n");
        Files.setPosixFilePermissions(python, PosixFilePermissions.fromString("rwx------"));
        System.setProperty(PyTorchPeer.PYTHON_PROPERTY, python.toString());
        assertRefusedBeforeAnything(CliRun.of("bench", "lenet5", "--quick", "--peer", "pytorch",
                "--out", tmp.resolve("out").toString()), PyTorchPeer.INSTALL);

        System.setProperty(PyTorchPeer.PYTHON_PROPERTY, tmp.resolve("no-such-python").toString());
        assertRefusedBeforeAnything(CliRun.of("bench", "lenet5", "--quick", "--peer", "pytorch",
                "--out", tmp.resolve("out").toString()), PyTorchPeer.INSTALL);
    }

    @Test
    void onlyPyTorchOnlyOnOneCpuBackendOnlyWithModels() {
        assertRefusedBeforeAnything(CliRun.of("bench", "lenet5", "--peer", "tensorflow",
                "--out", tmp.resolve("out").toString()), "--peer takes pytorch, not 'tensorflow'");
        assertRefusedBeforeAnything(CliRun.of("bench", "lenet5", "--peer", "pytorch", "--backend", "cpu,avx2",
                "--out", tmp.resolve("out").toString()), "--peer pytorch compares on this machine's CPU: use one CPU "
                + "backend (--backend cpu or avx2), not cpu,avx2");
        assertRefusedBeforeAnything(CliRun.of("bench", "--layers", "--peer", "pytorch",
                "--out", tmp.resolve("out").toString()), "--peer times models in PyTorch: name at least one model");
    }

    @Test
    void thePlanCarriesThePeer() {
        CommandLine cli = ZooBenchCli.commandLine();
        cli.parseArgs("bench", "lenet5", "--peer", "pytorch");
        BenchCommand bench = cli.getSubcommands().get("bench").getCommand();
        assertEquals(PyTorchPeer.NAME, bench.plan(Backend.CPU, tmp).peer());

        cli = ZooBenchCli.commandLine();
        cli.parseArgs("bench", "lenet5");
        assertNull(cli.getSubcommands().get("bench").<BenchCommand>getCommand().plan(Backend.CPU, tmp).peer());
    }
}
