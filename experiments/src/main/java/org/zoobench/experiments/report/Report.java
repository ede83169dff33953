package org.zoobench.experiments.report;

import org.zoobench.experiments.results.AtomicFiles;
import org.zoobench.experiments.results.ResultsStore;

import java.nio.file.Path;
import java.util.List;

/**
 * What a report says: its Markdown (the tables and verdicts of {@value ResultsReport#MARKDOWN}) and its figures
 * (under {@value ResultsReport#PLOTS}/). Making it writes nothing; {@link #writeTo} saves it in a results folder.
 */
public record Report(String markdown, List<Figure> figures) {

    public Report {
        figures = List.copyOf(figures);
    }

    /** The figures, then the Markdown, each file written atomically. */
    public void writeTo(ResultsStore store) {
        Path plots = store.dir().resolve(ResultsReport.PLOTS);
        figures.forEach(f -> f.writeTo(plots));
        AtomicFiles.writeString(store.dir().resolve(ResultsReport.MARKDOWN), markdown);
    }
}
