package org.zoobench.experiments.report;

import org.knowm.xchart.internal.chartpart.Chart;

import java.nio.file.Path;

/** One figure of a report: the chart and the PNG file name it is saved under. */
public record Figure(String file, Chart<?, ?> chart) {

    /** Saves the chart as {@code dir/file}, atomically. */
    public void writeTo(Path dir) {
        Plots.save(chart, dir.resolve(file));
    }
}
