package org.zoobench.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One entry of JMH's JSON result file, the fields the report needs. Times are in the benchmark's output unit
 * (milliseconds for every ZooBench benchmark).
 *
 * @param benchmarkClass simple class name, e.g. {@code ModelBenchmark}
 * @param method         benchmark method, e.g. {@code training}
 * @param percentiles    only for sample-time mode: percentile (e.g. 50.0) to time
 * @param samples        number of timed invocations (sample-time mode) or iterations (other modes)
 * @param fastest        the fastest measurement iteration's time (NaN in sample-time mode, which keeps none)
 */
public record JmhResult(String benchmarkClass, String method, Map<String, String> params, String mode,
                        double score, double scoreError, String unit, Map<Double, Double> percentiles,
                        long samples, int forks, int measurementIterations, double fastest) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public String param(String name) {
        return params.get(name);
    }

    public double percentile(double p) {
        Double v = percentiles.get(p);
        return v == null ? Double.NaN : v;
    }

    /** Every entry of a JMH JSON file; an absent file (that part of the suite did not run) reads as none. */
    public static List<JmhResult> read(Path file) throws IOException {
        List<JmhResult> results = new ArrayList<>();
        if (!Files.exists(file)) {
            return results;
        }
        for (JsonNode entry : JSON.readTree(file.toFile())) {
            String benchmark = entry.get("benchmark").asText();
            int lastDot = benchmark.lastIndexOf('.');
            String className = benchmark.substring(0, lastDot);
            Map<String, String> params = new LinkedHashMap<>();
            entry.path("params").fields().forEachRemaining(f -> params.put(f.getKey(), f.getValue().asText()));
            JsonNode metric = entry.get("primaryMetric");
            Map<Double, Double> percentiles = new LinkedHashMap<>();
            metric.path("scorePercentiles").fields().forEachRemaining(
                    f -> percentiles.put(Double.parseDouble(f.getKey()), f.getValue().asDouble()));
            results.add(new JmhResult(className.substring(className.lastIndexOf('.') + 1),
                    benchmark.substring(lastDot + 1), params, entry.get("mode").asText(),
                    metric.get("score").asDouble(), errorOf(metric), metric.get("scoreUnit").asText(),
                    percentiles, sampleCount(metric), entry.path("forks").asInt(),
                    entry.path("measurementIterations").asInt(), fastestOf(metric)));
        }
        return results;
    }

    /** JMH writes "NaN" as the error when there were too few iterations to compute one. */
    private static double errorOf(JsonNode metric) {
        JsonNode e = metric.get("scoreError");
        return e == null || !e.isNumber() ? Double.NaN : e.asDouble();
    }

    /** The smallest of the per-iteration values of every fork (average-time mode: each iteration's mean time). */
    private static double fastestOf(JsonNode metric) {
        double fastest = Double.NaN;
        for (JsonNode fork : metric.path("rawData")) {
            for (JsonNode iteration : fork) {
                fastest = Double.isNaN(fastest) ? iteration.asDouble() : Math.min(fastest, iteration.asDouble());
            }
        }
        return fastest;
    }

    /** Sample-time results carry a histogram per fork and iteration; other modes one value per iteration. */
    private static long sampleCount(JsonNode metric) {
        long count = 0;
        JsonNode histogram = metric.get("rawDataHistogram");
        if (histogram != null) {
            for (JsonNode fork : histogram) {
                for (JsonNode iteration : fork) {
                    for (JsonNode bucket : iteration) {
                        count += bucket.get(1).asLong();
                    }
                }
            }
            return count;
        }
        for (JsonNode fork : metric.path("rawData")) {
            count += fork.size();
        }
        return count;
    }
}
