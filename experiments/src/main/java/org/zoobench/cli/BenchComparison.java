package org.zoobench.cli;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.zoobench.UserInputException;
import org.zoobench.benchmarks.BenchPlan;
import org.zoobench.cli.BenchLauncher.Backend;
import org.zoobench.experiments.report.HtmlReport;
import org.zoobench.experiments.report.Plots;
import org.zoobench.experiments.report.ResultsReport;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code zoobench bench MODELS --backend cpu,cuda}: each backend in turn into FOLDER/BACKEND, then the first two that
 * ran joined in FOLDER (compare.md, compare.csv, speedup.png). A backend that cannot run here is skipped with its
 * one-line reason; the others still run and keep their results.
 */
final class BenchComparison {

    private BenchComparison() {
    }

    /** The benchmark JVM ({@link BenchLauncher}): what it is asked to do, and its exit code. */
    interface BenchJvm {
        /** Measures a plan on a backend's classpath. */
        int run(Backend backend, BenchPlan plan);

        /** Joins two results. */
        int compare(BenchPlan.Comparison comparison);
    }

    /**
     * @param plans  each backend's plan, results in FOLDER/BACKEND
     * @param format how to print the joined table: table or csv
     */
    static int run(BenchJvm jvm, List<Backend> backends, Path folder, Function<Backend, BenchPlan> plans,
                   String format, PrintWriter err) {
        Map<Backend, String> failed = new LinkedHashMap<>();
        for (Backend b : backends) {
            try {
                BenchLauncher.checkBackendUsable(b, null);
            } catch (UserInputException e) {
                failed.put(b, e.getMessage());
                err.println("zoobench: skipping " + b + ": " + e.getMessage());
                err.flush();
            }
        }
        List<Backend> ran = new ArrayList<>();
        boolean rowsFailed = false;
        for (Backend b : backends) {
            if (failed.containsKey(b)) {
                continue;
            }
            int exit = jvm.run(b, plans.apply(b));
            // with some rows unmeasured (said above), the others are still results to join
            rowsFailed |= exit == BenchCommand.ROWS_FAILED;
            if (exit == 0 || exit == BenchCommand.ROWS_FAILED) {
                ran.add(b);
                htmlReport(folder.resolve(b.toString()), err);
            } else {
                failed.put(b, "the " + b + " benchmarks failed (exit " + exit + "; their message is above)");
            }
        }
        if (ran.size() >= 2) {
            int exit = jvm.compare(new BenchPlan.Comparison(folder.resolve(ran.get(0).toString()),
                    folder.resolve(ran.get(1).toString()), format, folder));
            if (exit != 0) {
                throw new UserInputException("joining the " + ran.get(0) + " and " + ran.get(1) + " results failed "
                        + "(exit " + exit + "); each is in " + folder);
            }
            speedUpChart(folder.resolve("compare.csv"), ran.get(1) + " over " + ran.get(0),
                    folder.resolve("speedup.png"));
            err.println("zoobench: joined results in " + folder + " (compare.md, compare.csv, speedup.png)");
            htmlReport(folder, err);
        }
        if (!failed.isEmpty()) {
            Map.Entry<Backend, String> first = failed.entrySet().iterator().next();
            throw new UserInputException(first.getKey() + ": " + first.getValue()
                    + (ran.isEmpty() ? "" : "; the " + ran + " results are in " + folder));
        }
        return rowsFailed ? BenchCommand.ROWS_FAILED : 0;
    }

    /** report.html beside a bench folder's Markdown tables and charts; nothing where the run left no table. */
    static void htmlReport(Path folder, PrintWriter err) {
        if (Files.isRegularFile(folder.resolve(ResultsReport.MARKDOWN))
                || Files.isRegularFile(folder.resolve("compare.md"))) {
            err.println("zoobench: report " + HtmlReport.forBenchmarks(folder, "ZooBench bench: "
                    + folder.getFileName()));
            err.flush();
        }
    }

    /** Speed-up of the second backend over the first per model and batch (inference, training), else per layer. */
    static void speedUpChart(Path compareCsv, String title, Path png) {
        List<String> modelCategories = new ArrayList<>();
        Map<String, List<Double>> modelSeries = new LinkedHashMap<>();
        List<String> layerCategories = new ArrayList<>();
        Map<String, List<Double>> layerSeries = new LinkedHashMap<>(Map.of("speed-up", new ArrayList<>()));
        try (Reader in = Files.newBufferedReader(compareCsv)) {
            Map<String, Map<String, Double>> byModel = new LinkedHashMap<>();
            for (CSVRecord r : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(in)) {
                if (r.get("speedup").isEmpty()) {
                    continue;
                }
                double speedUp = Double.parseDouble(r.get("speedup"));
                if (r.get("kind").equals("model")) {
                    byModel.computeIfAbsent(r.get("name") + " b" + r.get("batch_or_impl"), k -> new LinkedHashMap<>())
                            .put(r.get("pass"), speedUp);
                } else {
                    layerCategories.add(r.get("name") + " " + r.get("batch_or_impl") + " " + r.get("pass"));
                    layerSeries.get("speed-up").add(speedUp);
                }
            }
            // a category needs both passes, so that the two series line up
            byModel.forEach((row, passes) -> {
                if (passes.size() == 2) {
                    modelCategories.add(row);
                    passes.forEach((pass, v) -> modelSeries.computeIfAbsent(pass, k -> new ArrayList<>()).add(v));
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!modelCategories.isEmpty()) {
            Plots.speedUps(modelCategories, modelSeries, "Speed-up of " + title + " (img/s ratio)", png);
        } else if (!layerCategories.isEmpty()) {
            Plots.speedUps(layerCategories, layerSeries, "Speed-up of " + title + " (time ratio)", png);
        }
    }
}
