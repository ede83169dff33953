package org.zoobench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.deeplearning4j.ui.model.storage.FileStatsStorage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zoobench.experiments.report.HeadlessChromium;
import org.zoobench.experiments.results.ResultsStore;
import org.zoobench.experiments.runner.RunListeners;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * train --ui serving DL4J's training UI on 127.0.0.1 while it trains, as headless Chromium renders it; --stats
 * recording the same statistics and `zoobench ui FILE` serving them; each server stopped when its command ends.
 */
class TrainingUiTest {

    /** Long enough for a loaded two-core machine whose test processes are paused now and then. */
    private static final Duration PATIENCE = Duration.ofMinutes(5);

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @TempDir
    Path tmp;

    @BeforeAll
    static void quietProgress() {
        System.setProperty("zoobench.progress", "false");
    }

    /**
     * Training holds at its fourth step (a listener registered before the command's own) while the test looks at the
     * UI: the overview's data has the three steps' scores, Chromium draws the score chart from them, and no other
     * address of this machine answers on the port. Released, the command ends and the port is free again.
     */
    @Test
    void trainWithUiShowsTheScoreChartOnLoopbackOnlyUntilTheCommandEnds() throws Exception {
        int port = freePort();
        CountDownLatch atStep = new CountDownLatch(1);
        CountDownLatch pageChecked = new CountDownLatch(1);
        CliRun run;
        try (RunListeners.Registration hold = RunListeners.register(runId -> new HoldAtStep(3, atStep, pageChecked))) {
            CompletableFuture<CliRun> training = CompletableFuture.supplyAsync(() -> CliRun.of("train", "lenet5",
                    "--dataset", "synthetic", "--epochs", "1", "--limit", "128", "--test-limit", "50", "--batch", "32",
                    "--bootstrap", "1000", "--ui", String.valueOf(port), "--results", tmp.resolve("results").toString()));
            try {
                awaitStep(atStep, training);
                URI overview = URI.create("http://127.0.0.1:" + port + "/train/overview");
                JsonNode data = awaitScores(URI.create(overview + "/data"), 3);
                assertEquals(List.of(0, 1, 2), ints(data.get("scoresIter")), data.get("scoresIter").toString());
                assertOnlyLoopbackAnswers(port);
                renderedChartHasTheScores(overview);
            } finally {
                pageChecked.countDown();
            }
            run = training.get(PATIENCE.toMinutes(), TimeUnit.MINUTES);
        }
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.err().contains("Training UI: http://127.0.0.1:" + port + "/train/overview (on this machine "
                + "only; it stops when this command ends)"), run.err());
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close(), "the server stopped");
    }

    /** What Chromium built from the overview once its scripts had polled the server: the chart and the model table. */
    private static void renderedChartHasTheScores(URI overview) throws Exception {
        HeadlessChromium chromium = HeadlessChromium.find().orElse(null);
        assumeTrue(chromium != null, HeadlessChromium.MISSING);
        String dom = chromium.dumpDom(overview, Duration.ofSeconds(10));
        Matcher chart = Pattern.compile("<div id=\"scoreiterchart\"[^>]*>(.*?)<p id=\"hoverdata\"", Pattern.DOTALL)
                .matcher(dom);
        assertTrue(chart.find(), dom);
        assertTrue(chart.group(1).contains("<canvas class=\"flot-base\""), "flot drew the score chart: "
                + chart.group(1));
        List<Double> xTicks = new ArrayList<>();
        Matcher xAxis = Pattern.compile("flot-x-axis.*?(?=flot-y-axis)", Pattern.DOTALL).matcher(chart.group(1));
        assertTrue(xAxis.find(), chart.group(1));
        Matcher tick = Pattern.compile("tickLabel\"[^>]*>([^<]*)<").matcher(xAxis.group());
        while (tick.find()) {
            xTicks.add(Double.parseDouble(tick.group(1)));
        }
        assertEquals(0.0, xTicks.get(0), "the iteration axis spans the three steps: " + xTicks);
        assertEquals(2.0, xTicks.get(xTicks.size() - 1), "the iteration axis spans the three steps: " + xTicks);
        assertTrue(dom.contains("<td id=\"nParams\">61706</td>"), "lenet5's parameters in the model table");
    }

    @Test
    void statsFileRecordsEachRunAndUiServesItUntilInterrupted() throws Exception {
        Path stats = tmp.resolve("stats.bin");
        CliRun train = CliRun.train(tmp.resolve("results"), "--seeds", "2", "--stats", stats.toString());
        assertEquals(0, train.exitCode(), train.err());
        assertTrue(train.err().contains("Training statistics go to " + stats + " (`zoobench ui " + stats + "` serves "
                + "them later)"), train.err());
        List<String> runIds = ResultsStore.openForReading(tmp.resolve("results")).records().stream()
                .map(r -> r.runId()).sorted().toList();

        int port = freePort();
        CompletableFuture<CliRun> serving = new CompletableFuture<>();
        Thread ui = new Thread(() -> serving.complete(CliRun.of("ui", stats.toString(), "--port",
                String.valueOf(port))));
        ui.start();
        try {
            JsonNode sessions = awaitJson(URI.create("http://127.0.0.1:" + port + "/train/sessions/info"));
            List<String> served = new ArrayList<>();
            sessions.fieldNames().forEachRemaining(served::add);
            Collections.sort(served);
            assertEquals(runIds, served, "one session per run, named by its run id");
            JsonNode data = awaitScores(URI.create("http://127.0.0.1:" + port + "/train/overview/data"), 2);
            assertEquals(2, data.get("scores").size(), "both steps of the session shown: " + data.get("scores"));
        } finally {
            ui.interrupt();
        }
        CliRun run = serving.get(PATIENCE.toMinutes(), TimeUnit.MINUTES);
        assertEquals(0, run.exitCode(), run.err());
        assertEquals("Serving " + stats + " (2 training sessions: " + String.join(", ", runIds) + ") at "
                + "http://127.0.0.1:" + port + "/train/overview until Ctrl-C\n", run.out());
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close(), "the server stopped");
    }

    /** ParallelWrapper's workers get the run's StatsListener too: one session, a worker each, every step of each. */
    @Test
    void dataParallelWorkersEachRecordTheirSteps() {
        Path stats = tmp.resolve("workers.bin");
        CliRun train = CliRun.of("train", "lenet5", "--dataset", "synthetic", "--epochs", "1", "--limit", "128",
                "--test-limit", "50", "--batch", "32", "--bootstrap", "1000", "--workers", "2", "--stats",
                stats.toString(), "--results", tmp.resolve("results").toString());
        assertEquals(0, train.exitCode(), train.err());
        FileStatsStorage recorded = new FileStatsStorage(stats.toFile());
        try {
            List<String> sessions = recorded.listSessionIDs();
            assertEquals(1, sessions.size(), sessions.toString());
            String session = sessions.get(0);
            List<String> workers = recorded.listWorkerIDsForSession(session);
            assertEquals(2, workers.size(), workers.toString());
            for (String worker : workers) {
                assertEquals(4, recorded.getNumUpdateRecordsFor(session, StatsListener.TYPE_ID, worker),
                        "a report per step (128 images, batch 32) from " + worker);
            }
        } finally {
            recorded.close();
        }
    }

    /** Blocks training at {@code step} until the test has looked at the page. */
    private static final class HoldAtStep extends BaseTrainingListener {

        private final int step;
        private final CountDownLatch reached;
        private final CountDownLatch release;

        HoldAtStep(int step, CountDownLatch reached, CountDownLatch release) {
            this.step = step;
            this.reached = reached;
            this.release = release;
        }

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            if (iteration == step) {
                reached.countDown();
                try {
                    release.await(PATIENCE.toMinutes(), TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** Waits until training has reached the held step; fails if the command ends first. */
    private static void awaitStep(CountDownLatch atStep, CompletableFuture<CliRun> training) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!atStep.await(200, TimeUnit.MILLISECONDS)) {
            if (training.isDone()) {
                throw new AssertionError("the command ended before training reached the held step: "
                        + training.get().err());
            }
            assertTrue(System.nanoTime() < deadline, "training did not reach the held step");
        }
    }

    /** A port of 127.0.0.1 that nothing listens on now. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Connections to {@code port} on every other address of this machine are refused. */
    private static void assertOnlyLoopbackAnswers(int port) throws IOException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (address.isLoopbackAddress() || !(address instanceof Inet4Address) || !nic.isUp()) {
                    continue;
                }
                try (Socket socket = new Socket()) {
                    assertThrows(ConnectException.class, () -> socket.connect(new InetSocketAddress(address, port),
                            10_000), "the UI answered on " + address);
                }
            }
        }
    }

    /** The overview data once it holds at least {@code steps} scores (the UI takes in statistics every 0.5 s). */
    private static JsonNode awaitScores(URI data, int steps) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        JsonNode json = awaitJson(data);
        while (json.get("scores").size() < steps && System.nanoTime() < deadline) {
            Thread.sleep(200);
            json = awaitJson(data);
        }
        assertTrue(json.get("scores").size() >= steps, json.toString());
        return json;
    }

    /** The JSON at {@code uri} once the server answers it. */
    private static JsonNode awaitJson(URI uri) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            try {
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, response.statusCode(), uri + ": " + response.body());
                return new ObjectMapper().readTree(response.body());
            } catch (ConnectException notYet) {
                if (System.nanoTime() > deadline) {
                    throw notYet;
                }
                Thread.sleep(200);
            }
        }
    }

    private static List<Integer> ints(JsonNode array) {
        List<Integer> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asInt()));
        return values;
    }
}
