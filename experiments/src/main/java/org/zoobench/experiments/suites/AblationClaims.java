package org.zoobench.experiments.suites;

import org.zoobench.experiments.results.Estimate;
import org.zoobench.experiments.results.Statistics;
import org.zoobench.zoo.models.AlexNet;
import org.zoobench.zoo.models.AlexNet.Ablation;

import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.Locale;

/**
 * Zeiler and Fergus' (2013) claims about their Table 3, checked one by one on the measured differences from the
 * full network and their paired intervals.
 */
final class AblationClaims {

    private AblationClaims() {
    }

    /** A variant's measured Δtop-1 from the full network, with its paired interval, beside the paper's Δ. */
    record Measured(Ablation variant, Estimate vsFull, double paperDelta) {
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
        Measured noFc7 = removing(measured, "fc7");
        Measured noFc = removing(measured, "fc6", "fc7");
        Measured noConv = removing(measured, "conv3", "conv4");
        Measured noAll = removing(measured, "conv3", "conv4", "fc6", "fc7");
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
        double[] ours = measured.stream().mapToDouble(Measured::delta).toArray();
        double[] paper = measured.stream().mapToDouble(Measured::paperDelta).toArray();
        out.append(String.format(Locale.ROOT, "- Spearman rank correlation of measured vs paper Δtop-1 over %d "
                + "variants: %.2f%n", measured.size(), Statistics.spearman(ours, paper)));
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

    /** The measured variant that removes exactly {@code layers} from the full network; null if none finished. */
    private static Measured removing(List<Measured> measured, String... layers) {
        AlexNet net = AlexNetAblationSuite.FULL_NETWORK.net().without(layers);
        return measured.stream().filter(m -> m.variant().net().equals(net)).findFirst().orElse(null);
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
}
