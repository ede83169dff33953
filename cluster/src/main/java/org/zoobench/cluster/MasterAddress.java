package org.zoobench.cluster;

import org.zoobench.UserInputException;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks that a standalone or Kubernetes master answers at all before Spark starts: Spark itself retries an
 * unreachable standalone master for a minute and then only logs that it gave up.
 */
final class MasterAddress {

    private static final int CONNECT_TIMEOUT_MILLIS = 5000;
    private static final int STANDALONE_PORT = 7077;
    private static final int HTTPS_PORT = 443;

    private MasterAddress() {
    }

    static void checkReachable(String master) {
        List<InetSocketAddress> addresses = addresses(master);
        IOException last = null;
        for (InetSocketAddress address : addresses) {
            try (Socket socket = new Socket()) {
                socket.connect(address, CONNECT_TIMEOUT_MILLIS);
                return;
            } catch (IOException e) {
                last = e;
            }
        }
        if (last != null) {
            throw new UserInputException("cannot reach the Spark master " + master + " (" + last.getClass()
                    .getSimpleName() + (last.getMessage() == null ? "" : ": " + last.getMessage()) + "): check its "
                    + "address and that it runs");
        }
    }

    /** Host and port of each master a URL names (a standalone URL may list several); none for local and yarn. */
    static List<InetSocketAddress> addresses(String master) {
        List<InetSocketAddress> addresses = new ArrayList<>();
        if (master.startsWith("spark://")) {
            for (String hostPort : master.substring("spark://".length()).split(",")) {
                addresses.add(address("spark://" + hostPort, STANDALONE_PORT, master));
            }
        } else if (master.startsWith("k8s://")) {
            String url = master.substring("k8s://".length());
            addresses.add(address(url.contains("://") ? url : "https://" + url, HTTPS_PORT, master));
        }
        return addresses;
    }

    private static InetSocketAddress address(String url, int defaultPort, String master) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null) {
            throw new UserInputException("cannot read a host in the Spark master " + master
                    + ": write spark://HOST:PORT or k8s://https://HOST:PORT");
        }
        return new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? defaultPort : uri.getPort());
    }
}
