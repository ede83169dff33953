package org.zoobench.experiments.suites;

import org.zoobench.experiments.report.Report;
import org.zoobench.experiments.report.ResultsReport;
import org.zoobench.experiments.report.SeedSummary;
import org.zoobench.experiments.results.Bootstrap;
import org.zoobench.experiments.results.Estimate;
import org.zoobench.experiments.results.ResizeMode;
import org.zoobench.experiments.results.ResultsStore;
import org.zoobench.experiments.data.Datasets;
import org.zoobench.experiments.results.RunRecord;
import org.zoobench.experiments.results.Updater;
import org.zoobench.experiments.runner.RunSpec;
import org.zoobench.experiments.suites.SuiteOptions.DataChoice;
import org.zoobench.zoo.InputShape;
import org.zoobench.zoo.ModelEntry;
import org.zoobench.zoo.ModelRegistry;
import org.zoobench.zoo.UserInputException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The zoo's families side by side on one data set (Fashion-MNIST unless told otherwise) under one budget: the
 * same training and test examples, epochs, batch, updater and seeds for every net. Each net reads the images at
 * the smallest input it takes: LeNet-5 and the mini AlexNet at the data's own size (at most 32x32); the ImageNet
 * nets (GoogLeNet, ResNet-18, DenseNet-121, which infer their first layer from the input) at 32x32, zero-padded
 * if smaller, the least DenseNet-121's five halvings allow; the BiLSTM reads each image as a sequence of its rows.
 */
public final class ArchitecturesSuite extends Suite {

    public static final String NAME = "architectures";

    /** How a net reads the data set's images. */
    enum Placement {
        /** At the data's own size, or 32x32 if larger (the small nets' stems). */
        OWN_SIZE,
        /** At 32x32, zero-padded if smaller (the ImageNet nets' smallest workable input). */
        PADDED_32,
        /** One image row per step. */
        ROWS
    }

    /** One net of the comparison: registry name and how it reads the images. */
    record Contender(String label, String model, Placement placement) {
        String group(InputShape input) {
            return String.format(Locale.ROOT, "%s (%s, %s)", label, model, input);
        }

        /** This net on {@code data}, read the way its placement says. */
        Recipe.Net net(DataChoice data, long publishedParams) {
            if (!(data.shape() instanceof InputShape.Image shape)) {
                throw new UserInputException(NAME + " trains on images, not sequences (" + data.shape() + ")");
            }
            return switch (placement) {
                case OWN_SIZE -> net(data, data.name(), AlexNetAblationSuite.miniInput(shape), ResizeMode.BILINEAR,
                        publishedParams);
                case PADDED_32 -> net(data, data.name(), InputShape.image(shape.channels(), 32, 32),
                        shape.height() <= 32 && shape.width() <= 32 ? ResizeMode.PAD : ResizeMode.BILINEAR,
                        publishedParams);
                case ROWS -> net(data, data.name() + Datasets.ROWS_SUFFIX,
                        InputShape.sequence(shape.channels() * shape.width(), shape.height()), ResizeMode.BILINEAR,
                        publishedParams);
            };
        }

        private Recipe.Net net(DataChoice data, String dataset, InputShape input, ResizeMode resize,
                               long publishedParams) {
            return new Recipe.Net(group(input), model, dataset, input, resize, data.classes(),
                    publishedParams);
        }
    }

    static final List<Contender> CONTENDERS = List.of(
            new Contender("LeNet-5", "lenet5", Placement.OWN_SIZE),
            new Contender("AlexNet", "alexnet-mini", Placement.OWN_SIZE),
            new Contender("GoogLeNet", "googlenet", Placement.PADDED_32),
            new Contender("ResNet-18", "resnet18", Placement.PADDED_32),
            new Contender("DenseNet-121", "densenet121", Placement.PADDED_32),
            new Contender("BiLSTM", "bilstm-max", Placement.ROWS));

    static final Recipe FULL = new Recipe(0, 0, 10, 128, 2, Updater.ADAM, 1e-3, 88);
    /**
     * With fast layers DenseNet-121 trains at about 32 img/s here, ResNet-18 41, the BiLSTM 77, GoogLeNet 106 and the
     * small nets over 1,000 (docs/suite-budgets.md): --quick gives every net the same 8,000 images (4,000 twice),
     * enough to rank the small nets near convergence, while the ImageNet nets are still learning.
     */
    static final Recipe QUICK = new Recipe(4_000, 2_000, 2, 64, 1, Updater.ADAM, 1e-3, 80);

    public ArchitecturesSuite() {
        super(NAME, "LeNet-5, AlexNet, GoogLeNet, ResNet-18, DenseNet-121 and a BiLSTM on one data set, one budget");
    }

