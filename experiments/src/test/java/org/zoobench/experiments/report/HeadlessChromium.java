package org.zoobench.experiments.report;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code chromium} run headless on a local file or a page served on this machine, with a fresh profile and
 * nothing that reaches the network, so a test checks what a browser really built from a page: its DOM after scripts
 * ran, or a screenshot.
 */
public final class HeadlessChromium {

    /** Why a browser test is skipped where chromium is missing (CI installs it in .ci/run). */
    public static final String MISSING = "chromium is not installed (apt-get install -y chromium; .ci/run installs it)";

    private static final long TIMEOUT_SECONDS = 120;

    private final Path binary;

    private HeadlessChromium(Path binary) {
        this.binary = binary;
    }

    /** The chromium on PATH, if any. */
    public static Optional<HeadlessChromium> find() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser")) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(new HeadlessChromium(candidate));
                }
            }
        }
        return Optional.empty();
    }

    /** The DOM the browser built from {@code page} once it had loaded (load handlers have run), serialised. */
    public String dumpDom(Path page) throws IOException, InterruptedException {
        return run(page.toAbsolutePath().toUri(), List.of("--dump-dom"));
    }

    /**
     * The DOM the browser built from {@code page} after its scripts have had {@code scriptTime} of the page's own
     * clock: timers fire and requests they make complete before the DOM is taken, as a page that polls its server
     * for data draws it.
     */
    public String dumpDom(URI page, Duration scriptTime) throws IOException, InterruptedException {
        return run(page, List.of("--virtual-time-budget=" + scriptTime.toMillis(), "--dump-dom"));
    }

    /** A PNG of the page as a window of width x height pixels shows it. */
    public void screenshot(Path page, Path png, int width, int height) throws IOException, InterruptedException {
        run(page.toAbsolutePath().toUri(), List.of("--hide-scrollbars", "--window-size=" + width + "," + height,
                "--screenshot=" + png.toAbsolutePath()));
        if (!Files.isRegularFile(png)) {
            throw new IOException("chromium wrote no screenshot to " + png);
        }
    }

    private String run(URI page, List<String> action) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("chromium-profile");
        Path stdout = Files.createTempFile("chromium", ".out");
        Path stderr = Files.createTempFile("chromium", ".err");
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile));
        command.addAll(action);
        command.add(page.toString());
        Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
                .start();
        try {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("chromium did not finish within " + TIMEOUT_SECONDS + " s on " + page);
            }
            if (process.exitValue() != 0) {
                throw new IOException("chromium exited " + process.exitValue() + ": "
                        + Files.readString(stderr, StandardCharsets.UTF_8));
            }
            return Files.readString(stdout, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
