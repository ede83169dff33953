package org.zoobench.experiments.results;

import java.util.List;

/**
 * Which suite wrote a results directory, with which recipe and the notes printed with it, so `zoobench report`
 * can rebuild its table and report.html; notes is null in folders written before they were kept.
 */
public record SuiteInfo(String suite, boolean quick, String recipe, List<String> notes) {
}
