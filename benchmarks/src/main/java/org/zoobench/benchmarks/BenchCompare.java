package org.zoobench.benchmarks;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.zoobench.benchmarks.BenchResults.LayerRow;
import org.zoobench.benchmarks.BenchResults.ModelRow;
import org.zoobench.benchmarks.BenchResults.Pass;

import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import static org.zoobench.benchmarks.BenchReport.num;

/**
 * Two runs side by side (avx2 against oneDNN, CPU against GPU): throughput of each and the speed-up of the second
 * over the first, for every model row and layer row the two have in common.
 */
public final class BenchCompare {

    private BenchCompare() {
    }

    /** A model row present in both runs. */
    record ModelPair(ModelRow a, ModelRow b) {
    }

    /** A layer row present in both runs. */
    record LayerPair(LayerRow a, LayerRow b) {
    }

    static List<ModelPair> modelPairs(BenchResults a, BenchResults b) {
        List<ModelPair> pairs = new ArrayList<>();
        for (ModelRow ra : a.models()) {
            b.models().stream().filter(rb -> rb.model().equals(ra.model()) && rb.requestedBatch() == ra.requestedBatch())
                    .findFirst().ifPresent(rb -> pairs.add(new ModelPair(ra, rb)));
        }
        return pairs;
    }

    static List<LayerPair> layerPairs(BenchResults a, BenchResults b) {
        List<LayerPair> pairs = new ArrayList<>();
        for (LayerRow ra : a.layers()) {
            b.layers().stream().filter(rb -> rb.layerCase().equals(ra.layerCase()) && rb.impl().equals(ra.impl())
                    && rb.pass().equals(ra.pass())).findFirst().ifPresent(rb -> pairs.add(new LayerPair(ra, rb)));
        }
        return pairs;
    }

    /** How many times faster B is than A (throughput ratio); NaN when either did not run. */
    static double speedUp(Pass a, Pass b) {
        return a.ok() && b.ok() ? b.imagesPerSecond() / a.imagesPerSecond() : Double.NaN;
    }

    private static String label(BenchResults r, String fallback) {
        return fallback + " (" + r.environment().backend() + ", " + r.environment().layers() + " layers)";
    }

    public static String markdown(BenchResults a, BenchResults b) {
        String la = label(a, "A");
        String lb = label(b, "B");
        StringBuilder md = new StringBuilder();
        md.append("A: ").append(a.environment().summary()).append(", started ").append(a.startedAt()).append('\n');
        md.append("B: ").append(b.environment().summary()).append(", started ").append(b.startedAt()).append('\n');
        md.append("Peak sgemm GFLOP/s: A ").append(peak(a)).append(", B ").append(peak(b)).append("\n\n");
        List<ModelPair> models = modelPairs(a, b);
        if (!models.isEmpty()) {
            md.append("| model | batch | infer img/s ").append(la).append(" | infer img/s ").append(lb)
                    .append(" | infer speed-up | train img/s ").append(la).append(" | train img/s ").append(lb)
                    .append(" | train speed-up |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
            for (ModelPair p : models) {
                md.append("| ").append(p.a().model()).append(" | ").append(p.a().requestedBatch())
                        .append(" | ").append(rate(p.a().inference())).append(" | ").append(rate(p.b().inference()))
                        .append(" | ").append(times(speedUp(p.a().inference(), p.b().inference())))
                        .append(" | ").append(rate(p.a().training())).append(" | ").append(rate(p.b().training()))
                        .append(" | ").append(times(speedUp(p.a().training(), p.b().training()))).append(" |\n");
            }
            md.append('\n');
        }
        List<LayerPair> layers = layerPairs(a, b);
        if (!layers.isEmpty()) {
            md.append("| layer | impl | pass | ms ").append(la).append(" | ms ").append(lb)
                    .append(" | GFLOP/s A | GFLOP/s B | speed-up |\n|---|---|---|---:|---:|---:|---:|---:|\n");
            for (LayerPair p : layers) {
                md.append("| ").append(p.a().layerCase()).append(" | ").append(p.a().impl()).append(" | ")
                        .append(p.a().pass()).append(" | ").append(ms(p.a())).append(" | ").append(ms(p.b()))
                        .append(" | ").append(num(p.a().gflops(), 1)).append(" | ").append(num(p.b().gflops(), 1))
                        .append(" | ").append(times(p.a().meanMs() / p.b().meanMs())).append(" |\n");
            }
        }
        if (models.isEmpty() && layers.isEmpty()) {
            md.append("The two runs have no model (model, batch) or layer rows in common.\n");
        }
        return md.toString();
    }

    public static String csv(BenchResults a, BenchResults b) throws IOException {
        StringWriter out = new StringWriter();
        try (CSVPrinter csv = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setHeader(
                "kind", "name", "batch_or_impl", "pass", "a_backend", "b_backend", "a_value", "b_value", "unit",
                "speedup").build())) {
            for (ModelPair p : modelPairs(a, b)) {
                for (String pass : List.of("inference", "training")) {
                    Function<ModelRow, Pass> of = pass.equals("inference") ? ModelRow::inference : ModelRow::training;
                    csv.printRecord("model", p.a().model(), p.a().requestedBatch(), pass, a.environment().backend(),
                            b.environment().backend(), num(of.apply(p.a()).imagesPerSecond(), 2),
                            num(of.apply(p.b()).imagesPerSecond(), 2), "img/s",
                            num(speedUp(of.apply(p.a()), of.apply(p.b())), 3));
                }
            }
            for (LayerPair p : layerPairs(a, b)) {
                csv.printRecord("layer", p.a().layerCase(), p.a().impl(), p.a().pass(), a.environment().backend(),
                        b.environment().backend(), num(p.a().meanMs(), 4), num(p.b().meanMs(), 4), "ms",
                        num(p.a().meanMs() / p.b().meanMs(), 3));
            }
        }
        return out.toString();
    }

    private static String peak(BenchResults r) {
        return Optional.ofNullable(r.peak()).map(p -> num(p.gflops(), 1)).orElse("not measured");
    }

    private static String rate(Pass p) {
        return p.ok() ? num(p.imagesPerSecond(), 1) : p.status();
    }

    private static String ms(LayerRow r) {
        return num(r.meanMs(), 3) + " ± " + num(r.errorMs(), 3);
    }

    private static String times(double ratio) {
        return Double.isNaN(ratio) ? "—" : num(ratio, 2) + "x";
    }
}
