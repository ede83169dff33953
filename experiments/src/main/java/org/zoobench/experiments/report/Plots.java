package org.zoobench.experiments.report;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.zoobench.experiments.results.AtomicFiles;
import org.zoobench.experiments.results.EpochStats;
import org.zoobench.experiments.results.RunRecord;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** PNG figures of a set of results (XChart, rendered headless). Each file is written atomically. */
public final class Plots {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 560;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Plots() {
    }

    /** Mean over seeds, per epoch, of one curve of each group; one line per group. */
    public static Figure trainingCurves(List<SeedSummary> groups, String title, String yTitle,
                                        ToDoubleFunction<EpochStats> value, String file) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("epoch").yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setXAxisDecimalPattern("0");
        chart.getStyler().setYAxisDecimalPattern("0.00");
        for (SeedSummary g : groups) {
            List<RunRecord> finished = g.runs().stream().filter(r -> !r.diverged() && !r.epochs().isEmpty()).toList();
            if (finished.isEmpty()) {
                continue;
            }
            int epochs = finished.stream().mapToInt(r -> r.epochs().size()).min().orElse(0);
            double[] x = new double[epochs];
            double[] y = new double[epochs];
            for (int e = 0; e < epochs; e++) {
                x[e] = e + 1;
                for (RunRecord r : finished) {
                    y[e] += value.applyAsDouble(r.epochs().get(e)) / finished.size();
                }
            }
            chart.addSeries(g.group(), x, y).setMarker(SeriesMarkers.CIRCLE);
        }
        return new Figure(file, chart);
    }

    /** Top-1 per group with the pooled 95% interval as error bars (asymmetric intervals drawn at their wider side). */
    public static Figure accuracyBars(List<SeedSummary> groups, String title, String file) {
        List<SeedSummary> measured = groups.stream().filter(g -> g.top1Pooled() != null).toList();
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT + 140).title(title)
                .yAxisTitle("test top-1 (%), pooled 95% interval").build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setXAxisLabelRotation(35);
        chart.getStyler().setErrorBarsColor(java.awt.Color.BLACK);
        chart.getStyler().setYAxisDecimalPattern("0.0");
        List<String> names = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        List<Double> errors = new ArrayList<>();
        double lowest = 100;
        for (SeedSummary g : measured) {
            names.add(g.group());
            values.add(g.top1Pooled().value());
            errors.add(Math.max(g.top1Pooled().high() - g.top1Pooled().value(),
                    g.top1Pooled().value() - g.top1Pooled().low()));
            lowest = Math.min(lowest, g.top1Pooled().low());
        }
        if (!names.isEmpty()) {
            chart.getStyler().setYAxisMin(Math.max(0, Math.floor(lowest / 5) * 5 - 5));
            chart.addSeries("top-1", names, values, errors);
        }
        return new Figure(file, chart);
    }

    /** Trainable parameters (log scale) against top-1, one point per group with its interval. */
    public static Figure paramsVsAccuracy(List<SeedSummary> groups, String title, String file) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("trainable parameters").yAxisTitle("test top-1 (%)").build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setMarkerSize(10);
        chart.getStyler().setYAxisDecimalPattern("0.0");
        for (SeedSummary g : groups) {
            if (g.top1Pooled() == null) {
                continue;
            }
            double params = g.first().paramCount();
            double error = Math.max(g.top1Pooled().high() - g.top1Pooled().value(),
                    g.top1Pooled().value() - g.top1Pooled().low());
            chart.addSeries(g.group(), new double[]{params}, new double[]{g.top1Pooled().value()},
                    new double[]{error});
        }
        return new Figure(file, chart);
    }

    /** Bars of how many times faster one run is than another, one series each (e.g. inference, training). */
    public static void speedUps(List<String> categories, Map<String, List<Double>> series, String title, Path file) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT + 140).title(title)
                .yAxisTitle("speed-up (x, 1 = same)").build();
        chart.getStyler().setXAxisLabelRotation(35);
        chart.getStyler().setYAxisDecimalPattern("0.0");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        series.forEach((name, values) -> chart.addSeries(name, categories, values));
        save(chart, file);
    }

    static void save(Chart<?, ?> chart, Path file) {
        AtomicFiles.write(file, tmp -> Files.write(tmp, BitmapEncoder.getBitmapBytes(chart,
                BitmapEncoder.BitmapFormat.PNG)));
    }
}
