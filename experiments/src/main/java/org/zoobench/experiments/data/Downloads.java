package org.zoobench.experiments.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/** Downloads one file into place, MD5-checked; the target appears only once complete and verified. */
final class Downloads {

    /** Why a download did not produce a verified file; the message is one short clause for the user. */
    static final class DownloadException extends Exception {
        DownloadException(String message) {
            super(message);
        }
    }

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(10);

    private Downloads() {
    }

    /**
     * Fetches {@code url} into {@code target} (creating its directory), checking the MD5 if {@code expectedMd5}
     * is not null. Writes to a temporary file beside the target and moves it into place only when verified.
     */
    static void fetch(URI url, Path target, String expectedMd5) throws DownloadException {
        Path dir = target.toAbsolutePath().getParent();
        Path partial = null;
        try {
            Files.createDirectories(dir);
            partial = Files.createTempFile(dir, target.getFileName().toString(), ".part");
            HttpClient client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
                    .followRedirects(HttpClient.Redirect.NORMAL).build();
            HttpRequest request = HttpRequest.newBuilder(url).timeout(REQUEST_TIMEOUT).GET().build();
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw new DownloadException("HTTP " + response.statusCode() + " from " + url);
                }
                try (InputStream in = new DigestInputStream(body, md5); OutputStream out = Files.newOutputStream(partial)) {
                    in.transferTo(out);
                }
            }
            String actual = HexFormat.of().formatHex(md5.digest());
            if (expectedMd5 != null && !expectedMd5.equalsIgnoreCase(actual)) {
                throw new DownloadException("MD5 mismatch for " + url + ": got " + actual + ", expected " + expectedMd5);
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            partial = null;
        } catch (IOException e) {
            throw new DownloadException("cannot download " + url + " into " + dir + ": " + describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DownloadException("download of " + url + " interrupted");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has MD5", e);
        } finally {
            if (partial != null) {
                try {
                    Files.deleteIfExists(partial);
                } catch (IOException ignored) {
                    // best effort: a stray .part file is harmless and never read
                }
            }
        }
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
