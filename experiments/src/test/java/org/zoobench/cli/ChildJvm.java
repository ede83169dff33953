package org.zoobench.cli;

import org.zoobench.experiments.results.ResultsLock;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A second process for the tests of what happens between processes: {@code bench-lock DIR} and
 * {@code results-lock DIR} take a lock and hold it, printing "locked"; {@code run CMD...} runs CMD as bench runs
 * its benchmark JVM.
 */
public final class ChildJvm {

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "bench-lock" -> {
                try (BenchLock lock = BenchLock.acquire(Path.of(args[1]), new PrintWriter(System.err, true))) {
                    holdAfterSaying();
                }
            }
            case "results-lock" -> {
                ResultsLock.take(Path.of(args[1]));
                holdAfterSaying();
            }
            default -> System.exit(BenchLauncher.run(List.of(args).subList(1, args.length), true, Path.of(".")));
        }
    }

    private static void holdAfterSaying() throws InterruptedException {
        System.out.println("locked");
        System.out.flush();
        Thread.sleep(60_000);
    }

    /** Starts this class in a JVM of its own, on the tests' class path. */
    static Process start(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), ChildJvm.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /** Waits until the child says it holds its lock. */
    static void awaitLocked(Process child) throws Exception {
        String said = new String(child.getInputStream().readNBytes(6), StandardCharsets.UTF_8);
        if (!said.equals("locked")) {
            throw new IllegalStateException("the child JVM did not take its lock: '" + said + "'");
        }
    }
}
