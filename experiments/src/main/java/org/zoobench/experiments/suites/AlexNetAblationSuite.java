package org.zoobench.experiments.suites;

import org.zoobench.experiments.report.MarkdownTable;
import org.zoobench.experiments.report.ResultsReport;
import org.zoobench.experiments.report.SeedSummary;
import org.zoobench.experiments.results.AtomicFiles;
import org.zoobench.experiments.results.Bootstrap;
import org.zoobench.experiments.results.Estimate;
import org.zoobench.experiments.results.ResizeMode;
import org.zoobench.experiments.results.ResultsStore;
import org.zoobench.experiments.results.RunConfig;
import org.zoobench.experiments.results.RunRecord;
import org.zoobench.experiments.results.Updater;
import org.zoobench.experiments.runner.DataProvider;
import org.zoobench.experiments.runner.RunData;
import org.zoobench.experiments.runner.RunSpec;
import org.zoobench.experiments.suites.SuiteOptions.DataChoice;
import org.zoobench.zoo.InputShape;
import org.zoobench.zoo.ModelEntry;
import org.zoobench.zoo.ModelRegistry;
import org.zoobench.zoo.UserInputException;
import org.zoobench.zoo.profile.ModelProfile;

import java.util.ArrayList;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Zeiler and Fergus (2013), Table 3: AlexNet with layers removed or fc6/fc7 resized, every variant trained with
 * one recipe. At {@code --scale mini} (the default) as the mini nets (3x3 stride-1 stem, quarter widths) on a
 * small-image data set (Fashion-MNIST unless told otherwise), which two CPU cores can train; at
 * {@code --scale imagenet} as the ImageNet-sized nets on an ImageNet-style image folder with the paper's recipe.
 */
public final class AlexNetAblationSuite implements Suite {

    public static final String NAME = "alexnet-ablation";
    public static final String IMAGE_FOLDER = "image-folder";
    /** The mini nets' stem is made for 28x28 and 32x32 images: larger ones are resized to 32x32. */
    static final int MINI_MAX_SIDE = 32;

    /**
     * One row of Table 3: registry suffix, what was changed, the paper's errors (%: top-1 train, top-1 validation,
     * top-5 validation) and what the lecture slides say about it (docs/reference-facts.md §2).
     */
    record Variant(String suffix, String label, double paperTrainTop1Error, double paperTop1Error,
                   double paperTop5Error, String slides) {
        String miniModel() {
            return "alexnet-mini" + suffix;
        }

        String imagenetModel() {
            return "alexnet" + suffix;
        }
    }

    static final List<Variant> VARIANTS = List.of(
            new Variant("", "full network", 35.1, 40.5, 18.1, "8 layers, ~60M params"),
            new Variant("-no-fc7", "remove fc7", 27.4, 40.0, 18.4, "-16M params, 1.1% drop"),
            new Variant("-no-fc6-fc7", "remove fc6, fc7", 27.4, 44.8, 22.4, "-50M params, 5.7% drop"),
            new Variant("-no-conv3-conv4", "remove conv3, conv4", 41.8, 45.4, 22.1, "-1M params, 3% drop"),
            new Variant("-no-conv3-conv4-fc6-fc7", "remove conv3, conv4, fc6, fc7", 71.1, 71.3, 50.1, "33.5% drop"),
            new Variant("-fc8192", "fc6, fc7 widened to 8192", 26.8, 40.0, 18.1, "—"),
            new Variant("-fc2048", "fc6, fc7 narrowed to 2048", 40.3, 41.7, 18.8, "—"));

