package org.zoobench.torchvision;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's PyTorch (python3-torch, python3-torchvision) for the tests that compare ZooBench's nets with PyTorch's.
 * Under CI (environment CI=true) a missing PyTorch fails the test; elsewhere it skips, loudly.
 */
public final class PyTorch {

    /** Debian installs torch for the system interpreter, not for whatever python3 is first on the PATH. */
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final long TIMEOUT_MINUTES = 10;

    private PyTorch() {
    }

    /** Fails (CI) or skips (elsewhere) unless /usr/bin/python3 imports torch, torchvision and numpy. */
    public static void require() {
        String problem = problem();
        if (problem == null) {
            return;
        }
        String message = "PyTorch is needed to compare ZooBench's nets with PyTorch's and " + problem
                + "; install it with `apt-get install -y python3-torch python3-torchvision python3-numpy`";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(message);
        }
        System.err.println("\n*** SKIPPED: " + message + " ***\n");
        Assumptions.abort(message);
    }

    private static String problem() {
        if (!Files.isExecutable(PYTHON)) {
            return PYTHON + " is missing";
        }
        try {
            Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import torch, torchvision, numpy")
                    .redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor() == 0 ? null : PYTHON + " cannot import it (" + output.strip().lines()
                    .reduce((a, b) -> b).orElse("") + ")";
        } catch (IOException e) {
            return PYTHON + " does not run (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "the check was interrupted";
        }
    }

    /**
     * Runs {@code script} (relative to the experiments module, or {@code -c} and the code) with {@code args}; fails
     * with its output if it fails.
     */
    public static void run(String script, List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(PYTHON.toString(), script));
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = p.getInputStream().readAllBytes();
        if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            Assertions.fail(script + " ran past " + TIMEOUT_MINUTES + " minutes");
        }
        Assertions.assertEquals(0, p.exitValue(), () -> script + " failed:\n" + new String(output,
                StandardCharsets.UTF_8));
    }
}
