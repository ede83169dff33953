package org.zoobench.experiments.suites;

import org.zoobench.experiments.report.MarkdownTable;
import org.zoobench.experiments.report.ResultsReport;
import org.zoobench.experiments.report.SeedSummary;
import org.zoobench.experiments.results.AtomicFiles;
import org.zoobench.experiments.results.Bootstrap;
import org.zoobench.experiments.results.Estimate;
import org.zoobench.experiments.results.ResultsStore;
import org.zoobench.experiments.results.RunConfig;
import org.zoobench.experiments.results.RunRecord;
import org.zoobench.experiments.runner.RunSpec;
import org.zoobench.zoo.ModelEntry;
import org.zoobench.zoo.ModelRegistry;
import org.zoobench.zoo.profile.ModelProfile;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Zeiler and Fergus (2013), Table 3: AlexNet with layers removed or fc6/fc7 resized, every variant trained
 * with one recipe and several seeds on Fashion-MNIST, as the mini nets (3x3 stride-1 stem, quarter widths)
 * because the ImageNet-sized nets are far too slow for two CPU cores.
 */
public final class AlexNetAblationSuite implements Suite {

    public static final String NAME = "alexnet-ablation";
    static final String DATASET = "fashion-mnist";

    /**
     * One row of Table 3: registry suffix, what was changed, the paper's top-1 validation error (%) and what the
     * lecture slides say about it (REFERENCE.md §2).
     */
    record Variant(String suffix, String label, double paperTop1Error, String slides) {
        String miniModel() {
            return "alexnet-mini" + suffix;
        }

        String imagenetModel() {
            return "alexnet" + suffix;
        }
    }

    static final List<Variant> VARIANTS = List.of(
            new Variant("", "full network", 40.5, "8 layers, ~60M params"),
            new Variant("-no-fc7", "remove fc7", 40.0, "-16M params, 1.1% drop"),
            new Variant("-no-fc6-fc7", "remove fc6, fc7", 44.8, "-50M params, 5.7% drop"),
            new Variant("-no-conv3-conv4", "remove conv3, conv4", 45.4, "-1M params, 3% drop"),
            new Variant("-no-conv3-conv4-fc6-fc7", "remove conv3, conv4, fc6, fc7", 71.3, "33.5% drop"),
            new Variant("-fc8192", "fc6, fc7 widened to 8192", 40.0, "—"),
            new Variant("-fc2048", "fc6, fc7 narrowed to 2048", 41.7, "—"));