    /**
     * The recipe at the mini scale, the same for every variant: all 60,000 training images, every variant tested on
     * all 10,000 test images, Adam with the rate falling linearly to 0 (the full net reaches 88-89% in 2 epochs
     * this way, against 88.1% with a constant rate; docs/ablation-recipe.md). The quick recipe is the full one cut
     * to 2 epochs and one seed: more images and epochs buy more credibility than more seeds.
     */
    static final Recipe FULL = new Recipe(0, 0, 8, 128, 3, Updater.ADAM, 2e-3, 88).withLinearDecay();
    static final Recipe QUICK = new Recipe(0, 0, 2, 128, 1, Updater.ADAM, 2e-3, 88).withLinearDecay();
    /**
     * The paper's recipe at ImageNet scale (Krizhevsky et al. 2012, kept by Zeiler and Fergus): momentum 0.9
     * (DL4J's momentum updater is Nesterov's), lr 0.01 divided by 10 after 2 epochs without a better validation
     * top-1, weight decay 5e-4, batch 128, 70 epochs, one seed (each variant is a GPU-day or more); the target is
     * the paper's full-network top-1. Dropout 0.5 on fc6 and fc7 is part of the nets.
     */
    static final Recipe IMAGENET = new Recipe(0, 0, 70, 128, 1, Updater.NESTEROVS, 0.01, 59.5, 5e-4, 2);
    /** A check of the whole set-up before days of training: 2 epochs on 10,000 training, 2,000 validation images. */
    static final Recipe IMAGENET_QUICK = new Recipe(10_000, 2_000, 2, 128, 1, Updater.NESTEROVS, 0.01, 59.5, 5e-4, 2);
    static final int BOOTSTRAP_SAMPLES = 2000;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "AlexNet layer ablations of Zeiler & Fergus (2013) Table 3";
    }

    @Override
    public SuitePlan plan(SuiteOptions options) {
        boolean imagenet = options.scale() == SuiteOptions.Scale.IMAGENET;
        DataChoice data = options.data();
        if (imagenet && !data.name().equals(IMAGE_FOLDER)) {
            throw new UserInputException("--scale imagenet trains on an ImageNet-style folder: pass --dataset "
                    + IMAGE_FOLDER + " --data-dir DIR (DIR/train/<class>/<image>, DIR/val/<class>/<image>), not "
                    + data.name());
        }
        Recipe r = imagenet ? (options.quick() ? IMAGENET_QUICK : IMAGENET) : (options.quick() ? QUICK : FULL);
        Recipe full = imagenet ? IMAGENET : FULL;
        InputShape input = options.input() != null ? options.input()
                : imagenet ? DataProvider.CROP_INPUT : miniInput(data.shape());
        ResizeMode resize = imagenet ? ResizeMode.CROP : ResizeMode.BILINEAR;
        List<RunSpec> runs = new ArrayList<>();
        for (int s = 0; s < r.seeds(); s++) {
            for (Variant v : VARIANTS) {
                RunConfig config = r.config(imagenet ? v.imagenetModel() : v.miniModel(), data.name(),
                        input, resize, data.classes(), s, BOOTSTRAP_SAMPLES);
                runs.add(new RunSpec(NAME, v.label(), config, imagenetParams(v)));
            }
        }
        String recipe = String.format(Locale.ROOT, "%s (%d classes), input %s (%s), %s; every variant trained "
                        + "with exactly this recipe", data.name(), data.classes(), input,
                imagenet ? "shorter side resized to 256/224 of it, random crops and horizontal flips for training, "
                        + "centre crops for evaluation, per-channel mean subtracted"
                        : (input.equals(data.shape()) ? "the data's own size" : "bilinear from " + data.shape())
                        + ", standardised by the training set's per-channel mean and std", r.describe());
        List<String> notes = new ArrayList<>();
        notes.add(PaperSetup.ZEILER_FERGUS.note(runs.get(0).config()));
        if (options.quick()) {
            notes.add("--quick cuts: " + r.cutsFrom(full) + ". Run without --quick for the full recipe.");
        }
        return new SuitePlan(runs, recipe, notes);
    }

    /** The data's own shape if the mini stem takes it, else its channels at 32x32. */
    static InputShape.Image miniInput(InputShape shape) {
        if (!(shape instanceof InputShape.Image data)) {
            throw new UserInputException("alexnet-ablation trains on images, not sequences (" + shape + ")");
        }
        return data.height() <= MINI_MAX_SIDE && data.width() <= MINI_MAX_SIDE ? data
                : InputShape.image(data.channels(), MINI_MAX_SIDE, MINI_MAX_SIDE);
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
                ">Δparams (ImageNet)", ">runs", ">top-1 % (mean ± std)", ">pooled 95% CI", ">top-5 %",
                ">Δtop-1 vs full [95% CI]", ">paper Δtop-1", "slides say");
        MarkdownTable errors = new MarkdownTable("variant", ">train top-1", ">test top-1", ">test top-5",
                ">paper train top-1", ">paper val top-1", ">paper val top-5");
        List<Measured> measured = new ArrayList<>();
        for (Variant v : VARIANTS) {
            SeedSummary g = byLabel.get(v.label());
            if (g == null) {
                continue;
            }
            RunRecord r = g.first();
            errors.row(v.label(), error(g.top1Pooled() == null ? Double.NaN : finalTrainTop1(g)),
                    error(g.top1Pooled() == null ? Double.NaN : g.top1Mean()), error(g.top5Mean()),
                    paperError(v.paperTrainTop1Error()), paperError(v.paperTop1Error()),
                    paperError(v.paperTop5Error()));
            long fullParams = full.map(f -> f.first().paramCount()).orElse(r.paramCount());
            long fullImagenet = full.map(f -> f.first().publishedParamCount()).orElse(r.publishedParamCount());
            double paperDelta = VARIANTS.get(0).paperTop1Error() - v.paperTop1Error();
            Estimate vsFull = full.isPresent() && g != full.get() ? ResultsReport.pairedDelta(g, full.get(), paired)
                    : null;
            table.row(v.label() + " (" + r.model() + ")", count(r.paramCount()),
                    g == full.orElse(null) ? "—" : signedCount(r.paramCount() - fullParams),
                    count(r.publishedParamCount()),
                    g == full.orElse(null) ? "—" : signedCount(r.publishedParamCount() - fullImagenet),
                    g.finished() + (g.diverged() > 0 ? " (+" + g.diverged() + " diverged)" : ""),
                    g.top1Pooled() == null ? "diverged" : String.format(Locale.ROOT, "%.1f ± %.1f", g.top1Mean(),
                            g.top1Std()),
                    g.top1Pooled() == null ? "—" : String.format(Locale.ROOT, "[%.1f, %.1f]",
                            g.top1Pooled().low(), g.top1Pooled().high()),
                    g.top1Pooled() == null || Double.isNaN(g.top5Mean()) ? "—"
                            : String.format(Locale.ROOT, "%.1f", g.top5Mean()),
                    vsFull == null ? "—" : vsFull.formatSigned(),
                    g == full.orElse(null) ? "—" : String.format(Locale.ROOT, "%+.1f", paperDelta),
                    v.slides());
            if (vsFull != null) {
                measured.add(new Measured(v, vsFull, paperDelta));
            }
        }
        StringBuilder out = new StringBuilder();
        out.append(table);
        RunConfig trained = records.isEmpty() ? null : records.get(0).config();
        ModelEntry imagenet = ModelRegistry.get(VARIANTS.get(0).imagenetModel());
        out.append(String.format(Locale.ROOT, "%nparams (trained): at %s, %s; params (ImageNet): the matching "
                        + "alexnet* entry at %s, %d classes. top-5: seed mean (blank with 5 classes or fewer). "
                        + "Δtop-1: paired bootstrap over test examples of the seed-averaged hit rate. paper Δtop-1: "
                        + "Zeiler & Fergus Table 3, full net's top-1 val error (%.1f%%) minus the variant's.%n%n",
                trained == null ? "—" : trained.input(),
                trained == null ? "—" : trained.classes() + " classes on " + trained.dataset(),
                imagenet.defaultInput(), imagenet.defaultClasses(), VARIANTS.get(0).paperTop1Error()));
        out.append("Errors (%) in the layout of Zeiler & Fergus Table 3, seed means:\n\n").append(errors)
                .append(String.format(Locale.ROOT, "%ntrain top-1: after the last epoch, on the first %d training "
                        + "images, evaluated like the test set; test: all test images of %s. paper: ImageNet 2012, "
                        + "train top-1 / val top-1 / val top-5.%n%n", RunData.TRAIN_SAMPLE,
                        trained == null ? "—" : trained.dataset()));
        out.append(verdict(measured));
        ResultsReport.writePlots(store, groups, trained == null ? "AlexNet ablation: "
                : String.format(Locale.ROOT, "AlexNet ablation (%s, %s): ", trained.dataset(), trained.input()));
        AtomicFiles.writeString(store.dir().resolve(ResultsReport.MARKDOWN), out.toString());
        return out.toString();
    }

    record Measured(Variant variant, Estimate vsFull, double paperDelta) {
        double delta() {
            return vsFull.value();
        }
    }

    /** What the intervals say about one of the paper's claims. */
    enum Finding {
        HOLDS("HOLDS"),
        /** The interval contains no difference of the claimed sign, but neither does it exclude one. */
        NOT_DETECTABLE("no detectable effect"),
        CONTRADICTED("does NOT hold");

        final String words;

        Finding(String words) {
            this.words = words;
        }
    }

    /**
     * Checks the paper's claims one by one on the measured Δtop-1 and their intervals. Each line states its power:
     * the half-width of the paired 95% interval, the smallest difference from the full network these runs could
     * tell from none. A difference inside the interval is "no detectable effect", not a contradiction.
     */
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
        Finding fc7Barely = noFc7.vsFull().contains(0) || Math.abs(noFc7.delta()) <= 1 ? Finding.HOLDS
                : Finding.CONTRADICTED;
        Finding fcCosts = costs(noFc);
        Finding convCosts = costs(noConv);
        boolean allWorst = measured.stream().filter(m -> m != noAll).allMatch(m -> noAll.delta() < m.delta());
        boolean allClearly = measured.stream().filter(m -> m != noAll)
                .allMatch(m -> noAll.vsFull().high() < m.vsFull().low());
        Finding allFinding = allWorst && allClearly ? Finding.HOLDS
                : costs(noAll) == Finding.CONTRADICTED || measured.stream().filter(m -> m != noAll)
                .anyMatch(m -> noAll.vsFull().low() > m.vsFull().high()) ? Finding.CONTRADICTED
                : Finding.NOT_DETECTABLE;
        boolean order = noFc7.delta() > noFc.delta() && noFc7.delta() > noConv.delta()
                && Math.min(noFc.delta(), noConv.delta()) > noAll.delta();
        List<Finding> findings = List.of(fc7Barely, fcCosts, convCosts, allFinding);
        line(out, fc7Barely, "removing fc7 barely matters", noFc7);
        line(out, fcCosts, "removing fc6+fc7 costs accuracy (interval below 0)", noFc);
        line(out, convCosts, "removing conv3+conv4 costs accuracy (interval below 0)", noConv);
        line(out, allFinding, "removing all four is the worst, clearly (interval below every other variant's)",
                noAll);
        out.append(String.format(Locale.ROOT, "- ordering no-fc7 > {no-fc6-fc7, no-conv3-conv4} > all four removed "
                + "(point estimates): %s%n", order ? "HOLDS" : "does NOT hold"));
        out.append(String.format(Locale.ROOT, "- Spearman rank correlation of measured vs paper Δtop-1 over %d "
                + "variants: %.2f%n", measured.size(), spearman(measured)));
        DoubleSummaryStatistics power = measured.stream().mapToDouble(m -> m.vsFull().halfWidth()).summaryStatistics();
        long contradicted = findings.stream().filter(f -> f == Finding.CONTRADICTED).count();
        long undetected = findings.stream().filter(f -> f == Finding.NOT_DETECTABLE).count();
        String verdict;
        if (contradicted == 0 && undetected == 0) {
            verdict = order ? "the paper's ordering holds on this data"
                    : "the paper's ordering holds in every tested claim but not in the point estimates' ordering";
        } else if (contradicted == 0) {
            verdict = String.format(Locale.ROOT, "nothing here contradicts the paper, but %d of its 4 claims show no "
                    + "detectable effect: these runs resolve differences of about ±%.1f to ±%.1f points and no "
                    + "smaller", undetected, power.getMin(), power.getMax());
        } else {
            verdict = String.format(Locale.ROOT, "the paper's ordering does not hold on this data (%d of 4 claims "
                    + "contradicted by intervals that exclude the paper's direction%s)", contradicted,
                    undetected == 0 ? "" : String.format(Locale.ROOT, "; %d more undetectable at ±%.1f to ±%.1f "
                            + "points", undetected, power.getMin(), power.getMax()));
        }
        out.append("Verdict: ").append(verdict).append(".\n");
        return out.toString();
    }

    /** The claim "removing these layers costs accuracy" against the paired interval of the variant's Δ. */
    static Finding costs(Measured m) {
        return m.vsFull().high() < 0 ? Finding.HOLDS : m.vsFull().low() > 0 ? Finding.CONTRADICTED
                : Finding.NOT_DETECTABLE;
    }

    private static void line(StringBuilder out, Finding finding, String claim, Measured m) {
        out.append(String.format(Locale.ROOT, "- %s: %s (Δ %s, smallest detectable ±%.1f; paper %+.1f%s)%n", claim,
                finding.words, m.vsFull().formatSigned(), m.vsFull().halfWidth(), m.paperDelta(),
                m.vsFull().contains(m.paperDelta()) ? ", inside the interval" : ", outside the interval"));
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

    /** Seed mean of the training-sample top-1 after the last epoch, over the runs that did not diverge. */
    static double finalTrainTop1(SeedSummary g) {
        return g.runs().stream().filter(r -> !r.diverged() && !r.epochs().isEmpty())
                .mapToDouble(r -> r.epochs().get(r.epochs().size() - 1).trainAccuracy()).average().orElse(Double.NaN);
    }

    private static String error(double accuracyPercent) {
        return Double.isNaN(accuracyPercent) ? "—" : String.format(Locale.ROOT, "%.1f", 100 - accuracyPercent);
    }

    private static String paperError(double errorPercent) {
        return String.format(Locale.ROOT, "%.1f", errorPercent);
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String signedCount(long n) {
        return String.format(Locale.ROOT, "%+,d", n);
    }
}
