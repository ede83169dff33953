package org.zoobench.experiments.results;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A model's answers on the test set, one per example in test-set order: true label, top-1 class and whether
 * the label was among the top 5 (a fraction where tied classes straddle rank 5: the chance that a random
 * tie-break puts the label among them). Kept beside each run so intervals can be recomputed and runs compared
 * example by example without the model.
 */
public record Predictions(int[] labels, int[] top1, double[] top5Hit) implements Serializable {

    private static final String HEADER = "label,top1,top5_hit";

    public int size() {
        return labels.length;
    }

    public boolean[] top1Hit() {
        boolean[] hits = new boolean[labels.length];
        for (int i = 0; i < labels.length; i++) {
            hits[i] = labels[i] == top1[i];
        }
        return hits;
    }

    public void save(Path file) {
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        for (int i = 0; i < labels.length; i++) {
            double hit = top5Hit[i];
            text.append(labels[i]).append(',').append(top1[i]).append(',')
                    .append(hit == Math.rint(hit) ? String.valueOf((int) hit) : String.valueOf(hit)).append('\n');
        }
        AtomicFiles.writeString(file, text.toString());
    }

    public static Predictions load(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            int n = lines.size() - 1;
            int[] labels = new int[n];
            int[] top1 = new int[n];
            double[] top5 = new double[n];
            for (int i = 0; i < n; i++) {
                String[] f = lines.get(i + 1).split(",");
                labels[i] = Integer.parseInt(f[0]);
                top1[i] = Integer.parseInt(f[1]);
                top5[i] = Double.parseDouble(f[2]);
            }
            return new Predictions(labels, top1, top5);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