    /** The recipe: the same for every variant. */
    static final Recipe FULL = new Recipe(0, 0, 15, 128, 3, "adam", 1e-3, 88);
    static final Recipe QUICK = new Recipe(1600, 1000, 2, 32, 2, "adam", 1e-3, 70);
    static final int BOOTSTRAP_SAMPLES = 2000;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "AlexNet layer ablations of Zeiler & Fergus (2013) Table 3 on Fashion-MNIST";
    }

    @Override
    public SuitePlan plan(boolean quick) {
        Recipe r = quick ? QUICK : FULL;
        List<RunSpec> runs = new ArrayList<>();
        for (int s = 0; s < r.seeds(); s++) {
            for (Variant v : VARIANTS) {
                ModelEntry mini = ModelRegistry.get(v.miniModel());
                RunConfig config = r.config(mini.name(), DATASET, mini.defaultInput().toString(), "bilinear",
                        mini.defaultClasses(), s, BOOTSTRAP_SAMPLES);
                runs.add(new RunSpec(NAME, v.label(), config, imagenetParams(v)));
            }
        }
        String recipe = String.format(Locale.ROOT,
                "%s, %s train / %s test images (standardised by training-set mean and std), %d epochs, batch %d, %s lr %s, seeds %d..%d, input 1x28x28, "
                        + "10 classes; every variant trained with exactly this recipe",
                DATASET, r.trainLimit() == 0 ? "all 60,000" : String.format(Locale.ROOT, "%,d", r.trainLimit()),
                r.testLimit() == 0 ? "all 10,000" : String.format(Locale.ROOT, "%,d", r.testLimit()),
                r.epochs(), r.batch(), r.updater(), r.lr(), Recipe.FIRST_SEED, Recipe.FIRST_SEED + r.seeds() - 1);
        List<String> notes = new ArrayList<>();
        notes.add("Deviation from the paper: ImageNet-sized AlexNet (224x224, 1000 classes) is far too slow for a "
                + "2-core CPU, so each variant is the alexnet-mini* net: the same 5 conv + 3 fc topology with the "
                + "same layers removed, but a 3x3 stride-1 conv1 for 28x28 input and every width divided by 4; "
                + "trained on Fashion-MNIST, not ImageNet. Parameters are shown at both configs.");
        if (quick) {
            notes.add(String.format(Locale.ROOT, "--quick cuts: %,d of 60,000 training images and %,d of 10,000 "
                            + "test images (fixed seeded subsets), %d instead of %d epochs, %d instead of "
                            + "%d seeds. Run without --quick for the full recipe.",
                    QUICK.trainLimit(), QUICK.testLimit(), QUICK.epochs(), FULL.epochs(), QUICK.seeds(),
                    FULL.seeds()));
        }
        return new SuitePlan(runs, recipe, notes);
    }

    private static long imagenetParams(Variant v) {
        ModelEntry imagenet = ModelRegistry.get(v.imagenetModel());
        return ModelProfile.of(imagenet, imagenet.defaultOptions()).trainableParams();
    }

    @Override
    public String report(ResultsStore store, List<RunRecord> records) {
        List<SeedSummary> groups = ResultsReport.summarise(store, records, RunRecord::group);
        Map<String, SeedSummary> byLabel = groups.stream()
                .collect(Collectors.toMap(SeedSummary::group, Function.identity()));
        Optional<SeedSummary> full = Optional.ofNullable(byLabel.get(VARIANTS.get(0).label()));
        Bootstrap paired = ResultsReport.pairedBootstrap(records);

        MarkdownTable table = new MarkdownTable("variant", ">params (trained)", ">Δparams", ">params (ImageNet)",
                ">Δparams (ImageNet)", ">runs", ">top-1 % (mean ± std)", ">pooled 95% CI", ">Δtop-1 vs full [95% CI]",
                ">paper Δtop-1", "slides say");
        List<Measured> measured = new ArrayList<>();
        for (Variant v : VARIANTS) {
            SeedSummary g = byLabel.get(v.label());
            if (g == null) {
                continue;
            }
            RunRecord r = g.first();
            long fullParams = full.map(f -> f.first().paramCount()).orElse(r.paramCount());
            long fullImagenet = full.map(f -> f.first().imagenetParamCount()).orElse(r.imagenetParamCount());
            double paperDelta = VARIANTS.get(0).paperTop1Error() - v.paperTop1Error();
            Estimate vsFull = full.isPresent() && g != full.get() ? ResultsReport.pairedDelta(g, full.get(), paired)
                    : null;
            table.row(v.label() + " (" + v.miniModel() + ")", count(r.paramCount()),
                    g == full.orElse(null) ? "—" : signedCount(r.paramCount() - fullParams),
                    count(r.imagenetParamCount()),
                    g == full.orElse(null) ? "—" : signedCount(r.imagenetParamCount() - fullImagenet),
                    g.finished() + (g.diverged() > 0 ? " (+" + g.diverged() + " diverged)" : ""),
                    g.top1Pooled() == null ? "diverged" : String.format(Locale.ROOT, "%.1f ± %.1f", g.top1Mean(),
                            g.top1Std()),
                    g.top1Pooled() == null ? "—" : String.format(Locale.ROOT, "[%.1f, %.1f]",
                            g.top1Pooled().low(), g.top1Pooled().high()),
                    vsFull == null ? "—" : vsFull.formatSigned(),
                    g == full.orElse(null) ? "—" : String.format(Locale.ROOT, "%+.1f", paperDelta),
                    v.slides());
            if (vsFull != null) {
                measured.add(new Measured(v, vsFull, paperDelta));
            }
        }
        StringBuilder out = new StringBuilder();
        out.append(table);
        out.append("\nparams (trained): at 1x28x28, 10 classes (mini nets); params (ImageNet): the matching alexnet* "
                + "entry at 3x224x224, 1000 classes. Δtop-1: paired bootstrap over test examples of the seed-averaged "
                + "hit rate. paper Δtop-1: Zeiler & Fergus Table 3, full net's top-1 val error (40.5%) minus the "
                + "variant's.\n\n");
        out.append(verdict(measured));
        ResultsReport.writePlots(store, groups, "AlexNet ablation (Fashion-MNIST, mini nets): ");
        AtomicFiles.writeString(store.dir().resolve(ResultsReport.MARKDOWN), out.toString());
        return out.toString();
    }

    private record Measured(Variant variant, Estimate vsFull, double paperDelta) {
        double delta() {
            return vsFull.value();
        }
    }

    /** Checks the paper's claims one by one on the measured Δtop-1 and their intervals. */
    static String verdict(List<Measured> measured) {
        Map<String, Measured> by = measured.stream().collect(Collectors.toMap(m -> m.variant().suffix(),
                Function.identity()));
        Measured noFc7 = by.get("-no-fc7");
        Measured noFc = by.get("-no-fc6-fc7");
        Measured noConv = by.get("-no-conv3-conv4");
        Measured noAll = by.get("-no-conv3-conv4-fc6-fc7");
        StringBuilder out = new StringBuilder("Does the paper's ordering hold?\n");
        if (noFc7 == null || noFc == null || noConv == null || noAll == null) {
            return out.append("- not enough finished variants to judge\n").toString();
        }
        boolean fc7Barely = noFc7.vsFull().contains(0) || Math.abs(noFc7.delta()) <= 1;
        boolean fcCosts = noFc.vsFull().high() < 0;
        boolean convCosts = noConv.vsFull().high() < 0;
        boolean allWorst = measured.stream().filter(m -> m != noAll).allMatch(m -> noAll.delta() < m.delta());
        boolean allClearly = measured.stream().filter(m -> m != noAll)
                .allMatch(m -> noAll.vsFull().high() < m.vsFull().low());
        boolean order = noFc7.delta() > noFc.delta() && noFc7.delta() > noConv.delta()
                && Math.min(noFc.delta(), noConv.delta()) > noAll.delta();
        line(out, fc7Barely, "removing fc7 barely matters", noFc7);
        line(out, fcCosts, "removing fc6+fc7 costs accuracy (interval below 0)", noFc);
        line(out, convCosts, "removing conv3+conv4 costs accuracy (interval below 0)", noConv);
        line(out, allWorst && allClearly, "removing all four is the worst, clearly (interval below every other "
                + "variant's)", noAll);
        out.append(String.format(Locale.ROOT, "- ordering no-fc7 > {no-fc6-fc7, no-conv3-conv4} > all four removed "
                + "(point estimates): %s%n", order ? "HOLDS" : "does NOT hold"));
        out.append(String.format(Locale.ROOT, "- Spearman rank correlation of measured vs paper Δtop-1 over %d "
                + "variants: %.2f%n", measured.size(), spearman(measured)));
        out.append(String.format(Locale.ROOT, "Verdict: the paper's ordering %s on this data.%n",
                order && fcCosts && convCosts && allWorst ? "holds"
                        : order ? "holds in the point estimates but not every step is significant" : "does not hold"));
        return out.toString();
    }

    private static void line(StringBuilder out, boolean holds, String claim, Measured m) {
        out.append(String.format(Locale.ROOT, "- %s: %s (Δ %s; paper %+.1f)%n", claim,
                holds ? "HOLDS" : "does NOT hold", m.vsFull().formatSigned(), m.paperDelta()));
    }

    static double spearman(List<Measured> measured) {
        double[] a = ranks(measured.stream().mapToDouble(Measured::delta).toArray());
        double[] b = ranks(measured.stream().mapToDouble(Measured::paperDelta).toArray());
        double ma = mean(a);
        double mb = mean(b);
        double cov = 0;
        double va = 0;
        double vb = 0;
        for (int i = 0; i < a.length; i++) {
            cov += (a[i] - ma) * (b[i] - mb);
            va += (a[i] - ma) * (a[i] - ma);
            vb += (b[i] - mb) * (b[i] - mb);
        }
        return cov / Math.sqrt(va * vb);
    }

    /** Ranks with ties given their average rank. */
    static double[] ranks(double[] v) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            int below = 0;
            int equal = 0;
            for (double x : v) {
                below += x < v[i] ? 1 : 0;
                equal += x == v[i] ? 1 : 0;
            }
            r[i] = below + (equal + 1) / 2.0;
        }
        return r;
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String signedCount(long n) {
        return String.format(Locale.ROOT, "%+,d", n);
    }
}
