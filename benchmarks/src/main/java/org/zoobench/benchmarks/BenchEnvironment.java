package org.zoobench.benchmarks;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.zoobench.layers.LayerImpl;
import org.nd4j.linalg.factory.Nd4j;
import org.bytedeco.javacpp.Loader;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.zoobench.device.GpuFacts.Device;
import org.zoobench.device.GpuProbe;
import org.zoobench.device.ThisMachine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * Where a benchmark ran: what ND4J actually loaded (not what was asked for), the BLAS behind it, the threads it uses,
 * the CPU, the JVM and the DL4J version. Capturing it loads the ND4J backend, so a backend that cannot load fails here,
 * before any benchmark starts.
 *
 * @param backend   ND4J backend as loaded: {@code cpu}, {@code cpu-onednn} or {@code cuda}
 * @param layers    the layer implementation the models ran with: {@code fast} or {@code stock}
 * @param buildInfo     libnd4j's own build description (names oneDNN / cuDNN when the binary was built with them)
 * @param nativeLibrary the libnd4j binary JavaCPP loaded (its folder names the build: linux-x86_64-avx2, ...)
 * @param gpu           the GPU ND4J computes on (name, memory, compute capability), or null on the CPU backends
 */
public record BenchEnvironment(String backend, String layers, String backendClass, String blasVendor, int threads, int cores,
                               String cpuModel, String jvm, String dl4jVersion, String buildInfo,
                               String nativeLibrary, String gpu) {

    public static BenchEnvironment capture(LayerImpl layers) {
        Properties info = Nd4j.getExecutioner().getEnvironmentInformation();
        String buildInfo = NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo().trim();
        String backendClass = Nd4j.getBackend().getClass().getSimpleName();
        return new BenchEnvironment(
                backendName(Nd4j.getEnvironment().isCPU(), buildInfo),
                layers.id(),
                backendClass,
                String.valueOf(info.getOrDefault("blas.vendor", Nd4j.factory().blas().getBlasVendor())),
                Nd4j.getEnvironment().maxThreads(),
                ThisMachine.processors(),
                ThisMachine.cpuModel(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                readDl4jVersion(),
                buildInfo,
                loadedLibnd4j(),
                Nd4j.getEnvironment().isCPU() ? null : gpu(GpuProbe.devices(info)));
    }

    private static String gpu(List<Device> devices) {
        int current = Nd4j.getAffinityManager().getDeviceForCurrentThread();
        return devices.stream().filter(d -> d.index() == current).findFirst()
                .map(d -> String.format(Locale.ROOT, "%s (%.1f GB, compute capability %s)", d.name(),
                        d.totalBytes() / 1e9, d.computeCapability()))
                .orElse("unknown GPU");
    }

    /** oneDNN is a build option of the CPU backend, visible only in libnd4j's build description. */
    static String backendName(boolean cpu, String buildInfo) {
        if (!cpu) {
            return "cuda";
        }
        String b = buildInfo.toUpperCase(Locale.ROOT);
        return b.contains("ONEDNN") || b.contains("MKLDNN") || b.contains("DNNL") ? "cpu-onednn" : "cpu";
    }

    private static String loadedLibnd4j() {
        return Loader.getLoadedLibraries().values().stream()
                .filter(path -> path.contains("nd4jcpu") || path.contains("nd4jcuda"))
                .findFirst().orElse("unknown");
    }

    /** From the version Maven stamped into deeplearning4j-nn's jar. */
    private static String readDl4jVersion() {
        try (InputStream in = ComputationGraph.class.getResourceAsStream(
                "/META-INF/maven/org.deeplearning4j/deeplearning4j-nn/pom.properties")) {
            if (in != null) {
                Properties pom = new Properties();
                pom.load(in);
                return pom.getProperty("version", "unknown");
            }
        } catch (IOException e) {
            // fall through
        }
        return "unknown";
    }

    /** One line for table headers. */
    public String summary() {
        return String.format(Locale.ROOT, "backend %s (%s), %s layers, BLAS %s, %d threads on %d cores, CPU %s%s, JVM %s, "
                        + "DL4J %s", backend, backendClass, layers, blasVendor, threads, cores, cpuModel,
                gpu == null ? "" : ", GPU " + gpu, jvm, dl4jVersion);
    }
}
