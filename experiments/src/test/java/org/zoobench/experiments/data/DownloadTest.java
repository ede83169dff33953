package org.zoobench.experiments.data;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zoobench.UserInputException;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.zoobench.experiments.data.IdxDatasetTest.assertOneLine;

/** Downloads against a local HTTP server on 127.0.0.1; nothing here touches the internet. */
class DownloadTest {

    @TempDir
    Path tmp;

    private HttpServer server;
    private final Map<String, byte[]> served = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    private URI base;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/mirror/", exchange -> {
            requests.incrementAndGet();
            String file = exchange.getRequestURI().getPath().substring("/mirror/".length());
            byte[] body = served.get(file);
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        });
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/mirror/");
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    /** Serves a small data set and returns the MD5 of each served file. */
    private Map<String, String> serveSet(int train, int test) throws NoSuchAlgorithmException {
        Map<String, byte[]> plain = Map.of(IdxDataset.TRAIN_IMAGES, IdxFiles.images(train),
                IdxDataset.TRAIN_LABELS, IdxFiles.labels(train), IdxDataset.TEST_IMAGES, IdxFiles.images(test),
                IdxDataset.TEST_LABELS, IdxFiles.labels(test));
        Map<String, String> md5 = new HashMap<>();
        for (Map.Entry<String, byte[]> e : plain.entrySet()) {
            byte[] gz = IdxFiles.gzip(e.getValue());
            served.put(e.getKey() + ".gz", gz);
            md5.put(e.getKey(), HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(gz)));
        }
        return md5;
    }

    private IdxDataset spec(Map<String, String> md5) {
        return new IdxDataset("tiny", null, base, md5, List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
                "get it from the test server");
    }

    private DataOptions options() {
        return DataOptions.defaults().withCacheDir(tmp.resolve("cache"));
    }

    /**
     * The build runs every test with Java's HTTP(S) proxy set to a closed port on this machine (loopback addresses
     * are never proxied): a test that would download from the internet fails at once, here on MNIST's official
     * location, and keeps nothing.
     */
    @Test
    void aTestCannotReachTheInternet() throws IOException {
        URI official = URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/");
        Proxy proxy = ProxySelector.getDefault().select(official).get(0);
        InetSocketAddress to = (InetSocketAddress) proxy.address();
        assertEquals(List.of("127.0.0.1", 9), List.of(to.getHostString(), to.getPort()), "proxy for " + official);
        assertEquals(List.of(Proxy.NO_PROXY), ProxySelector.getDefault().select(base), "the local test server");

        IdxDataset internet = new IdxDataset("official", null, official, Map.of(), List.of("0", "1"), "offline");
        UserInputException e = assertThrows(UserInputException.class, () -> internet.load(options()));
        assertOneLine(e, "downloading them failed");
        assertEquals(List.of(), cacheFiles(), "nothing kept");
    }

    @Test
    void downloadsVerifiesAndThenUsesTheCache() throws Exception {
        IdxDataset tiny = spec(serveSet(20, 8));
        LoadedDataset data = tiny.load(options());
        assertEquals(20, data.train().numExamples());
        assertEquals(8, data.test().numExamples());
        assertEquals(4, requests.get());
        for (String file : IdxDataset.FILES) {
            assertTrue(Files.isRegularFile(tmp.resolve("cache/tiny").resolve(file + ".gz")), file);
        }
        assertEquals(4, cacheFiles().size(), "no partial files left behind: " + cacheFiles());
        tiny.load(options());
        assertEquals(4, requests.get(), "second load reads the cache");
    }

    @Test
    void md5MismatchKeepsNothing() throws Exception {
        Map<String, String> md5 = new HashMap<>(serveSet(20, 8));
        md5.put(IdxDataset.TEST_IMAGES, "0123456789abcdef0123456789abcdef");
        UserInputException e = assertThrows(UserInputException.class, () -> spec(md5).load(options()));
        assertOneLine(e, "MD5 mismatch");
        assertTrue(e.getMessage().contains("get it from the test server"), e.getMessage());
        assertTrue(cacheFiles().stream().noneMatch(p -> p.getFileName().toString().startsWith(IdxDataset.TEST_IMAGES)),
                "the bad file is not kept: " + cacheFiles());
    }

    @Test
    void missingFileOnTheServer() throws Exception {
        Map<String, String> md5 = serveSet(20, 8);
        served.remove(IdxDataset.TRAIN_LABELS + ".gz");
        UserInputException e = assertThrows(UserInputException.class, () -> spec(md5).load(options()));
        assertOneLine(e, "HTTP 404");
    }

    @Test
    void anExplicitDataDirIsNeverSupplementedByADownload() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("empty"));
        UserInputException e = assertThrows(UserInputException.class,
                () -> Datasets.load("fashion-mnist", options().withPath(dir).withMirror(base)));
        assertOneLine(e, "fashion-mnist: --data-dir " + dir + " lacks " + String.join(", ", IdxDataset.FILES));
        assertTrue(e.getMessage().contains("apt-get install dataset-fashion-mnist"), e.getMessage());
        assertEquals(0, requests.get(), "nothing downloaded");
    }

    @Test
    void unreachableServer() throws Exception {
        Map<String, String> md5 = serveSet(20, 8);
        server.stop(0);
        UserInputException e = assertThrows(UserInputException.class, () -> spec(md5).load(options()));
        assertOneLine(e, "cannot download");
    }

    private List<Path> cacheFiles() throws IOException {
        Path cache = tmp.resolve("cache");
        if (!Files.exists(cache)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(cache)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }
}