    @Override
    public SuitePlan plan(SuiteOptions options) {
        options.requireMiniScaleOwnInput(NAME);
        Recipe r = options.quick() ? QUICK : FULL;
        DataChoice data = options.data();
        List<Recipe.Net> nets = new ArrayList<>();
        Map<Placement, String> inputs = new LinkedHashMap<>();
        for (Contender c : CONTENDERS) {
            ModelEntry entry = ModelRegistry.get(c.model());
            // Params at the published config, for the nets whose default is not the class count trained here.
            Recipe.Net net = c.net(data, entry.defaultClasses() == data.classes() ? 0
                    : Recipe.Net.publishedParams(entry));
            nets.add(net);
            inputs.put(c.placement(), net.input() + " (" + net.resize() + ")");
        }
        List<RunSpec> runs = r.runs(NAME, nets, Bootstrap.DEFAULT_SAMPLES);
        List<String> published = nets.stream().filter(n -> n.publishedParams() > 0)
                .map(n -> String.format(Locale.ROOT, "%s %,d", n.model(), n.publishedParams())).toList();
        String recipe = String.format(Locale.ROOT, "%s, %s; the same examples, epochs, batch, updater and seeds for "
                + "every net. Images standardised by the training set's mean and std; the BiLSTM reads the same "
                + "images row by row, pixels in [0, 1] (%s%s)", data.describe(), r.describe(), data.name(),
                Datasets.ROWS_SUFFIX);
        List<String> notes = new ArrayList<>();
        notes.add(String.format(Locale.ROOT, "Deviation from the papers: %s (%s, %d classes) instead of ImageNet. "
                        + "GoogLeNet, ResNet-18 and DenseNet-121 are the published topologies (ImageNet stems) at input "
                        + "%s; LeNet-5 and AlexNet at %s, AlexNet as alexnet-mini (%s); the BiLSTM at %s steps. "
                        + "Parameters at the published 3x224x224, 1000-class config: %s.", data.name(), data.shape(),
                data.classes(), inputs.get(Placement.PADDED_32), inputs.get(Placement.OWN_SIZE),
                ModelRegistry.get("alexnet-mini").description(), inputs.get(Placement.ROWS),
                published.isEmpty() ? "the same as trained" : String.join(", ", published)));
        if (options.quick()) {
            notes.add(String.format(Locale.ROOT, "--quick cuts: %s, target %.0f%% instead of %.0f%%, %,d images seen "
                    + "per net. What it can show: the ranking at an equal number of images seen, with intervals on "
                    + "%,d test images; what it cannot: the ranking at convergence (compare each net's test top-1 "
                    + "curve in plots/: one still rising between the epochs is not converged).", QUICK.cutsFrom(FULL),
                    QUICK.target(), FULL.target(), QUICK.examplesSeen(), QUICK.testLimit()));
        }
        return new SuitePlan(runs, recipe, notes);
    }

    /**
     * The most accurate net, and whether it is clearly ahead: the paired interval of its lead over the runner-up
     * (the same test images) above 0. The interval's half-width is the smallest lead these runs could detect.
     */
    static String ranking(List<SeedSummary> groups) {
        List<SeedSummary> ranked = groups.stream().filter(g -> g.top1Pooled() != null)
                .sorted(Comparator.comparingDouble((SeedSummary g) -> g.top1Pooled().value()).reversed()).toList();
        if (ranked.size() < 2) {
            return "Ranking: fewer than two finished nets.\n";
        }
        SeedSummary best = ranked.get(0);
        SeedSummary next = ranked.get(1);
        Estimate lead = ResultsReport.pairedDelta(best, next, ResultsReport.pairedBootstrap(
                groups.stream().flatMap(g -> g.runs().stream()).toList()));
        boolean clearly = lead.low() > 0;
        return String.format(Locale.ROOT, "Ranking by top-1: %s. Most accurate: %s, %s ahead of %s (paired Δ %s, "
                        + "smallest detectable ±%.1f%s).%n",
                ranked.stream().map(g -> g.first().model()).collect(Collectors.joining(" > ")),
                best.group(), clearly ? "clearly" : "not clearly", next.group(), lead.formatSigned(), lead.halfWidth(),
                clearly ? "" : ": no detectable difference");
    }

    @Override
    public Report report(ResultsStore store, List<RunRecord> records) {
        List<SeedSummary> groups = ResultsReport.summarise(store, records, RunRecord::group);
        StringBuilder out = new StringBuilder(ResultsReport.runsTable(groups)).append('\n');
        out.append(ResultsReport.legend(records));
        out.append("params and MACs at the trained input (per example; the BiLSTM's per sequence of 28 steps); "
                + "img/s counts images (sequences for the BiLSTM).\n");
        out.append(ranking(groups));
        return new Report(out.toString(), ResultsReport.plots(groups, records.isEmpty() ? "architectures: "
                : "architectures (" + records.get(0).config().dataset() + ", one budget): "));
    }
}
