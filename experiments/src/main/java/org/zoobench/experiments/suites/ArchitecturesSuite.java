package org.zoobench.experiments.suites;

import org.zoobench.experiments.report.ResultsReport;
import org.zoobench.experiments.report.SeedSummary;
import org.zoobench.experiments.results.AtomicFiles;
import org.zoobench.experiments.results.Bootstrap;
import org.zoobench.experiments.results.ResultsStore;
import org.zoobench.experiments.results.RunRecord;
import org.zoobench.experiments.runner.RunSpec;
import org.zoobench.zoo.ModelEntry;
import org.zoobench.zoo.ModelRegistry;
import org.zoobench.zoo.profile.ModelProfile;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The zoo's families side by side on Fashion-MNIST under one budget: the same training and test examples,
 * epochs, batch, updater and seeds for every net. Each net reads the images at the smallest input it takes:
 * LeNet-5 and the mini AlexNet at the native 28x28; the ImageNet nets (GoogLeNet, ResNet-18, DenseNet-121,
 * which infer their first layer from the input) zero-padded to 32x32, the least DenseNet-121's five halvings
 * allow; the BiLSTM reads each image as 28 rows of 28 pixels.
 */
public final class ArchitecturesSuite implements Suite {

    public static final String NAME = "architectures";
    static final int CLASSES = 10;

    /** One net of the comparison: registry name, data set (images or rows), input and how images reach it. */
    record Contender(String label, String model, String dataset, String input, String resize) {
        String group() {
            return String.format(Locale.ROOT, "%s (%s, %s)", label, model, input);
        }
    }

    static final List<Contender> CONTENDERS = List.of(
            new Contender("LeNet-5", "lenet5", "fashion-mnist", "1x28x28", "bilinear"),
            new Contender("AlexNet", "alexnet-mini", "fashion-mnist", "1x28x28", "bilinear"),
            new Contender("GoogLeNet", "googlenet", "fashion-mnist", "1x32x32", "pad"),
            new Contender("ResNet-18", "resnet18", "fashion-mnist", "1x32x32", "pad"),
            new Contender("DenseNet-121", "densenet121", "fashion-mnist", "1x32x32", "pad"),
            new Contender("BiLSTM", "bilstm-max", "fashion-mnist-rows", "28x28", "bilinear"));

    static final Recipe FULL = new Recipe(0, 0, 10, 128, 2, "adam", 1e-3, 88);
    /**
     * DenseNet-121 trains at about 10 img/s on 2 busy cores (GoogLeNet 30, ResNet-18 40): --quick is a smoke run
     * of 500 images, enough to rank the small nets, not to train the ImageNet ones.
     */
    static final Recipe QUICK = new Recipe(500, 300, 2, 32, 1, "adam", 1e-3, 65);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "LeNet-5, AlexNet, GoogLeNet, ResNet-18, DenseNet-121 and a BiLSTM on Fashion-MNIST, one budget";
    }

    @Override
    public SuitePlan plan(boolean quick) {
        Recipe r = quick ? QUICK : FULL;
        // Params at the published config, for the nets whose default is not the 10-class one trained here.
        Map<String, Long> publishedParams = new LinkedHashMap<>();
        for (Contender c : CONTENDERS) {
            ModelEntry entry = ModelRegistry.get(c.model());
            publishedParams.put(c.model(), entry.defaultClasses() == CLASSES ? 0 : publishedParams(entry));
        }
        List<RunSpec> runs = new ArrayList<>();
        for (int s = 0; s < r.seeds(); s++) {
            for (Contender c : CONTENDERS) {
                runs.add(new RunSpec(NAME, c.group(), r.config(c.model(), c.dataset(), c.input(), c.resize(),
                        CLASSES, s, Bootstrap.DEFAULT_SAMPLES), publishedParams.get(c.model())));
            }
        }
        List<String> published = publishedParams.entrySet().stream().filter(e -> e.getValue() > 0)
                .map(e -> String.format(Locale.ROOT, "%s %,d", e.getKey(), e.getValue())).toList();
        String recipe = String.format(Locale.ROOT, "fashion-mnist, %s; the same examples, epochs, batch, updater "
                + "and seeds for every net. Images standardised by the training set's mean and std; the BiLSTM "
                + "reads the same images as 28 rows of 28 pixels in [0, 1] (fashion-mnist-rows)", r.describe());
        List<String> notes = new ArrayList<>();
        notes.add("Deviation from the papers: Fashion-MNIST (grey, 10 classes) instead of ImageNet. GoogLeNet, "
                + "ResNet-18 and DenseNet-121 are the published topologies (ImageNet stems) at a zero-padded 1x32x32 "
                + "input, where their last stages see 1x1 maps; AlexNet is the registry's alexnet-mini (3x3 stride-1 "
                + "stem, quarter widths). Parameters at the published 3x224x224, 1000-class config: "
                + String.join(", ", published) + ".");
        if (quick) {
            notes.add(String.format(Locale.ROOT, "--quick cuts: %s, batch %d instead of %d, target %.0f%% instead "
                            + "of %.0f%%: a smoke run; the large nets are far from trained after %,d images seen.",
                    QUICK.cutsFrom(FULL), QUICK.batch(), FULL.batch(), QUICK.target(), FULL.target(),
                    QUICK.trainLimit() * QUICK.epochs()));
        }
        return new SuitePlan(runs, recipe, notes);
    }

    /** The most accurate net, and whether it is clearly ahead: its interval above the runner-up's. */
    static String ranking(List<SeedSummary> groups) {
        List<SeedSummary> ranked = groups.stream().filter(g -> g.top1Pooled() != null)
                .sorted(Comparator.comparingDouble((SeedSummary g) -> g.top1Pooled().value()).reversed()).toList();
        if (ranked.size() < 2) {
            return "Ranking: fewer than two finished nets.\n";
        }
        SeedSummary best = ranked.get(0);
        SeedSummary next = ranked.get(1);
        boolean clearly = best.top1Pooled().low() > next.top1Pooled().high();
        return String.format(Locale.ROOT, "Ranking by top-1: %s. Most accurate: %s, %s ahead of %s (pooled 95%% "
                        + "intervals %s).%n", ranked.stream().map(g -> g.first().model()).collect(Collectors.joining(" > ")),
                best.group(), clearly ? "clearly" : "not clearly", next.group(),
                clearly ? "disjoint" : "overlap");
    }

    private static long publishedParams(ModelEntry entry) {
        return ModelProfile.of(entry, entry.defaultOptions()).trainableParams();
    }

    @Override
    public String report(ResultsStore store, List<RunRecord> records) {
        List<SeedSummary> groups = ResultsReport.summarise(store, records, RunRecord::group);
        StringBuilder out = new StringBuilder(ResultsReport.runsTable(groups)).append('\n');
        out.append(ResultsReport.legend(records));
        out.append("params and MACs at the trained input (per example; the BiLSTM's per sequence of 28 steps); "
                + "img/s counts images (sequences for the BiLSTM).\n");
        out.append(ranking(groups));
        ResultsReport.writePlots(store, groups, "architectures (Fashion-MNIST, one budget): ");
        AtomicFiles.writeString(store.dir().resolve(ResultsReport.MARKDOWN), out.toString());
        return out.toString();
    }
}
