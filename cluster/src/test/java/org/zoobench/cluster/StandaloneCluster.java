package org.zoobench.cluster;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Spark's standalone master and workers, each a JVM of its own listening on 127.0.0.1, started as docs/cluster.md
 * starts them: from a Spark home whose {@code jars/} holds Spark's jars and nothing of ZooBench, so that
 * executors find ZooBench, DL4J and ND4J in the shaded jar only. Every JVM it
 * started, executors and the drivers given to {@link #track} included, is killed on {@link #close} and, should the
 * test JVM end first, by a shutdown hook.
 */
final class StandaloneCluster implements AutoCloseable {

    /** The module's build folder: surefire runs tests in the module's folder. */
    static final Path TARGET = Path.of("target").toAbsolutePath();
    static final Path ROOT = TARGET.getParent().getParent();
    private static final Duration REGISTRATION_TIMEOUT = Duration.ofMinutes(3);
    private static final Pattern ALIVE_WORKERS = Pattern.compile("\"aliveworkers\"\\s*:\\s*(\\d+)");

    private final Path home;
    private final int masterPort;
    private final int masterUiPort;
    private final List<Process> started = new CopyOnWriteArrayList<>();
    private final List<Process> workers = new ArrayList<>();
    private final Thread killAll = new Thread(this::killEverything, "standalone-cluster-kill");

    private StandaloneCluster(Path home, int masterPort, int masterUiPort) {
        this.home = home;
        this.masterPort = masterPort;
        this.masterUiPort = masterUiPort;
    }

    /** A master and {@code workers} workers of one core and {@code workerMemory} (e.g. "1g") each, registered. */
    static StandaloneCluster start(Path dir, int workers, String workerMemory) throws Exception {
        StandaloneCluster cluster = new StandaloneCluster(sparkHome(dir.resolve("spark-home")), freePort(),
                freePort());
        Runtime.getRuntime().addShutdownHook(cluster.killAll);
        try {
            cluster.started.add(cluster.java("master", "org.apache.spark.deploy.master.Master", "--host",
                    "127.0.0.1", "--port", String.valueOf(cluster.masterPort), "--webui-port",
                    String.valueOf(cluster.masterUiPort)));
            cluster.startWorkers(workers, workerMemory);
            return cluster;
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    /** A Spark home: {@code jars/} with a link to each jar of Spark's class path; work and local folders beside. */
    private static Path sparkHome(Path home) throws IOException {
        Path jars = Files.createDirectories(home.resolve("jars"));
        for (String entry : installationClassPath()) {
            Path jar = Path.of(entry);
            Files.createSymbolicLink(jars.resolve(jar.getFileName()), jar);
        }
        return home;
    }

    /** The jars of Spark and of the libraries it needs, as Maven resolves spark-core alone (module spark-home). */
    static List<String> installationClassPath() throws IOException {
        return List.of(Files.readString(ROOT.resolve("cluster/spark-home/target/classpath.txt")).strip().split(":"));
    }

    String masterUrl() {
        return "spark://127.0.0.1:" + masterPort;
    }

    Path home() {
        return home;
    }

    /** The JVM options Spark needs on Java 17, as the launcher gives them to every JVM it starts. */
    static List<String> javaOptions() throws IOException {
        return List.of(Files.readString(TARGET.resolve("java-options.txt")).strip().split("\\s+"));
    }

    /** A process of the test's own (a driver), killed with the cluster's. */
    Process track(Process process) {
        started.add(process);
        return process;
    }

    /** Starts {@code count} more workers and waits until the master lists every live worker as alive. */
    void startWorkers(int count, String memory) throws Exception {
        for (int i = 0; i < count; i++) {
            Process worker = java("worker-" + (workers.size() + 1), "org.apache.spark.deploy.worker.Worker",
                    "--host", "127.0.0.1", "--webui-port", String.valueOf(freePort()), "--cores", "1", "--memory",
                    memory, "--work-dir", Files.createDirectories(home.resolve("work-" + (workers.size() + 1)))
                            .toString(), masterUrl());
            started.add(worker);
            workers.add(worker);
        }
        long alive = workers.stream().filter(Process::isAlive).count();
        long deadline = System.nanoTime() + REGISTRATION_TIMEOUT.toNanos();
        while (aliveWorkers() != alive) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the master lists " + aliveWorkers() + " alive workers, not " + alive
                        + ", after " + REGISTRATION_TIMEOUT + "; logs in " + home);
            }
            Thread.sleep(500);
        }
    }

    /** Alive workers as the master's JSON page lists them; -1 while the master does not answer. */
    private int aliveWorkers() throws InterruptedException {
        try {
            HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + masterUiPort + "/json/")).timeout(Duration.ofSeconds(10))
                    .build(), HttpResponse.BodyHandlers.ofString());
            Matcher alive = ALIVE_WORKERS.matcher(page.body());
            return alive.find() ? Integer.parseInt(alive.group(1)) : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    /** The work folder of worker {@code number} (from 1), where its executors' stderr files are. */
    Path workDir(int number) {
        return home.resolve("work-" + number);
    }

    /** Whether a stderr file of one of worker {@code number}'s executors has a line matching {@code line}. */
    boolean executorLogged(int number, Pattern line) throws IOException {
        try (Stream<Path> files = Files.walk(workDir(number))) {
            for (Path file : files.filter(f -> f.getFileName().toString().equals("stderr")).toList()) {
                if (line.matcher(Files.readString(file)).find()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** SIGKILL for the workers numbered (from 1) and their executors, all at once, as when their machines go down. */
    void killWorkers(int... numbers) {
        killAtOnce(Arrays.stream(numbers).mapToObj(n -> workers.get(n - 1)).toList());
    }

    /** Waits until {@code condition} holds, checking every 200 ms, or fails after {@code timeout}. */
    static void await(String what, Duration timeout, Check condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what);
            }
            Thread.sleep(200);
        }
    }

    interface Check {
        boolean holds() throws Exception;
    }

    @Override
    public void close() {
        killEverything();
        try {
            Runtime.getRuntime().removeShutdownHook(killAll);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs anyway
        }
    }

    private void killEverything() {
        killAtOnce(started);
    }

    /**
     * SIGKILL for each process and every process below it (found before the parents die and they are re-parented),
     * then waits until all have ended.
     */
    private static void killAtOnce(List<Process> processes) {
        List<ProcessHandle> all = new ArrayList<>();
        for (Process p : processes) {
            all.add(p.toHandle());
            all.addAll(p.descendants().toList());
        }
        all.forEach(ProcessHandle::destroyForcibly);
        all.forEach(p -> p.onExit().join());
    }

    /** A JVM on the Spark home's jars with {@code main}, its output in {@code name}.log in the Spark home. */
    private Process java(String name, String main, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(javaBin(), "-Xmx256m"));
        command.addAll(javaOptions());
        command.addAll(List.of("-cp", home.resolve("jars") + "/*", main));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(home.resolve(name + ".log").toFile());
        Map<String, String> env = builder.environment();
        env.put("SPARK_HOME", home.toString());
        // How a worker's launcher finds jars/ in a Spark home that is not a Spark build folder.
        env.put("SPARK_SCALA_VERSION", "2.13");
        env.put("SPARK_LOCAL_DIRS", Files.createDirectories(home.resolve("local")).toString());
        return builder.start();
    }

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
