package org.zoobench.experiments.results;

/** Which suite wrote a results directory and with which recipe, so `zoobench report` can rebuild its table. */
public record SuiteInfo(String suite, boolean quick, String recipe) {
}
