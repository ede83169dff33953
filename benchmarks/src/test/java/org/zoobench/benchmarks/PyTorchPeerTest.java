package org.zoobench.benchmarks;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zoobench.UserInputException;
import org.zoobench.layers.LayerImpl;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

/**
 * The PyTorch twins in benchmarks/peers are ZooBench's nets: every one has ZooBench's trainable parameter count at
 * the input and classes {@code bench} builds it with, and at other inputs; and the peer fails in one line where
 * PyTorch is missing or a net has no twin. Needs Debian's python3-torch: under CI (CI=true) its absence fails,
 * elsewhere these tests are skipped, saying so on stderr.
 */
class PyTorchPeerTest {

    /** Nets at inputs other than their published ones: what fully connected layers read changes with the input. */
    private static final List<String[]> OTHER_INPUTS = List.of(
            new String[]{"lenet5", "1x32x32"}, new String[]{"alexnet-mini", "3x32x32"},
            new String[]{"alexnet-mini-no-conv3-conv4-fc6-fc7", "1x64x64"}, new String[]{"resnet20", "1x28x28"},
            new String[]{"resnet18", "1x64x64"}, new String[]{"densenet121", "1x64x64"},
            new String[]{"googlenet-bn", "3x32x32"}, new String[]{"googlenet", "1x32x32"},
            new String[]{"bilstm-max", "16x20"},
            new String[]{"lstm-max", "5x9"});

    /** Why PyTorch cannot run here, or null when it can; asked once. */
    private static String noPyTorch;
    private static final PyTorchPeer PEER = new PyTorchPeer(PyTorchPeer.DEFAULT_PYTHON, PyTorchPeer.script());

    @BeforeAll
    static void askForPyTorchOnce() {
        try {
            PEER.versions();
        } catch (UserInputException e) {
            noPyTorch = e.getMessage();
        }
    }

    static PyTorchPeer peerWithPyTorch() {
        if (noPyTorch != null) {
            if ("true".equals(System.getenv("CI"))) {
                fail("CI must have PyTorch for the peer tests: " + noPyTorch);
            }
            System.err.println("SKIPPED: a PyTorch peer test (no PyTorch here): " + noPyTorch);
            abort("no PyTorch for " + PyTorchPeer.DEFAULT_PYTHON + ": " + noPyTorch);
        }
        return PEER;
    }

    @Test
    void everyPeerHasZooBenchsParameterCount() throws Exception {
        PyTorchPeer peer = peerWithPyTorch();
        List<String> names = peerNames();
        assertTrue(names.containsAll(List.of("lenet5", "alexnet-mini", "resnet20", "resnet56", "plain20", "plain56",
                "resnet18", "googlenet", "googlenet-bn", "densenet121", "densenet-bc-100", "bilstm-max")), names.toString());

        List<PyTorchPeer.Count> zoo = new ArrayList<>(PyTorchPeer.zooCounts(names, LayerImpl.FAST, null));
        for (String[] other : OTHER_INPUTS) {
            zoo.addAll(PyTorchPeer.zooCounts(List.of(other[0]), LayerImpl.FAST, other[1]));
        }
        List<PyTorchPeer.Count> twins = peer.params(zoo);
        assertEquals(zoo.size(), twins.size());
        for (int i = 0; i < zoo.size(); i++) {
            assertEquals(zoo.get(i), twins.get(i), "ZooBench's count, then PyTorch's");
        }
    }

    @Test
    void checkSameNetsPassesOnTheBenchedNetsAndANetWithoutATwinIsNamed() {
        PyTorchPeer peer = peerWithPyTorch();
        List<PyTorchPeer.Count> counts = peer.checkSameNets(List.of("lenet5", "bilstm-max"), LayerImpl.FAST, null);
        assertEquals(61_706, counts.get(0).params());
        assertEquals("28x28", counts.get(1).input());

        UserInputException e = assertThrows(UserInputException.class,
                () -> peer.params(PyTorchPeer.zooCounts(List.of("lenet5", "dl4j-vgg16"), LayerImpl.FAST, null)));
        assertTrue(e.getMessage().contains("no PyTorch peer for 'dl4j-vgg16'"), e.getMessage());
    }

    @Test
    void aDifferentCountIsAnErrorNotAWarning() {
        PyTorchPeer.Count zoo = new PyTorchPeer.Count("resnet20", "3x32x32", 10, 269_722);
        PyTorchPeer.Count peer = new PyTorchPeer.Count("resnet20", "3x32x32", 10, 270_000);
        UserInputException e = assertThrows(UserInputException.class,
                () -> PyTorchPeer.requireEqualCounts(List.of(zoo), List.of(peer)));
        assertEquals("the PyTorch peer of 'resnet20' at 3x32x32 has 270,000 trainable parameters, ZooBench's 269,722:"
                + " not the same net (see benchmarks/peers/zoobench_peers.py)", e.getMessage());
        PyTorchPeer.requireEqualCounts(List.of(zoo), List.of(zoo));
    }

    @Test
    void timingRefusesANetWithAnotherCount() {
        PyTorchPeer peer = peerWithPyTorch();
        PyTorchPeer.Row row = peer.time(new PyTorchPeer.Count("lenet5", "1x28x28", 10, 61_705), 2, 1,
                new BenchPlan.Timing(1, 1, 10, 1, 10));
        assertFalse(row.ok());
        assertTrue(row.failure().contains("61,706 trainable parameters, ZooBench's 61,705"), row.failure());
    }

    @Test
    void withoutPyTorchOneLineSaysWhatToInstall(@TempDir Path tmp) throws Exception {
        // Debian's python without its site packages: the standard library, no torch
        Path python = tmp.resolve("python-without-torch");
        Files.writeString(python, "#!/bin/sh\nexec " + PyTorchPeer.DEFAULT_PYTHON + " -S \"$@\"\n");
        Files.setPosixFilePermissions(python, PosixFilePermissions.fromString("rwx------"));
        UserInputException e = assertThrows(UserInputException.class,
                () -> new PyTorchPeer(python.toString(), PyTorchPeer.script()).versions());
        assertTrue(e.getMessage().startsWith("PyTorch is missing for "), e.getMessage());
        assertTrue(e.getMessage().endsWith(": " + PyTorchPeer.INSTALL), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());

        UserInputException none = assertThrows(UserInputException.class,
                () -> new PyTorchPeer(tmp.resolve("no-python").toString(), PyTorchPeer.script()).versions());
        assertTrue(none.getMessage().contains(PyTorchPeer.INSTALL), none.getMessage());
        assertTrue(none.getMessage().contains(PyTorchPeer.PYTHON_ENV), none.getMessage());
    }

    @Test
    void onlyPyTorchAndOnlyWithModels() {
        UserInputException other = assertThrows(UserInputException.class,
                () -> PyTorchPeer.forModels("tensorflow", List.of("lenet5")));
        assertEquals("--peer takes pytorch, not 'tensorflow'", other.getMessage());
        UserInputException none = assertThrows(UserInputException.class,
                () -> PyTorchPeer.forModels("pytorch", List.of()));
        assertEquals("--peer times models in PyTorch: name at least one model", none.getMessage());
    }

    /** The registry names peer_bench.py has a twin for. */
    private static List<String> peerNames() throws Exception {
        Process p = new ProcessBuilder(PyTorchPeer.DEFAULT_PYTHON, "-B", PyTorchPeer.script().toString(), "names")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String json = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), json);
        return List.of(new com.fasterxml.jackson.databind.ObjectMapper().readValue(json, String[].class));
    }
}
