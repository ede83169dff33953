package org.zoobench.experiments.suites;

import org.zoobench.experiments.report.Plots;
import org.zoobench.experiments.report.ResultsReport;
import org.zoobench.experiments.report.SeedSummary;
import org.zoobench.experiments.results.AtomicFiles;
import org.zoobench.experiments.results.ResultsStore;
import org.zoobench.experiments.results.RunRecord;
import org.zoobench.experiments.runner.RunSpec;
import org.zoobench.zoo.ModelEntry;
import org.zoobench.zoo.ModelRegistry;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * He et al. (2015), section 4.2: plain and residual CIFAR-style nets at 20 and 56 layers. The observation to
 * check: the deeper plain net has the higher training error (degradation), and shortcuts remove it.
 * Fashion-MNIST is zero-padded to 32x32 and kept grey (the nets infer their first layer's input channels).
 */
public final class DepthSuite implements Suite {

    public static final String NAME = "depth";
    static final String DATASET = "fashion-mnist";
    static final String INPUT = "1x32x32";
    static final List<String> MODELS = List.of("plain20", "plain56", "resnet20", "resnet56");

    static final int BOOTSTRAP_SAMPLES = 1000;

    static final Recipe FULL = new Recipe(0, 0, 12, 128, 2, "adam", 1e-3, 80);
    /** BatchNorm nets of 20-56 layers at 32x32 cost 4-13x alexnet-mini's MACs per image: --quick stays tiny. */
    static final Recipe QUICK = new Recipe(300, 200, 2, 32, 1, "adam", 1e-3, 80);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "plain vs residual nets at 20 and 56 layers (He et al. 2015, CIFAR-style) on Fashion-MNIST 32x32";
    }

    @Override
    public SuitePlan plan(boolean quick) {
        Recipe r = quick ? QUICK : FULL;
        List<RunSpec> runs = new ArrayList<>();
        for (int s = 0; s < r.seeds(); s++) {
            for (String model : MODELS) {
                ModelEntry entry = ModelRegistry.get(model);
                runs.add(new RunSpec(NAME, entry.name(), r.config(entry.name(), DATASET, INPUT, "pad",
                        entry.defaultClasses(), s, BOOTSTRAP_SAMPLES), 0));
            }
        }
        String recipe = String.format(Locale.ROOT, "%s zero-padded to %s, %s train / %s test images, %d epochs, "
                        + "batch %d, %s lr %s, %d seed(s); the same recipe for all four nets", DATASET, INPUT,
                r.trainLimit() == 0 ? "all" : r.trainLimit(), r.testLimit() == 0 ? "all" : r.testLimit(),
                r.epochs(), r.batch(), r.updater(), r.lr(), r.seeds());
        List<String> notes = new ArrayList<>();
        notes.add("Deviation from the paper: Fashion-MNIST (grey, padded) instead of CIFAR-10, Adam instead of SGD "
                + "with momentum and a step schedule, and far fewer iterations than the paper's 64k.");
        if (quick) {
            notes.add(String.format(Locale.ROOT, "--quick cuts: %d training and %d test images, %d instead of %d "
                            + "epochs, %d instead of %d seeds: a smoke run of the machinery, far too short for the "
                            + "degradation effect to be expected.", QUICK.trainLimit(), QUICK.testLimit(), QUICK.epochs(),
                    FULL.epochs(), QUICK.seeds(), FULL.seeds()));
        }
        return new SuitePlan(runs, recipe, notes);
    }

    @Override
    public String report(ResultsStore store, List<RunRecord> records) {
        List<SeedSummary> groups = ResultsReport.summarise(store, records, RunRecord::model);
        StringBuilder out = new StringBuilder(ResultsReport.runsTable(groups)).append('\n');
        out.append(ResultsReport.legend(records)).append('\n');
        Map<String, Double> trainError = groups.stream().filter(g -> g.finished() > 0)
                .collect(Collectors.toMap(SeedSummary::group, DepthSuite::finalTrainingError));
        out.append("Final training error (%, mean over seeds, on a fixed training sample): ")
                .append(MODELS.stream().filter(trainError::containsKey)
                        .map(m -> String.format(Locale.ROOT, "%s %.1f", m, trainError.get(m)))
                        .collect(Collectors.joining(", "))).append('\n');
        if (trainError.keySet().containsAll(MODELS)) {
            boolean degradation = trainError.get("plain56") > trainError.get("plain20");
            boolean shortcutsHelp = trainError.get("resnet56") < trainError.get("plain56");
            out.append(String.format(Locale.ROOT, "- deeper plain net trains worse (plain56 > plain20): %s%n",
                    degradation ? "HOLDS" : "does NOT hold"));
            out.append(String.format(Locale.ROOT, "- shortcuts remove it (resnet56 < plain56): %s%n",
                    shortcutsHelp ? "HOLDS" : "does NOT hold"));
        }
        ResultsReport.writePlots(store, groups, "plain vs residual depth (Fashion-MNIST 32x32): ");
        Plots.trainingCurves(groups, "training error per epoch (He et al. 2015, Fig. 1 style)", "training error (%)",
                e -> 100 - e.trainAccuracy(), store.dir().resolve(ResultsReport.PLOTS).resolve("curves_train_error.png"));
        AtomicFiles.writeString(store.dir().resolve(ResultsReport.MARKDOWN), out.toString());
        return out.toString();
    }

    private static double finalTrainingError(SeedSummary g) {
        Function<RunRecord, Double> last = r -> 100 - r.epochs().get(r.epochs().size() - 1).trainAccuracy();
        return g.runs().stream().filter(r -> !r.diverged() && !r.epochs().isEmpty()).mapToDouble(last::apply)
                .average().orElse(Double.NaN);
    }
}
