package org.zoobench.experiments.suites;

import org.zoobench.UserInputException;
import org.zoobench.experiments.report.MarkdownTable;
import org.zoobench.experiments.report.Report;
import org.zoobench.experiments.report.ResultsReport;
import org.zoobench.experiments.report.SeedSummary;
import org.zoobench.experiments.results.Bootstrap;
import org.zoobench.experiments.results.Estimate;
import org.zoobench.experiments.results.LrSchedule;
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
import org.zoobench.zoo.models.AlexNet.Ablation;
import org.zoobench.zoo.models.AlexNet;

import java.util.ArrayList;
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
public final class AlexNetAblationSuite extends Suite {

    public static final String NAME = "alexnet-ablation";
    public static final String IMAGE_FOLDER = "image-folder";
    /** The mini nets' stem is made for 28x28 and 32x32 images: larger ones are resized to 32x32. */
    static final int MINI_MAX_SIDE = 32;

    /** The full network, the row every variant is compared with. */
    static final Ablation FULL_NETWORK = AlexNet.ABLATIONS.get(0);

    /**
     * The recipe at the mini scale, the same for every variant: all 60,000 training images, every variant tested on
     * all 10,000 test images, Adam with the rate falling linearly to 0 (the full net reaches 88-89% in 2 epochs
     * this way, against 88.1% with a constant rate; docs/ablation-recipe.md). The quick recipe is the full one cut
     * to 2 epochs and one seed: more images and epochs buy more credibility than more seeds.
     */
    static final Recipe FULL = Recipe.builder().epochs(8).batch(128).seeds(3).updater(Updater.ADAM).lr(2e-3)
            .target(88).lrSchedule(LrSchedule.LINEAR).build();
    static final Recipe QUICK = FULL.toBuilder().epochs(2).seeds(1).build();
    /**
     * The paper's recipe at ImageNet scale (Krizhevsky et al. 2012, kept by Zeiler and Fergus): momentum 0.9
     * (DL4J's momentum updater is Nesterov's), lr 0.01 divided by 10 after 2 epochs without a better validation
     * top-1, weight decay 5e-4, batch 128, 70 epochs, one seed (each variant is a GPU-day or more); the target is
     * the paper's full-network top-1. Dropout 0.5 on fc6 and fc7 is part of the nets.
     */
    static final Recipe IMAGENET = Recipe.builder().epochs(70).batch(128).updater(Updater.NESTEROVS).lr(0.01)
            .target(59.5).weightDecay(5e-4).lrPatience(2).build();
    /** A check of the whole set-up before days of training: 2 epochs on 10,000 training, 2,000 validation images. */
    static final Recipe IMAGENET_QUICK = IMAGENET.toBuilder().trainLimit(10_000).testLimit(2_000).epochs(2).build();
    static final int BOOTSTRAP_SAMPLES = 2000;

    public AlexNetAblationSuite() {
        super(NAME, "AlexNet layer ablations of Zeiler & Fergus (2013) Table 3");
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
        String family = imagenet ? AlexNet.FAMILY : AlexNet.MINI_FAMILY;
        List<Recipe.Net> nets = new ArrayList<>();
        for (Ablation a : AlexNet.ABLATIONS) {
            ModelEntry published = ModelRegistry.variant(AlexNet.FAMILY, a.label());
            nets.add(new Recipe.Net(a.label(), ModelRegistry.variant(family, a.label()).name(), data.name(), input,
                    resize, data.classes(), Recipe.Net.publishedParams(published)));
        }
        List<RunSpec> runs = r.runs(NAME, nets, BOOTSTRAP_SAMPLES);
        String recipe = String.format(Locale.ROOT, "%s, input %s (%s), %s; every variant trained with exactly this "
                        + "recipe", data.describe(), input,
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

    @Override
    public Report report(ResultsStore store, List<RunRecord> records) {
        List<SeedSummary> groups = ResultsReport.summarise(store, records, RunRecord::group);
        Map<String, SeedSummary> byLabel = groups.stream()
                .collect(Collectors.toMap(SeedSummary::group, Function.identity()));
        Optional<SeedSummary> full = Optional.ofNullable(byLabel.get(FULL_NETWORK.label()));
        Bootstrap paired = ResultsReport.pairedBootstrap(records);

        MarkdownTable table = new MarkdownTable("variant", ">params (trained)", ">Δparams", ">params (ImageNet)",
                ">Δparams (ImageNet)", ">runs", ">top-1 % (mean ± std)", ">pooled 95% CI", ">top-5 %",
                ">Δtop-1 vs full [95% CI]", ">paper Δtop-1");
        MarkdownTable errors = new MarkdownTable("variant", ">train top-1", ">test top-1", ">test top-5",
                ">paper train top-1", ">paper val top-1", ">paper val top-5");
        List<AblationClaims.Measured> measured = new ArrayList<>();
        for (Ablation v : AlexNet.ABLATIONS) {
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
            double paperDelta = FULL_NETWORK.paperTop1Error() - v.paperTop1Error();
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
                    g == full.orElse(null) ? "—" : String.format(Locale.ROOT, "%+.1f", paperDelta));
            if (vsFull != null) {
                measured.add(new AblationClaims.Measured(v, vsFull, paperDelta));
            }
        }
        StringBuilder out = new StringBuilder();
        out.append(table);
        RunConfig trained = records.isEmpty() ? null : records.get(0).config();
        ModelEntry imagenet = ModelRegistry.variant(AlexNet.FAMILY, FULL_NETWORK.label());
        out.append(String.format(Locale.ROOT, "%nparams (trained): at %s, %s; params (ImageNet): the matching "
                        + "alexnet* entry at %s, %d classes. top-5: seed mean (blank with 5 classes or fewer). "
                        + "Δtop-1: paired bootstrap over test examples of the seed-averaged hit rate. paper Δtop-1: "
                        + "Zeiler & Fergus Table 3, full net's top-1 val error (%.1f%%) minus the variant's.%n%n",
                trained == null ? "—" : trained.input(),
                trained == null ? "—" : trained.classes() + " classes on " + trained.dataset(),
                imagenet.defaultInput(), imagenet.defaultClasses(), FULL_NETWORK.paperTop1Error()));
        out.append("Errors (%) in the layout of Zeiler & Fergus Table 3, seed means:\n\n").append(errors)
                .append(String.format(Locale.ROOT, "%ntrain top-1: after the last epoch, on the first %d training "
                        + "images, evaluated like the test set; test: all test images of %s. paper: ImageNet 2012, "
                        + "train top-1 / val top-1 / val top-5.%n%n", RunData.TRAIN_SAMPLE,
                        trained == null ? "—" : trained.dataset()));
        out.append(AblationClaims.verdict(measured));
        return new Report(out.toString(), ResultsReport.plots(groups, trained == null ? "AlexNet ablation: "
                : String.format(Locale.ROOT, "AlexNet ablation (%s, %s): ", trained.dataset(), trained.input())));
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
