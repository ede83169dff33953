package org.zoobench.device;

import org.bytedeco.javacpp.Loader;
import org.nd4j.linalg.api.environment.Nd4jEnvironment;
import org.nd4j.linalg.factory.Nd4j;
import org.zoobench.UserInputException;
import org.zoobench.device.GpuFacts.Device;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gathers {@link GpuFacts} from this machine. {@link #driver()} only reads files and runs nvidia-smi and ldconfig,
 * so it is safe on any classpath and machine; {@link #loadBackend} then loads ND4J's CUDA backend (JavaCPP's CUDA,
 * cuDNN and libnd4j libraries) and is only called once the driver is known to be usable.
 */
public final class GpuProbe {

    static final Path PROC_VERSION = Path.of("/proc/driver/nvidia/version");
    /** Libraries JavaCPP loads for the CUDA backend whose paths the report shows. */
    private static final Pattern CUDA_LIBRARY = Pattern.compile("cudart|cublas|cudnn|nd4jcuda|nvrtc");

    private GpuProbe() {
    }

    /** Facts and verdict: the driver's first, then (when those pass and asked to) the loaded backend's. */
    public record Checked(GpuFacts facts, GpuPreflight.Verdict verdict) {
    }

    /** @param demand the work's GPU memory, or null; @param loadBackend whether to load ND4J's CUDA backend too */
    public static Checked check(GpuFacts.Demand demand, boolean loadBackend) {
        GpuFacts facts = driver().withDemand(demand);
        GpuPreflight.Verdict verdict = GpuPreflight.judge(facts);
        if (verdict.ok() && loadBackend) {
            facts = loadBackend(facts);
            verdict = GpuPreflight.judge(facts);
        }
        return new Checked(facts, verdict);
    }

    /** Driver version, devices as nvidia-smi lists them, and where libcuda.so.1 is, without loading CUDA. */
    public static GpuFacts driver() {
        String version = readProcVersion();
        List<String> smi = run(List.of("nvidia-smi", "--query-gpu=index,name,memory.total,memory.free,compute_cap,"
                + "driver_version", "--format=csv,noheader,nounits"));
        if (smi != null && smi.stream().anyMatch(l -> l.contains("compute_cap"))) {
            // drivers before 510 do not know compute_cap: ask again without it
            smi = run(List.of("nvidia-smi", "--query-gpu=index,name,memory.total,memory.free,driver_version",
                    "--format=csv,noheader,nounits"));
        }
        List<Device> devices = smi == null ? null : parseSmi(smi);
        if (version == null && devices != null) {
            version = smiDriverVersion(smi);
        }
        return GpuFacts.driverOnly(version, findLibcuda(), devices);
    }

    /** The facts with what ND4J's CUDA backend reports once loaded, or why it did not load. */
    public static GpuFacts loadBackend(GpuFacts facts) {
        try {
            // JavaCPP's CUDA runtime and cuDNN first, by name (they are not on the CPU classpath): when ND4J fails to
            // load them it only logs why and reports that there is no backend at all.
            for (String presets : List.of("org.bytedeco.cuda.global.cudart", "org.bytedeco.cuda.global.cudnn")) {
                Loader.load(Class.forName(presets));
            }
            Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
            if (Nd4j.getEnvironment().isCPU()) {
                return facts.withBackend(null, Map.of(), "ND4J loaded its CPU backend: this JVM is not on the "
                        + "CUDA classpath (mvn -Pcuda)");
            }
            return facts.withBackend(devices(env), cudaLibraries(Loader.getLoadedLibraries()), null);
        } catch (ClassNotFoundException e) {
            return facts.withBackend(null, Map.of(), "JavaCPP's CUDA presets (" + e.getMessage() + ") are not on "
                    + "this JVM's classpath (mvn -Pcuda)");
        } catch (Throwable t) {
            return facts.withBackend(null, Map.of(), UserInputException.rootMessage(t));
        }
    }

    /** The GPUs in ND4J's environment report (CUDA backend); empty on the CPU backend. */
    @SuppressWarnings("unchecked")
    public static List<Device> devices(Properties env) {
        Object info = env.get(Nd4jEnvironment.CUDA_DEVICE_INFORMATION_KEY);
        List<Device> devices = new ArrayList<>();
        if (info instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                Map<String, Object> d = (Map<String, Object>) list.get(i);
                devices.add(new Device(i, String.valueOf(d.get(Nd4jEnvironment.CUDA_DEVICE_NAME_KEY)),
                        number(d.get(Nd4jEnvironment.CUDA_TOTAL_MEMORY_KEY)),
                        number(d.get(Nd4jEnvironment.CUDA_FREE_MEMORY_KEY)),
                        d.get(Nd4jEnvironment.CUDA_DEVICE_MAJOR_VERSION_KEY) + "."
                                + d.get(Nd4jEnvironment.CUDA_DEVICE_MINOR_VERSION_KEY)));
            }
        }
        return devices;
    }

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : 0;
    }

    static Map<String, String> cudaLibraries(Map<String, String> loaded) {
        Map<String, String> cuda = new TreeMap<>();
        loaded.forEach((name, path) -> {
            if (CUDA_LIBRARY.matcher(name.toLowerCase(Locale.ROOT)).find()) {
                cuda.put(name, path);
            }
        });
        return cuda;
    }

    private static String readProcVersion() {
        try {
            return Files.isReadable(PROC_VERSION) ? parseProcVersion(Files.readString(PROC_VERSION)) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** "NVRM version: NVIDIA UNIX [Open ]Kernel Module [for x86_64]  535.104.05  ..." to 535.104.05. */
    static String parseProcVersion(String text) {
        Matcher m = Pattern.compile("Kernel Module(?:\\s+for\\s+\\S+)?\\s+(\\d+(?:\\.\\d+)+)").matcher(text);
        return m.find() ? m.group(1) : null;
    }

    /**
     * nvidia-smi's CSV rows (index, name, MiB total, MiB free, [compute capability,] driver) to devices; an empty
     * list when it says there are none, null when its output is not that table (it could not reach the driver).
     */
    static List<Device> parseSmi(List<String> lines) {
        List<Device> devices = new ArrayList<>();
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("No devices were found")) {
                return List.of();
            }
            String[] f = line.split(",\\s*");
            if (f.length < 5 || !f[0].trim().matches("\\d+")) {
                return null;
            }
            boolean withCapability = f.length >= 6;
            int last = f.length - 1;
            int memory = withCapability ? last - 3 : last - 2;
            String name = String.join(", ", Arrays.copyOfRange(f, 1, memory)).trim();
            try {
                devices.add(new Device(Integer.parseInt(f[0].trim()), name, mib(f[memory]), mib(f[memory + 1]),
                        withCapability ? f[last - 1].trim() : "?"));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return devices;
    }

    private static String smiDriverVersion(List<String> lines) {
        return lines.stream().filter(l -> !l.isBlank()).findFirst()
                .map(l -> l.substring(l.lastIndexOf(',') + 1).trim()).orElse(null);
    }

    private static long mib(String s) {
        return Long.parseLong(s.trim()) * 1024 * 1024;
    }

    private static String findLibcuda() {
        for (String ldconfig : List.of("ldconfig", "/sbin/ldconfig", "/usr/sbin/ldconfig")) {
            List<String> out = run(List.of(ldconfig, "-p"));
            if (out != null) {
                String found = parseLdconfig(out);
                if (found != null) {
                    return found;
                }
                break;
            }
        }
        String path = System.getenv("LD_LIBRARY_PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                Path lib = Path.of(dir.isEmpty() ? "." : dir, "libcuda.so.1");
                if (Files.exists(lib)) {
                    return lib.toString();
                }
            }
        }
        return null;
    }

    /** "\tlibcuda.so.1 (libc6,x86-64) => /lib/x86_64-linux-gnu/libcuda.so.1" to the path (64-bit entries only). */
    static String parseLdconfig(List<String> lines) {
        for (String line : lines) {
            String l = line.trim();
            if (l.startsWith("libcuda.so.1 ") && l.contains("x86-64") && l.contains("=>")) {
                return l.substring(l.indexOf("=>") + 2).trim();
            }
        }
        return null;
    }

    /** A command's output lines, or null when it cannot be started or fails. */
    private static List<String> run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            // nvidia-smi exits 6 when it finds no device, and says so
            return p.exitValue() == 0 || out.contains("No devices were found") || out.contains("compute_cap")
                    ? out.lines().toList() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
