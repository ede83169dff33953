package org.zoobench.zoo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The commit a JVM records is the one it started from, in a throw-away repository. */
class GitCommitTest {

    /** A JVM that records its commit at start, then answers with it after each line it reads. */
    public static final class Recorder {
        public static void main(String[] args) throws IOException {
            GitCommit.recordAtStart();
            System.out.println("started");
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            while (in.readLine() != null) {
                System.out.println(GitCommit.atStart());
            }
        }
    }

    @Test
    void aCommitWhileTheJvmRunsDoesNotChangeWhatItRecords(@TempDir Path repo) throws Exception {
        String first = repositoryWithOneCommit(repo);

        Process jvm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dzoobench.root=" + repo, Recorder.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8));
             Writer in = jvm.outputWriter()) {
            assertEquals("started", out.readLine());
            in.write("first run\n");
            in.flush();
            assertEquals(first, out.readLine(), "the first run");

            Files.writeString(repo.resolve("code.txt"), "second");
            git(repo, "commit", "-q", "-a", "-m", "second");
            String second = GitCommit.of(repo);
            assertNotEquals(first, second);
            in.write("second run\n");
            in.flush();
            assertEquals(first, out.readLine(), "a run after the commit: the code that runs is still the first");
        } finally {
            assertTrue(jvm.waitFor(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void uncommittedChangesToTrackedFilesMarkTheCommitDirty(@TempDir Path repo) throws Exception {
        String clean = repositoryWithOneCommit(repo);
        assertTrue(clean.matches("[0-9a-f]{40}"), clean);
        Files.writeString(repo.resolve("notes.txt"), "untracked");
        assertEquals(clean, GitCommit.of(repo), "untracked files do not count");
        Files.writeString(repo.resolve("code.txt"), "changed");
        assertEquals(clean + "-dirty", GitCommit.of(repo));
    }

    @Test
    void outsideACheckoutTheCommitIsUnknown(@TempDir Path notACheckout) {
        assertEquals("unknown", GitCommit.of(notACheckout));
    }

    /** A new repository at {@code repo} with code.txt committed; its commit. */
    private static String repositoryWithOneCommit(Path repo) throws Exception {
        git(repo, "init", "-q");
        Files.writeString(repo.resolve("code.txt"), "first");
        git(repo, "add", "code.txt");
        git(repo, "commit", "-q", "-m", "first");
        return GitCommit.of(repo);
    }

    private static void git(Path dir, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("git", "-c", "user.name=test",
                "-c", "user.email=test@example.org", "-c", "commit.gpgsign=false"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).inheritIO().start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "git " + String.join(" ", args));
    }
}
