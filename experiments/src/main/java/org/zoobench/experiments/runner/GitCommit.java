package org.zoobench.experiments.runner;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The project's git commit, with "-dirty" when the work tree has changes; "unknown" outside a git checkout. */
public final class GitCommit {

    private static String cached;

    private GitCommit() {
    }

    public static synchronized String current() {
        if (cached == null) {
            Path root = Path.of(System.getProperty("zoobench.root", "."));
            String head = git(root, "rev-parse", "HEAD");
            if (head == null || head.isBlank()) {
                cached = "unknown";
            } else {
                String changes = git(root, "status", "--porcelain", "--untracked-files=no");
                cached = head.trim() + (changes != null && !changes.isBlank() ? "-dirty" : "");
            }
        }
        return cached;
    }

    private static String git(Path dir, String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "git";
        System.arraycopy(args, 0, command, 1, args.length);
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(false).start();
            p.getOutputStream().close();
            p.getErrorStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroy();
                return null;
            }
            return out;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
