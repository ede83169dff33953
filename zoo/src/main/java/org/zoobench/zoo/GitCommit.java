package org.zoobench.zoo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The git commit this JVM's code came from: HEAD with "-dirty" when tracked files had uncommitted changes,
 * "unknown" outside a git checkout. It is read once, when the JVM starts ({@link #recordAtStart()}, the first thing
 * the entry points do), so a commit made while a long suite trains is not recorded for runs the older code trained.
 */
public final class GitCommit {

    /** Set by a launcher to hand its own start commit to a JVM it starts. */
    public static final String PROPERTY = "zoobench.commit";

    private static String atStart;

    private GitCommit() {
    }

    /** Reads the commit now: {@value #PROPERTY} if set, else git in {@code zoobench.root} (default: the cwd). */
    public static synchronized void recordAtStart() {
        if (atStart == null) {
            String handedOver = System.getProperty(PROPERTY);
            atStart = handedOver != null && !handedOver.isBlank() ? handedOver
                    : of(Path.of(System.getProperty("zoobench.root", ".")));
        }
    }

    /** The commit recorded when this JVM started; where no entry point recorded it (a test, a notebook), now. */
    public static synchronized String atStart() {
        recordAtStart();
        return atStart;
    }

    /** The checkout at {@code root} as it is now. */
    public static String of(Path root) {
        String head = git(root, "rev-parse", "HEAD");
        if (head == null || head.isBlank()) {
            return "unknown";
        }
        String changes = git(root, "status", "--porcelain", "--untracked-files=no");
        return head.trim() + (changes != null && !changes.isBlank() ? "-dirty" : "");
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
