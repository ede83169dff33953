package org.zoobench.experiments.ui;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import org.deeplearning4j.core.storage.StatsStorage;
import org.deeplearning4j.ui.VertxUIServer;
import org.zoobench.UserInputException;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * DL4J's training UI ({@link VertxUIServer}: score chart, model graph, system tab) listening on 127.0.0.1 only, so
 * that nobody else on the network can read the statistics. One per process, as DL4J keeps its server in a static
 * field; closing it stops the server and frees the port.
 */
public final class TrainingUi implements AutoCloseable {

    public static final int DEFAULT_PORT = VertxUIServer.DEFAULT_UI_PORT;
    public static final String LOOPBACK = "127.0.0.1";

    /** Longer than a UI request takes on a loaded machine, so Vert.x does not warn about its own event loop. */
    private static final long EVENT_LOOP_WARNING_NANOS = TimeUnit.SECONDS.toNanos(30);

    /** VertxUIServer's upload folder, java.io.tmpdir/DL4JUI_&lt;start millis&gt;, which it leaves behind. */
    private static final Pattern UPLOAD_FOLDER = Pattern.compile("DL4JUI_(\\d+)");

    private final VertxUIServer server;

    private TrainingUi(VertxUIServer server) {
        this.server = server;
    }

    /**
     * Fails, as a user error naming {@code portOption} (the option that chose the port), unless the UI could listen on
     * {@code port} of 127.0.0.1 now: a command checks this before it loads or writes anything.
     */
    public static void checkPort(int port, String portOption) {
        if (port < 0 || port > 65535) {
            throw new UserInputException(portOption + " must be a port from 1 to 65535 (or 0 for any free port), got "
                    + port);
        }
        if (port == 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true); // as Vert.x binds, so a port in TIME_WAIT counts as free
            probe.bind(new InetSocketAddress(LOOPBACK, port));
        } catch (IOException e) {
            throw unavailable(port, portOption, e);
        }
    }

    /**
     * Starts the UI on {@code port} of 127.0.0.1 (0: any free port) and waits until it listens. A port that cannot be
     * had (in use, or privileged) is a user error naming {@code portOption}, the option that chose it.
     */
    public static TrainingUi start(int port, String portOption) {
        checkPort(port, portOption);
        LoopbackServer server = new LoopbackServer(port);
        CompletableFuture<String> deployed = new CompletableFuture<>();
        long startMillis = System.currentTimeMillis();
        Vertx vertx = Vertx.vertx(new VertxOptions().setMaxEventLoopExecuteTime(EVENT_LOOP_WARNING_NANOS));
        vertx.deployVerticle(server, result -> {
            if (result.succeeded()) {
                deployed.complete(result.result());
            } else {
                deployed.completeExceptionally(result.cause());
            }
        });
        try {
            deployed.get();
            return new TrainingUi(server);
        } catch (ExecutionException e) {
            stopServer();
            throw unavailable(port, portOption, e);
        } catch (InterruptedException e) {
            stopServer();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the training UI started", e);
        } finally {
            // The UI takes no uploads; its folder goes when the JVM ends (if still empty), Ctrl-C included.
            uploadFoldersSince(startMillis).forEach(folder -> folder.toFile().deleteOnExit());
        }
    }

    /** Shows the sessions of {@code storage}, and those it receives from now on, in the UI. */
    public void attach(StatsStorage storage) {
        server.attach(storage);
    }

    public int port() {
        return server.getPort();
    }

    /** The page to open: the overview of the training session with the score chart. */
    public String url() {
        return "http://" + LOOPBACK + ":" + port() + "/train/overview";
    }

    @Override
    public void close() {
        stopServer();
    }

    /** The upload folders a server started at {@code startMillis} or later has made. */
    private static List<Path> uploadFoldersSince(long startMillis) {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (Stream<Path> entries = Files.list(tmp)) {
            return entries.filter(p -> {
                Matcher m = UPLOAD_FOLDER.matcher(p.getFileName().toString());
                return m.matches() && Long.parseLong(m.group(1)) >= startMillis;
            }).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static void stopServer() {
        try {
            VertxUIServer.stopInstance();
        } catch (Exception e) {
            throw new IllegalStateException("the training UI did not stop", e);
        }
    }

    private static UserInputException unavailable(int port, String portOption, Exception e) {
        return new UserInputException(String.format("cannot serve the training UI on %s:%d: %s; choose another port "
                + "with %s (0 picks a free one)", LOOPBACK, port, UserInputException.rootMessage(e), portOption), e);
    }

    /**
     * DL4J's server with its HTTP server bound to 127.0.0.1. VertxUIServer calls {@code listen(port, handler)},
     * which Vert.x 3.9 binds to 0.0.0.0 with no option or property to change it; so the server sees a Vertx whose
     * HTTP servers turn that call into {@code listen(port, "127.0.0.1", handler)}, with the port asked for here
     * (VertxUIServer reads its own from a static field that only its getInstance sets, which deploys its own server).
     */
    private static final class LoopbackServer extends VertxUIServer {

        private final int port;

        LoopbackServer(int port) {
            this.port = port;
        }

        @Override
        public void init(Vertx vertx, Context context) {
            super.init(withLoopbackServers(vertx, port), context);
        }

        private static Vertx withLoopbackServers(Vertx vertx, int port) {
            return proxy(vertx, (method, args) -> method.getName().equals("createHttpServer") && args == null
                    ? loopbackServer(vertx.createHttpServer(), port)
                    : method.invoke(vertx, args));
        }

        /** {@code server}, listening on 127.0.0.1:{@code port} when asked to listen on a port of all interfaces. */
        private static HttpServer loopbackServer(HttpServer server, int port) {
            HttpServer[] self = new HttpServer[1];
            self[0] = proxy(server, (method, args) -> {
                if (method.getName().equals("listen") && args != null && args.length == 2
                        && args[0] instanceof Integer && args[1] instanceof Handler) {
                    @SuppressWarnings("unchecked")
                    Handler<AsyncResult<HttpServer>> done = (Handler<AsyncResult<HttpServer>>) args[1];
                    server.listen(port, LOOPBACK, done);
                    return self[0];
                }
                Object result = method.invoke(server, args);
                return result == server ? self[0] : result; // keep fluent calls on the proxy
            });
            return self[0];
        }
    }

    private interface Call {
        Object invoke(Method method, Object[] args) throws ReflectiveOperationException;
    }

    /** A proxy with every interface of {@code target}'s class (casts to Vert.x's internal ones still work). */
    @SuppressWarnings("unchecked")
    private static <T> T proxy(T target, Call call) {
        Set<Class<?>> interfaces = new LinkedHashSet<>();
        for (Class<?> c = target.getClass(); c != null; c = c.getSuperclass()) {
            interfaces.addAll(Set.of(c.getInterfaces()));
        }
        return (T) Proxy.newProxyInstance(target.getClass().getClassLoader(), interfaces.toArray(Class<?>[]::new),
                (proxy, method, args) -> {
                    try {
                        return call.invoke(method, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
